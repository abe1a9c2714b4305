// npm run bench (third part): reading the audit trail at scale, on SQLite and then PostgreSQL.
//
//   "'Who opened this patient's record' over 10 million audit rows answers its first page in
//   ≤ 200 ms on each database."
//
// For each database: 10 million audit rows are generated inside the database in one statement
// (INSERT … SELECT over generate_series on PostgreSQL, over a recursive CTE on SQLite), spread
// over 20,000 patients, 50 staff and a mix of actions, with 3 rows in 10 naming no patient (sign
// ins, searches). One patient is registered for real so the page can name them. Then the first
// page of the trail for that patient is asked for, many times, through the service the page
// uses (browseAudit: the keyset query, names, the audit row it writes) and through the whole app
// as a signed-in administrator (app.inject), filtered by patient, by patient and "views only",
// and by user. Prints p50/p95 against the target; exits 0 whatever they are (it is a report),
// 1 only if a database could not be benchmarked.
//
// The generated rows are not sealed into the hash chain (nor queued for the sealer); the bench
// measures reading, and the chain's own check is not part of it. AUDIT_BENCH_ROWS sets another row count
// (for a quick try); the target is stated for 10 million.
import { sql } from 'kysely';
import { browseAudit } from '../src/services/audit-query-service.ts';
import type { Actor } from '../src/services/audit-service.ts';
import { addUser } from '../src/services/user-service.ts';
import type { Db } from '../src/storage/database.ts';
import { Browser, startTestApp } from '../test/support/test-app.ts';
import type { DialectName } from '../test/support/databases.ts';

const ROWS = Number(process.env.AUDIT_BENCH_ROWS ?? 10_000_000);
const PATIENTS = 20_000;
const RUNS = 30;
const TARGET_MS = 200;
/** The registered patient's rows are those with seq % PATIENTS = this. */
const TARGET_SLOT = 7;
/** 1 August 2026 00:00 UTC; row n is n seconds later (10 million rows span about 16 weeks). */
const START_EPOCH_S = 1_785_542_400;

function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/**
 * The columns of generated row n, as SQL over `n` and the registered patient's id. Actions
 * cycle through views, changes and sign-ins; every 10th, 11th and 12th slot has no patient.
 */
function rowSelect(dialect: DialectName, patientId: string) {
  const ts =
    dialect === 'postgres'
      ? sql`to_char(timestamp '1970-01-01' + (${START_EPOCH_S} + n) * interval '1 second', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
      : sql`strftime('%Y-%m-%dT%H:%M:%fZ', ${START_EPOCH_S} + n, 'unixepoch')`;
  const text = (e: ReturnType<typeof sql>) =>
    dialect === 'postgres' ? sql`(${e})::text` : sql`cast(${e} as text)`;
  return sql`
    n,
    ${ts},
    'bench-req-' || ${text(sql`n`)},
    'bench-user-' || ${text(sql`n % 50`)},
    'benchuser' || ${text(sql`n % 50`)},
    'nurse-specialist',
    case n % 6 when 0 then 'patient.view' when 1 then 'pump.view' when 2 then 'refill.record'
      when 3 then 'referral.view' when 4 then 'patient.search' else 'auth.sign-in' end,
    'patient',
    null,
    case when n % 10 in (4, 5) then null
      when n % ${PATIENTS} = ${TARGET_SLOT} then ${patientId}
      else 'bench-patient-' || ${text(sql`n % ${PATIENTS}`)} end,
    'success',
    '{}'`;
}

const COLUMNS = sql`(seq, occurred_at, request_id, user_id, username, role, action, entity_type,
  entity_id, patient_id, outcome, details)`;

/** The trail's secondary indexes as the migrations made them, to drop and make again. */
async function secondaryIndexes(db: Db, dialect: DialectName): Promise<{ name: string; ddl: string }[]> {
  const rows =
    dialect === 'postgres'
      ? await sql<{ name: string; ddl: string }>`select indexname as name, indexdef as ddl from pg_indexes
          where schemaname = current_schema() and tablename = 'audit_events' and indexname not like '%pkey'`.execute(
          db,
        )
      : await sql<{ name: string; ddl: string }>`select name, sql as ddl from sqlite_master
          where type = 'index' and tbl_name = 'audit_events' and sql is not null`.execute(db);
  return rows.rows;
}

/**
 * Writes ROWS audit rows in one statement, after the rows the set-up wrote. As any bulk load,
 * the secondary indexes are dropped first and built again after (one sort each, instead of
 * ten million random inserts into each), from their own definitions, so they are the ones the
 * migrations made.
 */
async function generateRows(db: Db, dialect: DialectName, patientId: string): Promise<void> {
  const top = await db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.max<number | null>('seq').as('seq'))
    .executeTakeFirstOrThrow();
  const offset = top.seq ?? 0;
  const select = rowSelect(dialect, patientId);
  const indexes = await secondaryIndexes(db, dialect);
  for (const { name } of indexes) {
    await sql`drop index ${sql.id(name)}`.execute(db);
  }
  if (dialect === 'postgres') {
    // The trigger that queues each row for the sealer would run once a row; these are not sealed.
    await sql`alter table audit_events disable trigger audit_events_pending`.execute(db);
    await sql`insert into audit_events ${COLUMNS}
      select ${select} from generate_series(${offset + 1}::bigint, ${offset + ROWS}::bigint) as g(n)`.execute(
      db,
    );
    await sql`alter table audit_events enable trigger audit_events_pending`.execute(db);
    // Rows appended after these (the reads' own audit rows) take the numbers after them.
    await sql`select setval('audit_events_seq_seq', ${offset + ROWS + 1}, false)`.execute(db);
    await sql`set maintenance_work_mem = '256MB'`.execute(db);
  } else {
    await sql`drop trigger audit_events_pending`.execute(db);
    await sql`pragma cache_size = -262144`.execute(db);
    await sql`with recursive g(n) as (select ${offset + 1} union all select n + 1 from g where n < ${offset + ROWS})
      insert into audit_events ${COLUMNS} select ${select} from g`.execute(db);
    await sql`create trigger audit_events_pending after insert on audit_events
      begin insert into audit_pending (seq) values (new.seq); end`.execute(db);
  }
  for (const { ddl } of indexes) {
    await sql.raw(ddl).execute(db);
  }
}

function verdict(ms: number): string {
  return ms <= TARGET_MS ? 'OK' : 'MISSED';
}

function report(dialect: DialectName, what: string, samples: readonly number[]): void {
  const p50 = percentile(samples, 50);
  const p95 = percentile(samples, 95);
  console.log(
    `${dialect}: ${what}: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (target ≤ ${TARGET_MS} ms): ${verdict(p95)}`,
  );
}

async function benchDialect(dialect: DialectName): Promise<void> {
  const t = await startTestApp(dialect);
  try {
    const db = t.deps.database.db;
    const clock = t.clock;
    const admin = await addUser({ db, clock }, null, {
      username: 'benchadmin',
      displayName: 'Bench Administrator',
      role: 'administrator',
      password: 'a-long-bench-password-1',
    });
    const nurse = await addUser({ db, clock }, null, {
      username: 'benchnurse',
      displayName: 'Bench Nurse',
      role: 'nurse-specialist',
      password: 'a-long-bench-password-2',
    });
    const nurseActor: Actor = { userId: nurse.id, username: 'benchnurse', role: nurse.role, requestId: null };
    const patient = await t.deps.services.patients.create(nurseActor, {
      nhsNumber: '4857773457',
      givenName: 'Ann',
      familyName: 'Smith',
      dateOfBirth: '1961-03-14',
      sex: 'female',
    });

    const seedStart = performance.now();
    await generateRows(db, dialect, patient.id);
    const seededS = (performance.now() - seedStart) / 1000;
    const analyseStart = performance.now();
    // A live database keeps its planner statistics (autovacuum on PostgreSQL, PRAGMA optimize on
    // SQLite at start-up); a bulk load has none until analysed.
    await (dialect === 'postgres' ? sql`vacuum analyze audit_events` : sql`analyze`).execute(db);
    console.log(
      `${dialect}: ${ROWS.toLocaleString('en-GB')} audit rows generated in ${seededS.toFixed(1)} s, analysed in ${((performance.now() - analyseStart) / 1000).toFixed(1)} s`,
    );

    const adminActor: Actor = { userId: admin.id, username: 'benchadmin', role: admin.role, requestId: null };
    const svc = { db, clock };
    const service = async (filter: Parameters<typeof browseAudit>[2]): Promise<number[]> => {
      await browseAudit(svc, adminActor, filter); // warms the statement and the cache up
      const samples: number[] = [];
      for (let i = 0; i < RUNS; i += 1) {
        samples.push(await timed(() => browseAudit(svc, adminActor, filter)));
      }
      return samples;
    };
    report(
      dialect,
      "who opened this patient's record, first page (service)",
      await service({ patientId: patient.id, actions: ['patient.view', 'pump.view', 'referral.view'] }),
    );
    report(
      dialect,
      'everything about this patient, first page (service)',
      await service({ patientId: patient.id }),
    );
    report(dialect, 'one user, first page (service)', await service({ username: 'benchuser7' }));

    const browser = new Browser(t);
    await browser.signIn('benchadmin', 'a-long-bench-password-1');
    const page = async (url: string): Promise<number[]> => {
      const first = await browser.get(url);
      if (first.statusCode !== 200 || !first.body.includes('benchuser')) {
        throw new Error(`GET ${url} answered ${String(first.statusCode)} without the expected rows`);
      }
      const samples: number[] = [];
      for (let i = 0; i < RUNS; i += 1) {
        samples.push(await timed(() => browser.get(url)));
      }
      return samples;
    };
    report(
      dialect,
      "who opened this patient's record, first page (whole app)",
      await page('/audit?nhsNumber=4857773457&what=views'),
    );
    report(
      dialect,
      'everything about this patient, first page (whole app)',
      await page('/audit?nhsNumber=4857773457'),
    );
    const older = await browser.get('/audit?nhsNumber=4857773457');
    const next = /href="(\/audit\?[^"]*before=\d+)"/.exec(older.body)?.[1]?.replace(/&amp;/g, '&');
    if (next) {
      report(dialect, 'the same, second page (whole app, keyset)', await page(next));
    }
  } finally {
    await t.close();
  }
}

let failed = false;
for (const dialect of ['sqlite', 'postgres'] as const) {
  try {
    await benchDialect(dialect);
  } catch (err) {
    failed = true;
    console.error(`${dialect}: could not be benchmarked:`, err);
  }
}
process.exit(failed ? 1 : 0);
