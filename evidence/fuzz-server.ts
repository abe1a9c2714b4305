import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { ROLES, type Role } from '../src/domain/roles.ts';
import type { SeededWorld } from '../test/support/seeded-world.ts';
import { freePort } from '../test/support/tcp-proxy.ts';
import { PASSWORD, type TestApp } from '../test/support/test-app.ts';
import { describeRequest, Failures, type ThrownError } from './fuzz-record.ts';
import { requestArb } from './fuzz-requests.ts';
import { FuzzSessions, httpTransport, type FuzzRequest } from './fuzz-send.ts';
import type { FuzzTarget } from './fuzz-targets.ts';

/**
 * A slice of the fuzzing sent over real HTTP to the service started as it is in production
 * (`itb serve`, its own process) on the same database: malformed requests that the in-process
 * inject() smooths over (raw bytes, framing, connection handling) reach Node's HTTP parser, and
 * a crash shows as the process ending. The process must still answer /health at the end.
 */
export interface ServerOutcome {
  readonly sent: number;
  readonly fiveHundreds: number;
  readonly crashes: number;
}

function databaseUrl(t: TestApp, postgresUrl: string): string {
  const handle = t.database.handle;
  if (handle.sqlitePath !== null) {
    return `sqlite:${handle.sqlitePath}`;
  }
  const url = new URL(postgresUrl);
  url.searchParams.set('options', `-c search_path=${handle.pgSchema ?? 'public'}`);
  return url.toString();
}

export async function fuzzRealServer(
  t: TestApp,
  world: SeededWorld,
  targets: readonly FuzzTarget[],
  options: {
    seed: number;
    requests: number;
    postgresUrl: string;
    log: (line: string) => void;
    /** Puts back what a fuzzed request changed that stops a role signing in again. */
    repair: () => Promise<void>;
  },
): Promise<ServerOutcome> {
  const port = await freePort();
  const root = join(import.meta.dirname, '..');
  const child = spawn(
    process.execPath,
    [join(root, 'src/cli/main.ts'), 'serve', '--port', String(port), '--host', '127.0.0.1'],
    {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl(t, options.postgresUrl),
        LOG_LEVEL: 'error',
        SIGNIN_ADDRESS_FREE_ATTEMPTS: '1000',
        SIGNIN_ACCOUNT_FREE_ATTEMPTS: '100',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  // The service logs each unexpected error as one JSON line with the request's id.
  const logged = new Map<string, ThrownError>();
  let output = '';
  const read = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-200_000);
    for (const line of chunk.toString('utf8').split('\n')) {
      const m = /^\{.*"reqId":"([^"]+)".*\}$/.exec(line.trim());
      if (m?.[1]) {
        try {
          const entry = JSON.parse(line) as { err?: { type?: string; message?: string; stack?: string } };
          logged.set(m[1], { name: entry.err?.type, message: entry.err?.message, stack: entry.err?.stack });
        } catch {
          // Not one of the service's log lines.
        }
      }
    }
  };
  child.stdout.on('data', read);
  child.stderr.on('data', read);
  // Set from the exit event, so read through an object (a plain variable narrows to null).
  const child_ = { exited: null as string | null };
  child.on('exit', (code, signal) => {
    child_.exited = `exit code ${String(code)}, signal ${String(signal)}`;
  });
  const send = httpTransport(port);
  const healthy = async () =>
    (await send({ method: 'GET', url: '/health', headers: {}, body: undefined }))?.status === 200;
  try {
    for (let i = 0; i < 100 && !(await healthy()); i++) {
      if (child_.exited !== null) {
        throw new Error(
          `the server process ended before it answered: ${child_.exited}\n${output.slice(-2_000)}`,
        );
      }
      await sleep(200);
    }
    const usernames = new Map<Role, string>(ROLES.map((r) => [r, world.users.get(r)?.username ?? '']));
    const sessions = new FuzzSessions(send, usernames, PASSWORD, world.tokens, options.repair);
    for (const role of ROLES) {
      await sessions.signIn(role);
    }
    const failures = new Failures();
    const pending: { id: string; target: FuzzTarget; index: number; req: FuzzRequest }[] = [];
    let sent = 0;
    let dropped = 0;
    const perTarget = Math.max(1, Math.ceil(options.requests / targets.length));
    for (const [index, target] of targets.entries()) {
      const sample = fc.sample(requestArb(target, world), {
        seed: options.seed + 1_000_000 + index,
        numRuns: perTarget,
      });
      for (const req of sample) {
        if (child_.exited !== null) {
          break;
        }
        const res = await send(await sessions.wire(req, target.api));
        sessions.touched(req, res);
        sent += 1;
        if (res?.status === 0) {
          dropped += 1;
          if (dropped <= 3) {
            options.log(
              `fuzz (server): connection closed (${res.body}) on ${describeRequest(req).slice(0, 600)}`,
            );
          }
        } else if (res !== null && res.status >= 500) {
          pending.push({ id: String(res.headers['x-request-id'] ?? ''), target, index, req });
        }
      }
    }
    await sleep(500);
    for (const p of pending) {
      failures.add(`${p.target.method} ${p.target.url} (aimed at)`, logged.get(p.id), p.index, p.req);
    }
    for (const line of failures.report('fuzz (server): ', options.seed + 1_000_000)) {
      options.log(line);
    }
    const alive = child_.exited === null && (await healthy());
    options.log(
      `fuzz (server): ${String(sent)} requests over HTTP to a server process on port ${String(port)}; ` +
        `${String(dropped)} connections closed without an answer; ` +
        (alive
          ? 'the process is running and answers /health'
          : `THE PROCESS DIED OR STOPPED ANSWERING (${child_.exited ?? 'no answer'})`),
    );
    if (!alive) {
      options.log(`fuzz (server): last output:\n${output.slice(-4_000)}`);
    }
    return { sent, fiveHundreds: failures.total, crashes: alive ? 0 : 1 };
  } finally {
    if (child_.exited === null) {
      child.kill('SIGTERM');
      await Promise.race([once(child, 'exit'), sleep(10_000)]);
    }
  }
}
