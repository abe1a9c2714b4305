import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { composeApp, databaseDialectOf, type RouteDeps } from '../compose.ts';
import { loadConfig } from '../config.ts';
import type { AppError } from '../services/app-error.ts';
import { actorOf } from '../services/audit-service.ts';
import { readStdin } from './read-stdin.ts';

/** A failure the CLI reports on stderr with this exit code. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** Service field names as the CLI's flags, so messages name what the person typed. */
const FLAG_FOR: Record<string, string> = {
  username: '--username',
  displayName: '--name',
  role: '--role',
  password: '--password-stdin',
  name: '--name',
};

export function describeAppError(err: AppError): string {
  if (err.fieldErrors.length === 0) {
    return err.message;
  }
  return err.fieldErrors.map((e) => `${FLAG_FOR[e.field] ?? e.field}: ${e.message}`).join('\n');
}

/**
 * Runs a command on the composed app (the database migrated and ready); the database is closed
 * however the command ends. Commands use its services, never the database handle.
 */
export async function withApp<T>(fn: (deps: RouteDeps) => Promise<T>): Promise<T> {
  const deps = await composeApp(loadConfig(process.env));
  try {
    return await fn({ config: deps.config, clock: deps.clock, services: deps.services });
  } finally {
    // Seal what the command appended, so the trail it leaves verifies without a server running.
    await deps.services.audit.seal().catch((err: unknown) => {
      process.stderr.write(`Could not seal the audit trail: ${String(err)}\n`);
    });
    await deps.database.close();
  }
}

export async function migrateCommand(): Promise<void> {
  await withApp(async (deps) => {
    process.stdout.write(`Database schema is up to date (${deps.services.system.dialect()}).\n`);
  });
}

export async function userAddCommand(opts: {
  username: string;
  role: string;
  name: string;
  passwordStdin?: boolean;
}): Promise<void> {
  if (!opts.passwordStdin) {
    throw new CliError(
      '--password-stdin: give the password on standard input (so it never appears in the process list or shell history)',
    );
  }
  const password = await readStdin();
  await withApp(async (deps) => {
    const user = await deps.services.accounts.add(null, {
      username: opts.username,
      displayName: opts.name,
      role: opts.role,
      password,
    });
    process.stdout.write(`Added ${user.username} (${user.role}).\n`);
  });
}

/**
 * Removes the second factor of someone who has lost their phone and their recovery codes (the
 * same service as the administrators' page; audited as done from the command line). For the
 * last administrator, who has no other administrator to ask.
 */
export async function userResetTwoFactorCommand(username: string): Promise<void> {
  await withApp(async (deps) => {
    const user = await deps.services.accounts.findByUsername(username);
    if (!user) {
      throw new CliError(`USERNAME: no account called ${username}`);
    }
    await deps.services.accounts.resetSecondFactor(null, user.id, null);
    process.stdout.write(
      `Second factor of ${user.username} reset: their authenticator app and recovery codes no longer work and their sessions have ended.\n`,
    );
  });
}

export async function tokenCreateCommand(opts: { username: string; name?: string }): Promise<void> {
  await withApp(async (deps) => {
    const user = await deps.services.accounts.findByUsername(opts.username);
    if (!user) {
      throw new CliError(`--username: no account called ${opts.username}`);
    }
    const created = await deps.services.accounts.createToken(
      actorOf(user, 'cli'),
      user,
      opts.name ?? 'Created with itb token create',
    );
    process.stdout.write(
      `API token for ${user.username}, expires ${created.expiresAt} (API_TOKEN_LIFETIME_DAYS=${deps.config.apiTokenLifetimeDays}; ` +
        `a password change or reset, or disabling the account, ends it sooner). Keep it secret; it is shown only once:\n${created.token}\n`,
    );
  });
}

export async function auditVerifyCommand(opts: { json?: boolean }): Promise<void> {
  await withApp(async (deps) => {
    const result = await deps.services.audit.verify();
    if (opts.json) {
      process.stdout.write(`${JSON.stringify({ intact: result.problem === null, ...result })}\n`);
    }
    if (result.problem) {
      throw new CliError(
        result.problem.reason === 'unsealed'
          ? `Audit trail is NOT intact: ${String(result.problem.rows)} entries, the oldest ${String(result.problem.seq)}, waited longer than AUDIT_SEAL_DELAY_MS for their seal (is a server running? \`itb audit seal\` seals them).`
          : `Audit trail is NOT intact: ${result.problem.reason} at entry ${result.problem.seq} (${result.rowsChecked} entries checked before it).`,
        1,
      );
    }
    if (!opts.json) {
      process.stdout.write(
        `Audit trail intact: ${result.rowsChecked} entries, head ${result.headSeq} ${result.headHash}\n`,
      );
    }
  });
}

export async function figuresRefreshFactsCommand(): Promise<void> {
  await withApp(async (deps) => {
    const ms = await deps.services.figures.refreshFacts();
    process.stdout.write(`The facts the service figures read were worked out afresh in ${String(ms)} ms.\n`);
  });
}

export async function auditSealCommand(): Promise<void> {
  await withApp(async (deps) => {
    const sealed = await deps.services.audit.seal();
    process.stdout.write(`Audit trail: ${String(sealed)} entries sealed.\n`);
  });
}

export async function backupCommand(file: string): Promise<void> {
  const config = loadConfig(process.env);
  // Answered before any connection is made: on PostgreSQL this command touches nothing.
  if (databaseDialectOf(config) === 'postgres') {
    throw new CliError(
      "itb backup copies the embedded SQLite database. On PostgreSQL use the database's own tools, for example:\n" +
        '  pg_dump --format=custom --file=itb.dump "$DATABASE_URL"   (restore with pg_restore)\n' +
        'or continuous archiving with point-in-time recovery for production.',
      2,
    );
  }
  await withApp(async (deps) => {
    const target = resolve(file);
    if (existsSync(target)) {
      throw new CliError(
        `FILE: ${target} already exists; choose a new file name so no backup is overwritten`,
      );
    }
    await deps.services.system.backup(target);
    process.stdout.write(`Backup written to ${target}\n`);
  });
}
