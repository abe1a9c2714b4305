#!/usr/bin/env node
/**
 * `npm run evidence`: measures the service's guarantees on a fresh instance of each database and
 * prints every figure against its target; exits 1 when any target is missed (2 on bad options).
 *
 *   npm run evidence                         reduced size, SQLite and PostgreSQL (what CI runs)
 *   npm run evidence -- --full               the size the targets are stated for
 *   npm run evidence -- --database sqlite    one database only
 *   npm run evidence -- --section crash      one section only (repeatable)
 *
 * PostgreSQL is reached at TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test);
 * each section works in a schema of its own and drops it. docs/evidence.md says what each
 * figure means and how it is measured.
 */
import { parseArgs } from 'node:util';
import { authzSection } from './authz.ts';
import { backupSection } from './backup.ts';
import { crashSection } from './crash.ts';
import type { EvidenceDatabase, Figure, Section, SectionOptions } from './figure.ts';
import { faultsSection } from './faults.ts';
import { fuzzSection } from './fuzz.ts';
import { withTimeout } from './harness.ts';
import { memorySection } from './memory.ts';
import { racesSection } from './races.ts';
import { sectionFailed } from './targets.ts';

const SECTIONS: readonly (readonly [string, Section])[] = [
  ['crash', crashSection],
  ['races', racesSection],
  ['memory', memorySection],
  ['backup', backupSection],
  ['faults', faultsSection],
  ['fuzz', fuzzSection],
  ['authz', authzSection],
];

/** No section may run longer than this; a section that does counts as failed. */
const SECTION_LIMIT_MS = { reduced: 10 * 60_000, full: 3 * 60 * 60_000 } as const;

const USAGE =
  'usage: npm run evidence -- [--full] [--database sqlite|postgres] [--section NAME ...]\n' +
  `sections: ${SECTIONS.map(([name]) => name).join(', ')}\n`;

function parse(argv: readonly string[]) {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      full: { type: 'boolean', default: false },
      database: { type: 'string' },
      section: { type: 'string', multiple: true },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const db = values.database;
  let databases: EvidenceDatabase[];
  if (db === undefined) {
    databases = ['sqlite', 'postgres'];
  } else if (db === 'sqlite' || db === 'postgres') {
    databases = [db];
  } else {
    throw new Error(`--database must be sqlite or postgres, not "${db}"`);
  }
  const known = new Set(SECTIONS.map(([name]) => name));
  for (const name of values.section ?? []) {
    if (!known.has(name)) {
      throw new Error(`--section: no section called "${name}"`);
    }
  }
  return {
    size: values.full ? ('full' as const) : ('reduced' as const),
    databases,
    sections: values.section && values.section.length > 0 ? new Set(values.section) : known,
  };
}

function formatValue(f: Figure): string {
  const v = Number.isInteger(f.value) ? String(f.value) : f.value.toFixed(2);
  return f.unit === 'yes=1' ? (f.value === 1 ? 'yes' : 'no') : `${v} ${f.unit}`;
}

/** An error with the chain of its causes, each with its stack. */
function describeError(err: unknown): string {
  if (!(err instanceof Error)) {
    return String(err);
  }
  const own = err.stack ?? err.message;
  return err.cause === undefined ? own : `${own}\ncaused by: ${describeError(err.cause)}`;
}

function table(figs: readonly Figure[]): string {
  const rows = [
    ['section', 'figure', 'database', 'value', 'target', 'met'],
    ...figs.map((f) => [
      f.section,
      f.name,
      f.database,
      formatValue(f),
      f.unit === 'yes=1' ? 'yes' : f.target,
      f.met ? 'yes' : 'NO',
    ]),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const postgresUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const started = Date.now();
  const all: Figure[] = [];
  // Why each failed section failed, printed again under the table: CI keeps only the end of
  // a long run's output, and the first report is far above it.
  const failures: string[] = [];
  for (const [name, section] of SECTIONS) {
    if (!args.sections.has(name)) {
      continue;
    }
    for (const database of args.databases) {
      const options: SectionOptions = { size: args.size, database, postgresUrl, log };
      const t0 = Date.now();
      log(`${name}/${database}: running (${args.size})`);
      try {
        const figs = await withTimeout(
          section(options),
          SECTION_LIMIT_MS[args.size],
          `${name} took too long`,
        );
        all.push(...figs);
      } catch (err) {
        const why = `${name}/${database}: FAILED: ${describeError(err)}`;
        log(why);
        failures.push(why);
        all.push(sectionFailed(name, database));
      }
      log(`${name}/${database}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
  }
  const missed = all.filter((f) => !f.met);
  process.stdout.write(
    `\nEvidence (${args.size}), ${((Date.now() - started) / 1000).toFixed(0)} s:\n\n${table(all)}\n\n`,
  );
  for (const why of failures) {
    process.stdout.write(`${why}\n\n`);
  }
  process.stdout.write(
    missed.length === 0
      ? `All ${String(all.length)} figures met their targets.\n`
      : `${String(missed.length)} of ${String(all.length)} figures missed their targets.\n`,
  );
  return missed.length === 0 ? 0 : 1;
}

// Explicit exit: a section's stray timer or socket must not keep the run alive, and the
// harness's exit hook then kills any server a failed section left behind.
process.exit(await main());
