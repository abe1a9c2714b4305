import type { Figure, SectionOptions } from './figure.ts';
import { must, patientBody } from './clinic.ts';
import { createInstance, pgAdmin, sleep, startServer, type Instance, type ServerProcess } from './harness.ts';
import { errorCode, getStatus, request } from './http.ts';
import { TcpProxy } from '../test/support/tcp-proxy.ts';
import { getPage, signIn } from './session.ts';
import { figures } from './targets.ts';

/**
 * PostgreSQL going away: unreachable when the service starts, cut off while it runs (a proxy
 * the suite controls stops and cuts every connection), and its connections ended by the server
 * (pg_terminate_backend, as a database restart or an administrator does). The service must
 * keep running, say what is wrong (/health 503, 503 DATABASE_UNAVAILABLE), and recover on its
 * own when the database is back.
 */

const RECOVERY_LIMIT_S = 30;

/** The first line of a server's output that states an error, for the operator's log. */
function firstError(output: string): string {
  const line =
    /^\s*(\w*Error|error)\b.*$/m.exec(output)?.[0] ?? /^.*(error|ECONN|terminat).*$/im.exec(output)?.[0];
  return (line ?? output.slice(-300)).trim().slice(0, 400);
}

/** Seconds until /health answers 200 (Infinity when it does not within `limitMs` or the server dies). */
async function secondsToHealthy(server: ServerProcess, limitMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < limitMs && server.running()) {
    if ((await getStatus(`${server.url}/health`, 2_000)) === 200) {
      return Math.round((Date.now() - started) / 100) / 10;
    }
    await sleep(200);
  }
  return Number.POSITIVE_INFINITY;
}

/** Seconds until a registration is acknowledged (Infinity when none is within `limitMs`). */
async function secondsToWrite(
  server: ServerProcess,
  instance: Instance,
  n: number,
  limitMs: number,
): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < limitMs && server.running()) {
    const answer = await request(server.url, 'POST', '/api/v1/patients', {
      token: instance.staff.nurse.token,
      body: patientBody(n),
      timeoutMs: 5_000,
    });
    if (answer.status === 201) {
      return Math.round((Date.now() - started) / 100) / 10;
    }
    await sleep(200);
  }
  return Number.POSITIVE_INFINITY;
}

async function unreachableAtStart(
  options: SectionOptions,
  instance: Instance,
  proxy: TcpProxy,
  fig: ReturnType<typeof figures>,
  out: Figure[],
): Promise<void> {
  const windowMs = options.size === 'full' ? 30_000 : 8_000;
  const server = await startServer(instance, {
    databaseUrl: instance.urlVia(proxy.port),
    waitHealthy: false,
  });
  try {
    const seen = new Set<number>();
    const started = Date.now();
    while (Date.now() - started < windowMs && server.running()) {
      seen.add(await getStatus(`${server.url}/health`, 2_000));
      await sleep(250);
    }
    const running = server.running();
    const output = server.output();
    if (!running) {
      options.log(
        `faults/postgres: exited at start without the database (code ${String(await server.exited)}): ${firstError(output)}`,
      );
    }
    out.push(
      fig.holds('unreachable at start: the process keeps running (retrying)', running),
      fig.holds(
        'unreachable at start: it logs that the database is unreachable',
        /database/i.test(output) && /unreachable|unavailable|retry|ECONNREFUSED|connect/i.test(output),
      ),
      fig.holds('unreachable at start: /health answers 503', seen.has(503)),
    );
    await proxy.open();
    out.push(
      fig.atMost(
        'unreachable at start: seconds from the database coming up to /health 200',
        running ? await secondsToHealthy(server, RECOVERY_LIMIT_S * 1_000) : Number.POSITIVE_INFINITY,
        's',
        RECOVERY_LIMIT_S,
      ),
    );
  } finally {
    await server.kill();
  }
}

async function cutOffMidRun(
  options: SectionOptions,
  instance: Instance,
  proxy: TcpProxy,
  fig: ReturnType<typeof figures>,
  out: Figure[],
): Promise<void> {
  await proxy.open();
  const server = await startServer(instance, { databaseUrl: instance.urlVia(proxy.port) });
  try {
    const { nurse } = instance.staff;
    const patient = await must(
      'register a patient',
      request(server.url, 'POST', '/api/v1/patients', { token: nurse.token, body: patientBody(1) }),
      201,
    );
    const cookie = await signIn(server.url, nurse.username, instance.password);
    await proxy.close();
    await sleep(500);
    const health = await getStatus(`${server.url}/health`, 10_000);
    const api = await request(server.url, 'GET', `/api/v1/patients/${String(patient.id)}`, {
      token: nurse.token,
      timeoutMs: 20_000,
    });
    const page = await getPage(server.url, `/patients/${String(patient.id)}`, cookie);
    const running = server.running();
    options.log(
      `faults/postgres: database cut off: /health ${String(health)}, API ${String(api.status)} ${errorCode(api) ?? api.failure ?? ''}, page ${String(page.status)}, running ${String(running)}`,
    );
    if (!running) {
      options.log(`faults/postgres: the server died: ${firstError(server.output())}`);
    }
    out.push(
      fig.exactly('cut off mid-run: /health status', health, 'status', 503),
      fig.holds(
        'cut off mid-run: the API answers 503 DATABASE_UNAVAILABLE',
        api.status === 503 && errorCode(api) === 'DATABASE_UNAVAILABLE',
      ),
      fig.exactly('cut off mid-run: a page’s status', page.status, 'status', 503),
      fig.holds('cut off mid-run: the process keeps running', running),
    );
    await proxy.open();
    out.push(
      fig.atMost(
        'cut off mid-run: seconds from the database coming back to a write, no restart',
        running
          ? await secondsToWrite(server, instance, 2, RECOVERY_LIMIT_S * 1_000)
          : Number.POSITIVE_INFINITY,
        's',
        RECOVERY_LIMIT_S,
      ),
    );
  } finally {
    await server.kill();
  }
}

async function connectionsEnded(
  options: SectionOptions,
  instance: Instance,
  fig: ReturnType<typeof figures>,
  out: Figure[],
): Promise<void> {
  const server = await startServer(instance);
  try {
    // Some traffic first, so the pool holds idle connections for the server to end.
    for (let i = 0; i < 10; i++) {
      await request(server.url, 'GET', '/health');
    }
    await secondsToWrite(server, instance, 3, 10_000);
    const ended = await pgAdmin(options.postgresUrl, (c) =>
      c.query<{ pid: number }>(
        'select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1',
        [`itb-evidence-${instance.pgSchema ?? ''}`],
      ),
    );
    options.log(`faults/postgres: pg_terminate_backend ended ${String(ended.rowCount)} connections`);
    await sleep(1_000);
    const running = server.running();
    if (!running) {
      options.log(`faults/postgres: the server died: ${firstError(server.output())}`);
    }
    out.push(
      fig.atLeast('pg_terminate_backend: connections ended', ended.rowCount ?? 0, 'connections', 1),
      fig.holds('pg_terminate_backend: the process keeps running', running),
      fig.atMost(
        'pg_terminate_backend: seconds to the next acknowledged write',
        running ? await secondsToWrite(server, instance, 4, 10_000) : Number.POSITIVE_INFINITY,
        's',
        10,
      ),
    );
  } finally {
    await server.kill();
  }
}

export async function postgresFaults(options: SectionOptions): Promise<Figure[]> {
  const fig = figures('faults', 'postgres');
  const out: Figure[] = [];
  const instance = await createInstance(options, 'faults');
  const proxy = await TcpProxy.to(options.postgresUrl);
  try {
    await unreachableAtStart(options, instance, proxy, fig, out);
    await cutOffMidRun(options, instance, proxy, fig, out);
    await connectionsEnded(options, instance, fig, out);
    return out;
  } finally {
    await proxy.close();
    await instance.dispose();
  }
}
