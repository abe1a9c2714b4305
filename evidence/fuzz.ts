import { join } from 'node:path';
import fc from 'fast-check';
import { ROLES, type Role } from '../src/domain/roles.ts';
import { actorOf } from '../src/services/audit-service.ts';
import { hashPassword } from '../src/services/secrets.ts';
import { setRolesRequiringMfa } from '../src/services/mfa-policy-service.ts';
import { seedWorld, type SeededWorld } from '../test/support/seeded-world.ts';
import { PASSWORD, startTestApp, type TestApp } from '../test/support/test-app.ts';
import type { Figure, Section } from './figure.ts';
import { errorClass, Failures, type ThrownError } from './fuzz-record.ts';
import { requestArb } from './fuzz-requests.ts';
import { FuzzSessions, injectTransport, type FuzzRequest, type WireResponse } from './fuzz-send.ts';
import { fuzzRealServer } from './fuzz-server.ts';
import { collectTargets, type FuzzTarget } from './fuzz-targets.ts';

/**
 * Fuzzing: malformed requests generated with fast-check for every route in the route table (API
 * routes from their OpenAPI schemas, page forms from the fields their pages render), sent as a
 * role allowed on the route, as nobody, and with garbage credentials, in-process on a fresh
 * database; then a slice of the same requests over HTTP to a real server process. Target: no
 * 500 and no crash. Each 500 is logged by route and by where the error was thrown, with a
 * minimised example; the seed is logged, and FUZZ_SEED replays a run.
 */

const SIZES = {
  full: { requests: 100_000, serverRequests: 10_000 },
  reduced: { requests: 6_000, serverRequests: 1_000 },
} as const;

/** Sends one fuzzed request, classifying a 5xx by the error it came from. */
type Sender = (req: FuzzRequest, target: FuzzTarget) => Promise<WireResponse | null>;

/** Sign-in throttling would lock the fuzzer's own accounts out after the random sign-ins it sends. */
const UNTHROTTLED = { freeAttempts: 1_000_000, windowSeconds: 60, baseDelaySeconds: 1, maxDelaySeconds: 1 };

export const fuzzSection: Section = async (options) => {
  const size = SIZES[options.size];
  const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
  options.log(
    `fuzz: seed ${String(seed)} (FUZZ_SEED=${String(seed)} replays this run) on ${options.database}`,
  );
  const started = Date.now();
  const t = await startTestApp(
    options.database,
    { accountThrottle: UNTHROTTLED, addressThrottle: UNTHROTTLED },
    options.postgresUrl,
  );
  // Every error a request meets, by request id, so a 500 is classed by where it was thrown and
  // put against the route that really answered (a bent path may reach another, or none).
  const thrown = new Map<string, { error: ThrownError; route: string }>();
  t.app.addHook('onError', async (request, _reply, error) => {
    const route = request.routeOptions.url;
    thrown.set(request.id, {
      error,
      route: route === undefined ? '(no route)' : `${request.method} ${route}`,
    });
  });
  const crashes: string[] = [];
  const onCrash = (err: unknown) => {
    crashes.push(String((err as Error | undefined)?.stack ?? err));
  };
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  try {
    const world = await seedWorld(t);
    const sessions = openSessions(t, world);
    for (const role of ROLES) {
      await sessions.signIn(role);
    }
    const { targets, apiWithoutSpec, formsFromTemplates } = await collectTargets(
      t,
      world,
      (role, url) => sessions.page(role, url),
      join(import.meta.dirname, '..'),
    );
    for (const r of apiWithoutSpec) {
      options.log(`fuzz: API route missing from the OpenAPI document (generic bodies): ${r}`);
    }
    options.log(
      `fuzz: ${String(targets.length)} routes; ${String(formsFromTemplates.length)} page forms ` +
        `from templates (no page rendered them): ${formsFromTemplates.join(', ')}`,
    );
    const failures = new Failures();
    const transport = injectTransport(t.app);
    const send: Sender = async (req, target) => {
      thrown.clear();
      const res = await transport(await sessions.wire(req, target.api));
      sessions.touched(req, res);
      return res;
    };
    const errorOf = (res: WireResponse) => thrown.get(String(res.headers['x-request-id'] ?? ''));
    let sent = 0;
    let unsendable = 0;
    // How the answers spread, to show the requests reached the handlers (not only 401 and 403).
    const statuses = new Map<number, number>();
    const perTarget = Math.ceil(size.requests / targets.length);
    for (const [index, target] of targets.entries()) {
      await fc.assert(
        fc.asyncProperty(requestArb(target, world), async (req) => {
          const res = await send(req, target);
          sent += 1;
          statuses.set(res?.status ?? 0, (statuses.get(res?.status ?? 0) ?? 0) + 1);
          if (res === null) {
            unsendable += 1;
          } else if (res.status >= 500) {
            const seen = errorOf(res);
            failures.add(seen?.route ?? `${target.method} ${target.url}`, seen?.error, index, req);
          }
          if (sent % 1_000 === 0) {
            options.log(`fuzz: ${String(sent)} sent, ${String(failures.total)} answered 5xx`);
          }
          return true;
        }),
        { seed: seed + index, numRuns: perTarget },
      );
    }
    await minimise(failures, targets, world, seed, perTarget, send, errorOf);
    for (const line of failures.report('fuzz: ', seed)) {
      options.log(line);
    }
    const inProcessSeconds = Math.round((Date.now() - started) / 1000);
    options.log(
      `fuzz: ${String(sent)} requests in process in ${String(inProcessSeconds)} s ` +
        `(${String(unsendable)} no client could send; sessions renewed ${String(sessions.renewed)} times)`,
    );
    options.log(
      `fuzz: answers by status: ${[...statuses]
        .sort(([a], [b]) => a - b)
        .map(([status, n]) => `${String(status)} x${String(n)}`)
        .join(', ')}`,
    );
    await restoreAccounts(t, world);
    const server = await fuzzRealServer(t, world, targets, {
      seed,
      requests: size.serverRequests,
      postgresUrl: options.postgresUrl,
      log: options.log,
      repair: () => restoreAccounts(t, world),
    });
    const figure = (name: string, value: number, unit: string, target: string, met: boolean): Figure => ({
      section: 'fuzz',
      name,
      database: options.database,
      value,
      unit,
      target,
      met,
    });
    return [
      figure(
        'requests sent',
        sent + server.sent,
        'requests',
        `≥ ${String(size.requests)}`,
        sent >= size.requests,
      ),
      figure(
        'responses 500',
        failures.total + server.fiveHundreds,
        'responses',
        '= 0',
        failures.total + server.fiveHundreds === 0,
      ),
      figure(
        'process crashes',
        crashes.length + server.crashes,
        'crashes',
        '= 0',
        crashes.length + server.crashes === 0,
      ),
    ];
  } catch (err) {
    // The seed goes with the failure, so the run can be replayed.
    throw new Error(`fuzz with FUZZ_SEED=${String(seed)} failed`, { cause: err });
  } finally {
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    for (const c of crashes) {
      options.log(`fuzz: CRASH in process: ${c}`);
    }
    await t.close();
  }
};

/** Sessions for the seeded accounts; if a fuzzed admin request made a second factor compulsory, it is undone. */
/**
 * Puts the seeded accounts back as they were made. The fuzzer signs in as an administrator too,
 * and a generated request can reset, disable or re-role another account, or make a second factor
 * mandatory; the accounts are restored whenever a role cannot sign in, and before the requests
 * to the real server.
 */
async function restoreAccounts(t: TestApp, world: SeededWorld): Promise<void> {
  const admin = world.users.get('administrator');
  if (!admin) {
    throw new Error('the seeded world has no administrator');
  }
  const db = t.deps.database.db;
  await setRolesRequiringMfa({ db, clock: t.clock }, actorOf(admin, null), []);
  const passwordHash = await hashPassword(PASSWORD);
  for (const [role, user] of world.users) {
    await db
      .updateTable('users')
      .set({
        role,
        password_hash: passwordHash,
        must_change_password: 0,
        disabled_at: null,
        totp_secret: null,
      })
      .where('id', '=', user.id)
      .execute();
  }
  await db.deleteFrom('sign_in_failures').execute();
}

function openSessions(t: TestApp, world: SeededWorld): FuzzSessions {
  const usernames = new Map<Role, string>(ROLES.map((r) => [r, world.users.get(r)?.username ?? '']));
  const repair = () => restoreAccounts(t, world);
  return new FuzzSessions(injectTransport(t.app), usernames, PASSWORD, world.tokens, repair);
}

/**
 * For each class of 500, runs the property of the route it was first met on again, from the same
 * seed, now failing on that class, so fast-check finds it again and shrinks it to a small
 * request. Bounded by a budget of requests and of time per class.
 */
async function minimise(
  failures: Failures,
  targets: readonly FuzzTarget[],
  world: SeededWorld,
  seed: number,
  runs: number,
  send: Sender,
  errorOf: (res: WireResponse) => { error: ThrownError } | undefined,
): Promise<void> {
  for (const [key, c] of failures.classes) {
    const target = targets[c.targetIndex];
    if (!target) {
      continue;
    }
    let budget = 1_500;
    const deadline = Date.now() + 20_000;
    const result = await fc.check(
      fc.asyncProperty(requestArb(target, world), async (req) => {
        if (budget-- <= 0 || Date.now() > deadline) {
          return true;
        }
        const res = await send(req, target);
        return !(res !== null && res.status >= 500 && errorClass(errorOf(res)?.error) === key);
      }),
      { seed: seed + c.targetIndex, numRuns: runs * 2 },
    );
    c.minimised = result.counterexample?.[0] ?? null;
  }
}
