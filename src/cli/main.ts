#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config.ts';
import { AppError } from '../services/app-error.ts';
import {
  auditSealCommand,
  figuresRefreshFactsCommand,
  auditVerifyCommand,
  backupCommand,
  CliError,
  describeAppError,
  migrateCommand,
  tokenCreateCommand,
  userAddCommand,
  userResetTwoFactorCommand,
} from './commands.ts';
import { serve } from './serve.ts';
import {
  calcTargetCommand,
  dailyCheckCommand,
  intakeImportCommand,
  intakePollCommand,
} from './referral-commands.ts';
import { protocolsImportCommand, protocolsListCommand } from './assessment-commands.ts';
import { calcGasCommand } from './measure-commands.ts';
import { addPumpCalcCommands } from './pump-calc-commands.ts';
import { fhirExportCommand, fhirImportCommand } from './fhir-commands.ts';
import { importCaseloadCommand } from './caseload-commands.ts';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The `itb` command. It reuses the app's composition root; it holds no business rules. */
export function buildCli(): Command {
  const program = new Command('itb').description('ITB pump service').exitOverride();
  program
    .command('serve')
    .description('start the web service')
    .option('--demo', 'start on a throwaway database with synthetic patients and demo accounts')
    .option('--port <port>', 'port to listen on (default PORT or 3000)')
    .option('--host <host>', 'address to listen on (default HOST or localhost)')
    .action(serve);
  program.command('migrate').description('create or update the database schema').action(migrateCommand);

  const user = program.command('user').description('staff accounts');
  user
    .command('add')
    .description('add a staff account; the password is read from standard input')
    .requiredOption('--username <username>', 'sign-in name')
    .requiredOption(
      '--role <role>',
      'administrator, consultant, nurse-specialist, physiotherapist, booking-coordinator, service-manager or emergency-clinician',
    )
    .requiredOption('--name <name>', 'full name')
    .option('--password-stdin', 'read the password from standard input')
    .action(userAddCommand);
  user
    .command('reset-2fa')
    .description("remove an account's second factor and recovery codes, for someone who has lost both")
    .argument('<username>', 'the account to reset')
    .action(userResetTwoFactorCommand);

  program
    .command('token')
    .description('API tokens')
    .command('create')
    .description('create a personal API token; the token is the last line printed')
    .requiredOption('--username <username>', 'the account the token acts as')
    .option('--name <name>', 'what the token is for')
    .action(tokenCreateCommand);

  const audit = program.command('audit').description('audit trail');
  audit
    .command('verify')
    .description(
      'recompute the hash chain; exits 1 if any entry was altered, inserted or deleted, or waits unsealed past AUDIT_SEAL_DELAY_MS',
    )
    .option('--json', 'print the result as JSON')
    .action(auditVerifyCommand);
  audit
    .command('seal')
    .description(
      'seal the entries waiting for the sealer now (what a starting server does; after a crash with no server running)',
    )
    .action(auditSealCommand);

  program
    .command('figures')
    .description('the service figures')
    .command('refresh-facts')
    .description(
      'work out afresh the facts the figures read, after a change made directly in the database (the service keeps them as it writes)',
    )
    .action(figuresRefreshFactsCommand);

  program
    .command('backup')
    .description('write a consistent copy of the SQLite database to FILE while the service runs')
    .argument('<FILE>', 'the new backup file')
    .action(backupCommand);

  const calc = program
    .command('calc')
    .description('clinical arithmetic, from the same functions the service uses');
  calc
    .command('target')
    .description('the first-appointment target date for a referral')
    .requiredOption('--received <YYYY-MM-DD>', 'the date the referral was received')
    .option('--days <N>', 'days to the target (default WAIT_TARGET_DAYS or 42)')
    .option('--urgent', 'an urgent referral: default WAIT_URGENT_TARGET_DAYS or 14 days')
    .option(
      '--json',
      'print {"receivedOn", "days", "targetDate", "warnings" ([]: no clinical number)} as JSON',
    )
    .action(calcTargetCommand);
  calc
    .command('gas')
    .description('the Goal Attainment Scaling T-score (Turner-Stokes 2009, ρ = 0.3)')
    .option(
      '--goal <WEIGHT:SCORE>',
      'a goal: weight 1–9 and score −2..+2 (repeat for each goal)',
      collect,
      [],
    )
    .option('--json', 'print {"tScore" (two decimals), "warnings" ([]: no clinical number)} as JSON')
    .action(calcGasCommand);
  addPumpCalcCommands(calc);

  const protocols = program.command('protocols').description('patient selection protocols');
  protocols
    .command('list')
    .description('every stored protocol version')
    .option('--json', 'print the list as JSON')
    .action(protocolsListCommand);
  protocols
    .command('import')
    .description('add a protocol, or a new version of one, from a JSON file (docs/protocols/README.md)')
    .argument('<FILE>', 'the protocol as JSON')
    .requiredOption('--as <USERNAME>', 'the consultant adding it (named in the audit trail)')
    .action(protocolsImportCommand);

  const intake = program.command('intake').description('consultant email referrals');
  intake
    .command('import')
    .description('take in one email saved as an .eml file, as the mailbox poller would')
    .argument('<FILE>', 'the .eml file')
    .action(intakeImportCommand);
  intake
    .command('poll')
    .description('read new messages from the service mailbox once')
    .action(intakePollCommand);

  const fhir = program.command('fhir').description('FHIR R4 (UK Core): bulk export and Patient import');
  fhir
    .command('export')
    .description('write every resource as NDJSON, one file per type (Patient.ndjson …), into DIR')
    .argument('<DIR>', 'an empty folder (made if missing)')
    .requiredOption('--as <USERNAME>', 'the account exporting (named in the audit trail; needs patient:read)')
    .option('--types <TYPES>', 'only these types, comma-separated, e.g. Patient,Device (default: every type)')
    .option('--force', 'write into DIR even if it has files, replacing any of the same name')
    .action(fhirExportCommand);
  fhir
    .command('import')
    .description('register or match the patients of a FHIR transaction or batch Bundle, by NHS number')
    .argument('<FILE>', 'the Bundle as JSON')
    .requiredOption(
      '--as <USERNAME>',
      'the account importing (named in the audit trail; needs patient:write)',
    )
    .option('--json', 'print the report as JSON')
    .action(fhirImportCommand);

  program
    .command('jobs')
    .description('background jobs')
    .command('daily-check')
    .description("run today's referral check now: overdue triage and waits nearing breach")
    .option('--json', 'print the result as JSON')
    .action(dailyCheckCommand);

  program
    .command('import')
    .description('bring records in from other systems')
    .command('caseload')
    .description(
      'import a caseload spreadsheet (.xlsx or .csv): prints the column mapping and every problem by row and column, then imports every row or none',
    )
    .argument('<FILE>', 'the spreadsheet (docs/samples/README.md lists the columns)')
    .requiredOption(
      '--as <USERNAME>',
      'the administrator or consultant importing it (named in the audit trail)',
    )
    .option('--dry-run', 'check and report only; save nothing')
    .option('--accept-warnings', 'import although rows have warnings (each checked by a person)')
    .action(importCaseloadCommand);
  return program;
}

export async function runCli(argv: readonly string[]): Promise<number> {
  try {
    await buildCli().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode;
    }
    if (err instanceof CliError) {
      process.stderr.write(`${err.message}\n`);
      return err.exitCode;
    }
    if (err instanceof AppError) {
      process.stderr.write(`${describeAppError(err)}\n`);
      return 1;
    }
    if (err instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${err.message}\n`);
      return 1;
    }
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

if (import.meta.main) {
  const code = await runCli(process.argv.slice(2));
  if (code !== 0) {
    process.exit(code);
  }
}
