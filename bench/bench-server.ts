// Child process of patient-page.bench.ts: serves, for one database (argv[2]: sqlite | postgres),
// the real application and a bare Fastify instance whose route does the patient page's database
// read and write (the patient overview), each on its own freshly migrated database with the
// same patient, on 127.0.0.1 with an ephemeral port. It runs apart from the load generator so
// that autocannon does not share this event loop.
//
// IPC: sends `ready` once both servers listen; answers `check` with the audit row counts and a
// chain verification; on `stop` closes everything and exits.
import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { composeApp } from '../src/compose.ts';
import { loadConfig } from '../src/config.ts';
import { buildApp } from '../src/http/app.ts';
import { sessionCookieName } from '../src/http/plugins/security.ts';
import { startAuditSealer } from '../src/jobs/audit-sealer.ts';
import { actorEvent, appendAudit, type Actor } from '../src/services/audit-service.ts';
import { systemClock } from '../src/services/clock.ts';
import { patientOverview } from '../src/services/patient-overview-service.ts';
import { createPatient } from '../src/services/patient-service.ts';
import { addUser } from '../src/services/user-service.ts';
import type { DatabaseHandle } from '../src/storage/create-database.ts';
import type { Db } from '../src/storage/database.ts';
import { findPatientById } from '../src/storage/patients.repository.ts';
import type { User } from '../src/storage/users.repository.ts';
import { sealAndVerify } from '../test/support/audit-chain.ts';
import { openTestDatabase, type DialectName, type TestDatabase } from '../test/support/databases.ts';
import type { ChildMessage, ParentMessage } from './protocol.ts';

const PASSWORD = 'a-long-bench-password-1';
const PATIENT = {
  nhsNumber: '4857773457',
  givenName: 'Ann',
  familyName: 'Smith',
  dateOfBirth: '1961-03-14',
  sex: 'female',
};

function send(message: ChildMessage): void {
  if (!process.send) {
    throw new Error('bench-server.ts is started by patient-page.bench.ts (it needs an IPC channel)');
  }
  process.send(message);
}

async function addNurse(db: Db): Promise<User> {
  return addUser({ db, clock: systemClock }, null, {
    username: 'benchnurse',
    displayName: 'Bench Nurse',
    role: 'nurse-specialist',
    password: PASSWORD,
  });
}

function actorOf(user: User, requestId: string | null): Actor {
  return { userId: user.id, username: user.username, role: user.role, requestId };
}

/** Each cookie of a response as `name=value`, by name. */
function cookiesOf(setCookie: string | string[] | undefined): Map<string, string> {
  const jar = new Map<string, string>();
  for (const line of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
    const pair = line.split(';')[0] ?? '';
    const eq = pair.indexOf('=');
    if (eq > 0) {
      jar.set(pair.slice(0, eq), pair);
    }
  }
  return jar;
}

/** Signs in through the real form (CSRF token and cookie included) and returns the session cookie. */
async function signIn(app: FastifyInstance, username: string, sessionCookie: string): Promise<string> {
  const form = await app.inject({ method: 'GET', url: '/sign-in' });
  const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
  if (form.statusCode !== 200 || !token) {
    throw new Error(`GET /sign-in gave ${form.statusCode} without a CSRF token`);
  }
  const csrfCookies = [...cookiesOf(form.headers['set-cookie']).values()].join('; ');
  const res = await app.inject({
    method: 'POST',
    url: '/sign-in',
    headers: { cookie: csrfCookies, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: token, username, password: PASSWORD, next: '/' }).toString(),
  });
  const session = cookiesOf(res.headers['set-cookie']).get(sessionCookie);
  if (res.statusCode !== 303 || !session) {
    throw new Error(`POST /sign-in gave ${res.statusCode} without a ${sessionCookie} cookie`);
  }
  return session;
}

/** The durability settings the handle really runs with, read back from the database. */
async function durability(handle: DatabaseHandle): Promise<string> {
  if (handle.dialect === 'sqlite') {
    const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(handle.db);
    const sync = await sql<{ synchronous: number }>`pragma synchronous`.execute(handle.db);
    const level = ['OFF', 'NORMAL', 'FULL', 'EXTRA'][sync.rows[0]?.synchronous ?? -1] ?? 'unknown';
    return `journal_mode=${mode.rows[0]?.journal_mode ?? '?'}, synchronous=${level}`;
  }
  const show = async (name: string) => {
    const r = await sql<Record<string, string>>`select current_setting(${name}) as v`.execute(handle.db);
    return `${name}=${r.rows[0]?.v ?? '?'}`;
  };
  return [await show('synchronous_commit'), await show('fsync'), await show('wal_sync_method')].join(', ');
}

/** The real application, signed in as a nurse, with one patient to view. */
async function startReal(dialect: DialectName) {
  const database = await openTestDatabase(dialect);
  const deps = await composeApp(loadConfig({}, { logLevel: 'silent' }), {
    clock: systemClock,
    database: database.handle,
    migrate: false,
  });
  const app = await buildApp(deps, { logger: false });
  const user = await addNurse(deps.database.db);
  const patient = await createPatient(
    { db: deps.database.db, clock: systemClock, timeZone: deps.config.timeZone },
    actorOf(user, null),
    PATIENT,
  );
  const cookie = await signIn(app, user.username, sessionCookieName(deps.config));
  // The sealer runs beside the requests, as in `itb serve`, so its work is in the figures.
  const stopSealer = startAuditSealer(deps, {
    error: (obj, msg) => {
      console.error(msg, obj);
    },
    info: () => {},
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, database, stopSealer, url: `${url}/patients/${patient.id}`, cookie };
}

/**
 * A bare Fastify instance (no plugins, sessions, views or hooks) on a database of the same kind
 * and settings, holding the same patient as the real application's (the record alone: no
 * referrals, assessments or pumps, as startReal creates her), with two routes:
 *
 * - `/bare/patients/:id` does to the database what the patient page does, in the same way: it
 *   calls the page's own patientOverview (in one transaction, the record and every list the
 *   overview reads, and the `patient.view` audit row appended with the same appendAudit) and
 *   answers with what it read as JSON. The page's 0.8 throughput target is against this route.
 * - `/bare/patient-row/:id` reads only the patient's row and appends the audit row, in one
 *   transaction: the comparison the bench made before, kept for the record only.
 *
 * The sealer is not run beside them: the real app's sealer is part of what the page costs.
 */
async function startBare(dialect: DialectName) {
  const database = await openTestDatabase(dialect);
  const db = database.handle.db;
  const config = loadConfig({}, { logLevel: 'silent' });
  const overviewDeps = { db, clock: systemClock, timeZone: config.timeZone, config };
  const user = await addNurse(db);
  const patient = await createPatient(
    { db, clock: systemClock, timeZone: config.timeZone },
    actorOf(user, null),
    PATIENT,
  );
  const app = Fastify({ logger: false });
  app.get<{ Params: { id: string } }>('/bare/patients/:id', async (request) =>
    patientOverview(overviewDeps, actorOf(user, request.id), request.params.id),
  );
  app.get<{ Params: { id: string } }>('/bare/patient-row/:id', async (request, reply) => {
    const id = request.params.id;
    const found = await db.transaction().execute(async (trx) => {
      const row = await findPatientById(trx, id);
      if (!row) {
        return undefined;
      }
      await appendAudit(
        trx,
        systemClock,
        actorEvent(actorOf(user, request.id), {
          action: 'patient.view',
          outcome: 'success',
          entityType: 'patient',
          entityId: id,
          patientId: id,
        }),
      );
      return row;
    });
    return found ?? reply.status(404).send({ error: 'not found' });
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    app,
    database,
    url: `${url}/bare/patients/${patient.id}`,
    rowUrl: `${url}/bare/patient-row/${patient.id}`,
  };
}

async function auditState(database: TestDatabase) {
  const count = await database.handle.db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  const check = await sealAndVerify(database.handle.db);
  return { rows: Number(count.n), chainOk: check.problem === null };
}

const dialect = process.argv[2];
if (dialect !== 'sqlite' && dialect !== 'postgres') {
  throw new Error('usage: node bench/bench-server.ts sqlite|postgres');
}
const real = await startReal(dialect);
const bare = await startBare(dialect);

process.on('message', (message: ParentMessage) => {
  void (async () => {
    if (message.type === 'check') {
      const [r, b] = await Promise.all([auditState(real.database), auditState(bare.database)]);
      send({
        type: 'checked',
        realAuditRows: r.rows,
        realChainOk: r.chainOk,
        bareAuditRows: b.rows,
        bareChainOk: b.chainOk,
      });
      return;
    }
    await real.app.close();
    await real.stopSealer();
    await bare.app.close();
    await real.database.dispose();
    await bare.database.dispose();
    process.disconnect();
  })();
});

send({
  type: 'ready',
  realUrl: real.url,
  bareUrl: bare.url,
  bareRowUrl: bare.rowUrl,
  cookie: real.cookie,
  patientName: `${PATIENT.familyName.toUpperCase()}, ${PATIENT.givenName}`,
  realDurability: await durability(real.database.handle),
  bareDurability: await durability(bare.database.handle),
});
