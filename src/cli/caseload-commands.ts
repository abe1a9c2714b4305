import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { CaseloadReport } from '../services/caseload-import/caseload-import-service.ts';
import { actorOf } from '../services/audit-service.ts';
import { CliError, withApp } from './commands.ts';

/** The mapping and the dry run's report as text: the same facts the upload page shows. */
export function caseloadReportText(r: CaseloadReport): string {
  const lines: string[] = [];
  lines.push(`${r.fileName}: ${String(r.rowCount)} patient rows (SHA-256 ${r.fileSha256.slice(0, 12)}…)`);
  lines.push('Columns:');
  for (const c of r.mapping.columns) {
    lines.push(`  ${c.letter} "${c.header}" → ${c.label}`);
  }
  for (const c of r.mapping.missing) {
    lines.push(`  MISSING: ${c.label} (required)`);
  }
  for (const c of r.mapping.duplicates) {
    lines.push(`  TWICE: ${c.letter} "${c.header}" (already matched)`);
  }
  for (const c of r.mapping.unknown) {
    lines.push(`  ignored: ${c.letter} "${c.header}" (not a known column)`);
  }
  for (const p of r.problems) {
    lines.push(
      `Row ${String(p.rowNumber)}, ${p.column}${p.letter ? ` (${p.letter})` : ''}: ${p.severity}: ${p.message}`,
    );
  }
  lines.push(
    `${String(r.errorCount)} ${r.errorCount === 1 ? 'error' : 'errors'}, ${String(r.warningCount)} ${r.warningCount === 1 ? 'warning' : 'warnings'}; ${String(r.readyCount)} of ${String(r.rowCount)} rows ready.`,
  );
  return `${lines.join('\n')}\n`;
}

/**
 * `itb import caseload FILE.xlsx|FILE.csv --as USERNAME [--dry-run] [--accept-warnings]`: prints
 * the column mapping and every problem by row and column; without --dry-run, and with no errors
 * (and warnings accepted), imports every row or none. Exits 1 on errors or unaccepted warnings.
 */
export async function importCaseloadCommand(
  file: string,
  opts: { as: string; dryRun?: boolean; acceptWarnings?: boolean },
): Promise<void> {
  let content: Buffer;
  try {
    content = await readFile(file);
  } catch {
    throw new CliError(`FILE: cannot read "${file}"`, 2);
  }
  await withApp(async ({ services }) => {
    const user = await services.accounts.findByUsername(opts.as);
    if (!user) {
      throw new CliError(`--as: no account called ${opts.as}`, 2);
    }
    const actor = actorOf(user, 'cli');
    const report = await services.caseloadImport.stage(actor, { fileName: basename(file), content });
    process.stdout.write(caseloadReportText(report));
    if (report.mapping.missing.length > 0 || report.mapping.duplicates.length > 0) {
      throw new CliError('Nothing imported: the file lacks required columns, or has one twice.');
    }
    if (report.errorCount > 0) {
      throw new CliError('Nothing imported: correct the errors in the spreadsheet and run it again.');
    }
    if (opts.dryRun) {
      process.stdout.write('Dry run: nothing imported.\n');
      return;
    }
    if (report.warningCount > 0 && opts.acceptWarnings !== true) {
      throw new CliError('Nothing imported: check each warning, then run again with --accept-warnings.');
    }
    const done = await services.caseloadImport.commit(actor, report.importId, {
      acceptWarnings: opts.acceptWarnings === true,
    });
    process.stdout.write(
      `Imported ${String(done.pumps)} pumps: ${String(done.patientsCreated)} patients registered, ${String(done.patientsMatched)} matched to registered patients, ${String(done.appointments)} refills booked. Each shows as imported and not yet checked until a clinician checks it.\n`,
    );
  });
}
