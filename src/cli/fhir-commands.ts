import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import cliProgress from 'cli-progress';
import type { RouteDeps } from '../compose.ts';
import { roleHasPermission, type Permission } from '../domain/roles.ts';
import { actorOf, type Actor } from '../services/audit-service.ts';
import { FHIR_EXPORT_TYPES, isFhirExportType, type FhirExportType } from '../services/fhir/fhir-types.ts';
import type { ImportReport } from '../services/fhir-import/import-service.ts';
import { CliError, withApp } from './commands.ts';

/** The account a command acts as, named in the audit trail (`--as`), as `itb protocols import` does. */
async function actorNamed(deps: RouteDeps, username: string, permission: Permission): Promise<Actor> {
  const user = await deps.services.accounts.findByUsername(username);
  if (!user || user.disabledAt !== null) {
    throw new CliError(`--as: no active account called ${username}`, 2);
  }
  // The same permission the HTTP route asks for, so the command line is no way around it.
  if (!roleHasPermission(user.role, permission)) {
    throw new CliError(`--as: ${username}'s role (${user.role}) does not have ${permission}`, 2);
  }
  return actorOf(user, 'cli');
}

/** `--types Patient,Device`: each a type the export serves. */
export function parseTypes(list: string | undefined): FhirExportType[] {
  if (list === undefined) {
    return [...FHIR_EXPORT_TYPES];
  }
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !isFhirExportType(n));
  if (names.length === 0 || unknown.length > 0) {
    throw new CliError(
      `--types: ${unknown.length > 0 ? `unknown ${unknown.join(', ')}` : 'name at least one type'}; choose from ${FHIR_EXPORT_TYPES.join(', ')}`,
      2,
    );
  }
  return names.filter(isFhirExportType);
}

/** Progress on stderr: a bar on a terminal, otherwise a plain line every few seconds (logs, CI). */
function progressReporter(total: number): { tick(done: number): void; stop(done: number): void } {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream: process.stderr,
        format: 'Exporting [{bar}] {percentage}% | {value}/{total} resources | {eta}s left',
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0);
    return {
      tick: (done) => {
        bar.update(done);
      },
      stop: (done) => {
        bar.update(done);
        bar.stop();
      },
    };
  }
  let last = Date.now();
  return {
    tick: (done) => {
      if (Date.now() - last >= 2000) {
        last = Date.now();
        process.stderr.write(`Exported ${String(done)} of ${String(total)} resources\n`);
      }
    },
    stop: () => undefined,
  };
}

async function writeLine(stream: WriteStream, line: string): Promise<void> {
  if (!stream.write(line)) {
    await once(stream, 'drain');
  }
}

async function closeStream(stream: WriteStream): Promise<void> {
  stream.end();
  await once(stream, 'finish');
}

/**
 * `itb fhir export DIR [--types T,…] [--force] --as USERNAME`: every resource as NDJSON, one file
 * per type (Patient.ndjson …, as FHIR Bulk Data names them; a type with no resources has no
 * file), streamed from the service's keyset pages so neither side holds the whole export.
 */
export async function fhirExportCommand(
  dir: string,
  opts: { as: string; types?: string; force?: boolean },
): Promise<void> {
  const types = parseTypes(opts.types);
  const existing = await readdir(dir).catch((err: unknown) => {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return [];
    }
    throw new CliError(`DIR: cannot use ${dir} (${(err as Error).message})`, 2);
  });
  if (existing.length > 0 && opts.force !== true) {
    throw new CliError(`DIR: ${dir} is not empty; choose an empty folder or add --force to overwrite`, 2);
  }
  await mkdir(dir, { recursive: true });
  await withApp(async (deps) => {
    const actor = await actorNamed(deps, opts.as, 'patient:read');
    const started = Date.now();
    const total = await deps.services.fhir.countForExport(types);
    const progress = progressReporter(total);
    const files = new Map<string, { stream: WriteStream; count: number }>();
    let done = 0;
    try {
      for await (const resource of deps.services.fhir.exportAll(actor, { types })) {
        let file = files.get(resource.resourceType);
        if (!file) {
          file = { stream: createWriteStream(join(dir, `${resource.resourceType}.ndjson`)), count: 0 };
          files.set(resource.resourceType, file);
        }
        await writeLine(file.stream, `${JSON.stringify(resource)}\n`);
        file.count++;
        done++;
        if (done % 1000 === 0) {
          progress.tick(done);
        }
      }
    } finally {
      progress.stop(done);
      await Promise.all([...files.values()].map((f) => closeStream(f.stream)));
    }
    const seconds = (Date.now() - started) / 1000;
    const lines = types.map(
      (t) => `  ${`${t}.ndjson`.padEnd(32)} ${String(files.get(t)?.count ?? 0).padStart(9)}`,
    );
    process.stdout.write(
      `Exported ${String(done)} resources to ${dir} in ${seconds.toFixed(1)} s\n${lines.join('\n')}\n`,
    );
  });
}

/** The import report as lines a person can act on: each entry's outcome, then every problem. */
export function importReportText(report: ImportReport): string {
  const head = report.saved
    ? `Imported a ${report.bundleType ?? ''} bundle of ${String(report.entryCount)} patients: ${String(report.created)} registered, ${String(report.matched)} matched, ${String(report.rejected)} with problems.`
    : `Nothing was saved: ${String(report.issues.filter((i) => i.severity === 'error').length)} problems in a bundle of ${String(report.entryCount)} entries${report.bundleType === 'transaction' ? ' (a transaction is all or nothing)' : ''}.`;
  const problems = report.issues.map(
    (i) => `  ${i.severity === 'error' ? 'Error' : 'Warning'} ${i.path}: ${i.message}`,
  );
  const entries = report.entries.map(
    (e) =>
      `  entry ${String(e.index)}: ${e.outcome}${e.nhsNumber === null ? '' : ` (NHS number ${e.nhsNumber})`}${e.patientId === null ? '' : ` patient ${e.patientId}`}`,
  );
  return [head, ...entries, ...(problems.length > 0 ? ['Problems:', ...problems] : [])].join('\n') + '\n';
}

/**
 * `itb fhir import FILE.json --as USERNAME [--json]`: a transaction or batch Bundle of Patients,
 * registered or matched by NHS number as POST /fhir/R4 does. Exits 1 when anything was refused.
 */
export async function fhirImportCommand(file: string, opts: { as: string; json?: boolean }): Promise<void> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new CliError(
      `FILE: cannot read "${file}" as JSON (${err instanceof Error ? err.message : String(err)})`,
      2,
    );
  }
  const report = await withApp(async (deps) =>
    deps.services.fhirImport.importBundle(await actorNamed(deps, opts.as, 'patient:write'), raw),
  );
  process.stdout.write(opts.json === true ? `${JSON.stringify(report)}\n` : importReportText(report));
  if (report.rejected > 0 || !report.saved) {
    throw new CliError('Some entries were not imported: see the report above.', 1);
  }
}
