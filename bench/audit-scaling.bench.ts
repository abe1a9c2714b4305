// npm run bench: does the service scale with connections and instances on PostgreSQL?
//
//   "On PostgreSQL, audited writes per second with a pool of 20 connections ≥ with a pool of 5;
//   two instances on one database sustain ≥ 1.5× one instance's audited page throughput when
//   each has its own cores, or, on two cores, lock-wait statistics show that no request waits
//   on another's audit append."
//
// Real `itb serve` processes on one fresh PostgreSQL schema (the evidence suite's harness):
// 1. audited writes: 40 clients at once, each recording its own patient's reminder contact
//    preferences again and again through the API (the row and its audit row in one transaction),
//    for one instance with DATABASE_POOL_SIZE=5 and 20, two rounds each in turn;
// 2. audited page views (the patient page as a signed-in nurse: a read and its audit row), 20
//    clients, on one instance and then split over two;
// while every run's database sessions are sampled every 10 ms from pg_stat_activity: how often a
// session of the service waited on a lock, and how often that wait was in an audit statement.
// Prints each figure against its target; exits 0 whatever they are (it is a report), 1 only if
// the bench could not run. The load generator runs here, on the same cores as the servers and
// the database, so the throughput figures compare runs with each other, not with other benches.
import { availableParallelism, loadavg } from 'node:os';
import { daysAgo, patientBody } from '../evidence/clinic.ts';
import {
  createInstance,
  pgAdmin,
  startServer,
  type Instance,
  type ServerProcess,
} from '../evidence/harness.ts';
import { request } from '../evidence/http.ts';
import { signIn } from '../evidence/session.ts';

const POSTGRES_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';
const WARMUP_MS = 3_000;
const RUN_MS = 8_000;
const WRITE_CLIENTS = 40;
const PAGE_CLIENTS = 20;
const TWO_INSTANCE_TARGET = 1.5;

let nextPatient = 100_000;

interface Load {
  readonly okPerSecond: number;
  readonly failures: number;
}

/** `clients` loops, each sending its next request when the last is answered, for `ms`. */
async function closedLoop(
  clients: number,
  ms: number,
  send: (client: number) => Promise<boolean>,
): Promise<Load> {
  const end = Date.now() + ms;
  let ok = 0;
  let failures = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (Date.now() < end) {
        if (await send(client).catch(() => false)) {
          ok += 1;
        } else {
          failures += 1;
        }
      }
    }),
  );
  return { okPerSecond: ok / ((Date.now() - started) / 1000), failures };
}

interface LockSamples {
  samples: number;
  /** Sessions of the service seen waiting on a lock (summed over samples). */
  lockWaits: number;
  /** …of which in a statement on the audit tables, on another transaction's row or lock. */
  auditLockWaits: number;
  /**
   * …and in a statement on the audit tables waiting to extend a table's file by a page (the
   * relation extension lock, held for the moment another backend adds the page): not a wait on
   * another request's transaction, counted apart.
   */
  auditExtendWaits: number;
  /** Sessions seen running or waiting in a statement at all (summed over samples). */
  busy: number;
}

/** Samples the service's sessions (they name the schema) until `stop` resolves. */
async function sampleLocks(schema: string, stop: Promise<void>): Promise<LockSamples> {
  const found: LockSamples = { samples: 0, lockWaits: 0, auditLockWaits: 0, auditExtendWaits: 0, busy: 0 };
  let stopped = false;
  void stop.then(() => {
    stopped = true;
  });
  await pgAdmin(POSTGRES_URL, async (client) => {
    while (!stopped) {
      const r = await client.query<{
        wait_event_type: string | null;
        wait_event: string | null;
        query: string;
        state: string;
      }>(
        `select wait_event_type, wait_event, query, state from pg_stat_activity
          where application_name = $1 and state = 'active'`,
        [`itb-evidence-${schema}`],
      );
      found.samples += 1;
      for (const row of r.rows) {
        found.busy += 1;
        if (row.wait_event_type === 'Lock') {
          found.lockWaits += 1;
          if (/audit_(events|head|seals|pending)/.test(row.query)) {
            if (row.wait_event === 'extend') {
              found.auditExtendWaits += 1;
            } else {
              found.auditLockWaits += 1;
            }
          }
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  });
  return found;
}

async function measured(schema: string, run: () => Promise<Load>): Promise<Load & { locks: LockSamples }> {
  let done = () => {};
  const stop = new Promise<void>((resolve) => {
    done = resolve;
  });
  const sampling = sampleLocks(schema, stop);
  const load = await run();
  done();
  return { ...load, locks: await sampling };
}

/** One patient per client, each with the version of its contact preferences last read. */
interface Writer {
  readonly patientId: string;
  version: number;
}

async function registerWriters(server: ServerProcess, instance: Instance): Promise<Writer[]> {
  const writers: Writer[] = [];
  for (let i = 0; i < WRITE_CLIENTS; i++) {
    const created = await request(server.url, 'POST', '/api/v1/patients', {
      token: instance.staff.nurse.token,
      body: patientBody(nextPatient++),
    });
    const patientId = created.body.id;
    if (typeof patientId !== 'string') {
      throw new Error(`could not register a writer's patient: ${String(created.status)}`);
    }
    writers.push({ patientId, version: 0 });
  }
  return writers;
}

/**
 * An audited write of constant cost (the table does not grow): a patient's reminder contact
 * preferences recorded again, with the version last read (the row and its audit row in one
 * transaction, then the answer read back).
 */
async function recordPreferences(
  server: ServerProcess,
  instance: Instance,
  writer: Writer,
): Promise<boolean> {
  const answer = await request(
    server.url,
    'PUT',
    `/api/v1/patients/${writer.patientId}/contact-preferences`,
    {
      token: instance.staff.nurse.token,
      body: {
        email: 'evi.dence@example.org',
        mobile: null,
        channels: ['email'],
        consentGiven: true,
        consentDate: daysAgo(0),
        version: writer.version,
      },
    },
  );
  const version = (answer.body.preferences as { version?: unknown } | null | undefined)?.version;
  if (answer.status !== 200 || typeof version !== 'number') {
    return false;
  }
  writer.version = version;
  return true;
}

async function viewPage(server: ServerProcess, path: string, cookie: string): Promise<boolean> {
  const res = await fetch(`${server.url}${path}`, { headers: { cookie }, redirect: 'manual' });
  await res.arrayBuffer();
  return res.status === 200;
}

async function writesWithPool(
  instance: Instance,
  schema: string,
  poolSize: number,
  writers: readonly Writer[],
) {
  const server = await startServer(instance, { env: { DATABASE_POOL_SIZE: String(poolSize) } });
  const send = (client: number) => recordPreferences(server, instance, writers[client] as Writer);
  try {
    await closedLoop(WRITE_CLIENTS, WARMUP_MS, send);
    return await measured(schema, () => closedLoop(WRITE_CLIENTS, RUN_MS, send));
  } finally {
    await server.kill();
  }
}

async function pagesOn(
  servers: readonly ServerProcess[],
  instance: Instance,
  schema: string,
  patientId: string,
) {
  const cookies = await Promise.all(
    servers.map((s) => signIn(s.url, instance.staff.nurse.username, instance.password)),
  );
  const path = `/patients/${patientId}`;
  const send = (client: number) => {
    const i = client % servers.length;
    return viewPage(servers[i] as ServerProcess, path, cookies[i] as string);
  };
  await closedLoop(PAGE_CLIENTS, WARMUP_MS, send);
  return measured(schema, () => closedLoop(PAGE_CLIENTS, RUN_MS, send));
}

function sumLocks(all: readonly LockSamples[]): LockSamples {
  const sum: LockSamples = { samples: 0, lockWaits: 0, auditLockWaits: 0, auditExtendWaits: 0, busy: 0 };
  for (const l of all) {
    sum.samples += l.samples;
    sum.lockWaits += l.lockWaits;
    sum.auditLockWaits += l.auditLockWaits;
    sum.auditExtendWaits += l.auditExtendWaits;
    sum.busy += l.busy;
  }
  return sum;
}

function lockLine(name: string, l: LockSamples): string {
  return `${name}: ${String(l.samples)} samples, ${String(l.busy)} busy sessions seen, ${String(l.lockWaits)} waiting on a lock, ${String(l.auditLockWaits)} of them in an audit statement on another transaction, ${String(l.auditExtendWaits)} on a table's file growing`;
}

async function main(): Promise<void> {
  console.log('Benchmark: audited writes and pages on PostgreSQL, by pool size and by instances');
  console.log(
    `node ${process.version}, ${String(availableParallelism())} CPUs; 1-minute load average before: ${loadavg()[0]?.toFixed(2) ?? '?'}`,
  );
  const instance = await createInstance(
    {
      size: 'reduced',
      database: 'postgres',
      postgresUrl: POSTGRES_URL,
      log: (l) => {
        console.error(l);
      },
    },
    'scaling',
  );
  const schema = instance.pgSchema ?? '';
  try {
    const first = await startServer(instance);
    let writers: Writer[];
    try {
      writers = await registerWriters(first, instance);
    } finally {
      await first.kill();
    }
    // Two rounds each, alternating, so neither size always runs on the larger tables.
    const rounds: { size: number; run: Awaited<ReturnType<typeof writesWithPool>> }[] = [];
    for (const size of [5, 20, 5, 20]) {
      await pgAdmin(POSTGRES_URL, (c) => c.query(`vacuum analyze ${schema}.patient_contact_preferences`));
      const run = await writesWithPool(instance, schema, size, writers);
      rounds.push({ size, run });
      console.log(
        `audited writes, pool ${String(size).padEnd(2)}: ${run.okPerSecond.toFixed(0)}/s (${String(run.failures)} failed)`,
      );
    }
    const pool = (size: number) => {
      const runs = rounds.filter((r) => r.size === size).map((r) => r.run);
      return {
        okPerSecond: runs.reduce((n, r) => n + r.okPerSecond, 0) / runs.length,
        locks: sumLocks(runs.map((r) => r.locks)),
      };
    };
    const pool5 = pool(5);
    const pool20 = pool(20);

    const a = await startServer(instance);
    let b: ServerProcess | null = null;
    try {
      const created = await request(a.url, 'POST', '/api/v1/patients', {
        token: instance.staff.nurse.token,
        body: patientBody(1),
      });
      const patientId = created.body.id;
      if (typeof patientId !== 'string') {
        throw new Error(`could not register the page's patient: ${String(created.status)}`);
      }
      const one = await pagesOn([a], instance, schema, patientId);
      console.log(
        `audited pages, one instance:  ${one.okPerSecond.toFixed(0)}/s (${String(one.failures)} failed)`,
      );
      b = await startServer(instance);
      const two = await pagesOn([a, b], instance, schema, patientId);
      console.log(
        `audited pages, two instances: ${two.okPerSecond.toFixed(0)}/s (${String(two.failures)} failed)`,
      );

      const ratio = two.okPerSecond / one.okPerSecond;
      const allLocks = [pool5.locks, pool20.locks, one.locks, two.locks];
      const auditWaits = allLocks.reduce((n, l) => n + l.auditLockWaits, 0);
      console.log('');
      console.log(lockLine('pool 5 writes', pool5.locks));
      console.log(lockLine('pool 20 writes', pool20.locks));
      console.log(lockLine('one instance pages', one.locks));
      console.log(lockLine('two instances pages', two.locks));
      console.log('');
      console.log(
        'measure                                              figure        target          verdict',
      );
      console.log(
        `audited writes/s, pool 20 against pool 5 (mean of 2) ${pool20.okPerSecond.toFixed(0)} vs ${pool5.okPerSecond.toFixed(0)}    pool 20 ≥ pool 5  ${pool20.okPerSecond >= pool5.okPerSecond ? 'PASS' : 'FAIL'}`,
      );
      console.log(
        `two instances against one (pages/s)                  ${ratio.toFixed(2)}×         ≥ ${String(TWO_INSTANCE_TARGET)}× or no audit lock waits  ${ratio >= TWO_INSTANCE_TARGET ? 'PASS' : auditWaits === 0 ? `PASS (no audit lock waits; ${String(availableParallelism())} cores shared by both instances, the database and this load)` : 'FAIL'}`,
      );
      console.log(
        `sessions seen waiting on another transaction in an audit statement ${String(auditWaits)}   = 0   ${auditWaits === 0 ? 'PASS' : 'FAIL'}`,
      );
    } finally {
      await a.kill();
      await b?.kill();
    }
  } finally {
    await instance.dispose();
  }
}

try {
  await main();
  process.exit(0);
} catch (err) {
  console.error('the scaling bench could not run:', err);
  process.exit(1);
}
