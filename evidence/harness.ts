import { loadConfig } from '../src/config.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { actorOf } from '../src/services/audit-service.ts';
import { systemClock } from '../src/services/clock.ts';
import { createApiToken } from '../src/services/token-service.ts';
import { addUser } from '../src/services/user-service.ts';
import { openDatabase, type DatabaseHandle } from '../src/storage/create-database.ts';
import { migrateToLatest } from '../src/storage/migrate.ts';
import type { EvidenceDatabase, SectionOptions } from './figure.ts';
import { getStatus } from './http.ts';
import { freePort } from '../test/support/tcp-proxy.ts';

/**
 * What every section stands on: a fresh database (an SQLite file in a directory of its own, or a
 * PostgreSQL schema of its own), four staff accounts with API tokens, and the real server
 * started as an operator starts it (`node src/cli/main.ts serve`, configured by environment
 * variables) on a free loopback port, killed with SIGKILL and started again on the same data.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');

/** How long a server may take to answer /health 200 before the harness gives up on it. */
export const START_TIMEOUT_MS = 60_000;

export interface Staff {
  readonly id: string;
  readonly username: string;
  readonly token: string;
}

export interface Instance {
  readonly database: EvidenceDatabase;
  /** DATABASE_URL as the server and the CLI get it. */
  readonly databaseUrl: string;
  readonly sqlitePath: string | null;
  readonly pgSchema: string | null;
  /** The directory the SQLite file lives in (null on PostgreSQL). */
  readonly dir: string | null;
  /** An administrator, two nurse specialists and a consultant: a second clinician is always there. */
  readonly staff: {
    readonly admin: Staff;
    readonly nurse: Staff;
    readonly nurse2: Staff;
    readonly consultant: Staff;
  };
  /** Every account's password (random for each instance), for signing in to pages. */
  readonly password: string;
  /** A connection of the runner's own, for checking what the database holds. */
  open(): DatabaseHandle;
  /** DATABASE_URL for this instance's schema through another host and port (a proxy). */
  urlVia(port: number): string;
  dispose(): Promise<void>;
}

let instanceCounter = 0;

/** A PostgreSQL URL that selects one schema and names the connections, so they can be found. */
export function schemaUrl(baseUrl: string, schema: string, port?: number): string {
  const url = new URL(baseUrl);
  if (port !== undefined) {
    url.hostname = '127.0.0.1';
    url.port = String(port);
  }
  url.searchParams.set('options', `-c search_path=${schema}`);
  url.searchParams.set('application_name', `itb-evidence-${schema}`);
  return url.toString();
}

/** A client on the PostgreSQL server for set-up and fault injection, with a connection timeout. */
export async function pgAdmin<T>(baseUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({
    connectionString: baseUrl,
    connectionTimeoutMillis: 10_000,
    statement_timeout: 30_000,
  });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function addStaff(
  handle: DatabaseHandle,
  username: string,
  role: string,
  password: string,
): Promise<Staff> {
  // The suite's tokens live as long as the service's default lifetime.
  const deps = { db: handle.db, clock: systemClock, tokenLifetimeDays: loadConfig({}).apiTokenLifetimeDays };
  const user = await addUser(deps, null, { username, displayName: `Evidence ${username}`, role, password });
  const created = await createApiToken(deps, actorOf(user, 'evidence'), user, 'evidence suite');
  return { id: user.id, username: user.username, token: created.token };
}

/**
 * A fresh, migrated database with its staff. `sqliteDir` puts the SQLite file in a directory
 * the caller made (a small or read-only file system for the fault section).
 */
export async function createInstance(
  options: SectionOptions,
  label: string,
  settings: { readonly sqliteDir?: string } = {},
): Promise<Instance> {
  const n = instanceCounter++;
  let dir: string | null = null;
  let ownDir = false;
  let sqlitePath: string | null = null;
  let pgSchema: string | null = null;
  let databaseUrl: string;
  let open: () => DatabaseHandle;
  if (options.database === 'sqlite') {
    ownDir = settings.sqliteDir === undefined;
    dir = settings.sqliteDir ?? mkdtempSync(join(tmpdir(), `itb-evidence-${label}-`));
    sqlitePath = join(dir, 'itb.sqlite');
    const path = sqlitePath;
    databaseUrl = `sqlite:${path}`;
    open = () => openDatabase({ kind: 'sqlite', path });
  } else {
    const schema = `ev_${label.replace(/[^a-z0-9]/g, '_')}_${process.pid}_${n}`;
    pgSchema = schema;
    await pgAdmin(options.postgresUrl, (c) => c.query(`create schema ${schema}`));
    databaseUrl = schemaUrl(options.postgresUrl, schema);
    open = () =>
      openDatabase({ kind: 'postgres', url: options.postgresUrl }, { pgSearchPath: schema, pgPoolSize: 2 });
  }
  const handle = open();
  const password = randomBytes(18).toString('base64url');
  let staff: Instance['staff'];
  try {
    await migrateToLatest(handle);
    staff = {
      admin: await addStaff(handle, `ev-admin-${n}`, 'administrator', password),
      nurse: await addStaff(handle, `ev-nurse-${n}`, 'nurse-specialist', password),
      nurse2: await addStaff(handle, `ev-nurse2-${n}`, 'nurse-specialist', password),
      consultant: await addStaff(handle, `ev-consultant-${n}`, 'consultant', password),
    };
  } finally {
    await handle.close();
  }
  const schemaName = pgSchema;
  return {
    database: options.database,
    databaseUrl,
    sqlitePath,
    pgSchema,
    dir,
    staff,
    password,
    open,
    urlVia: (port) => (schemaName ? schemaUrl(options.postgresUrl, schemaName, port) : databaseUrl),
    dispose: async () => {
      if (schemaName) {
        await pgAdmin(options.postgresUrl, (c) => c.query(`drop schema if exists ${schemaName} cascade`));
      } else if (dir && ownDir) {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** A loopback port nobody listens on now (the kernel's choice), for a server to take. */
/** Every child this process started, killed on exit so no server outlives the run. */
const children = new Set<ChildProcess>();
/** Undo steps that must run even when the run is interrupted (unmounting a file system). */
const exitSteps = new Set<() => void>();
process.once('exit', () => {
  for (const child of children) {
    child.kill('SIGKILL');
  }
  for (const step of exitSteps) {
    step();
  }
});

/** Registers a synchronous undo step for an interrupted run; call the returned function once done. */
export function onExit(step: () => void): () => void {
  exitSteps.add(step);
  return () => exitSteps.delete(step);
}
// Ctrl-C or a CI timeout: exit through the hook above rather than orphan the servers.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => process.exit(130));
}

/** Keeps the last bytes of a child's output for the operator when something goes wrong. */
function tail(limit: number) {
  let text = '';
  return {
    add: (chunk: Buffer) => {
      text = (text + chunk.toString('utf8')).slice(-limit);
    },
    get: () => text,
  };
}

function serviceEnv(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  // Settings of the operator's own shell must not leak into the instance under test.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^(DATABASE_URL|PORT|HOST|PUBLIC_URL|IMAP_|SMTP_|DIGEST_EMAIL_TO)/.test(key),
    ),
  );
  return { ...env, LOG_LEVEL: 'warn', COOKIE_SECURE: 'false', ...extra };
}

export interface ServerProcess {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** Settles when the process has exited, with its exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  running(): boolean;
  output(): string;
  /** SIGKILL: no shutdown hook runs, as when the machine loses power or the OOM killer strikes. */
  kill(): Promise<void>;
}

export interface StartOptions {
  readonly port?: number;
  /** Overrides DATABASE_URL (to reach the database through a proxy). */
  readonly databaseUrl?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Opens Node's inspector on a loopback port (for forcing a garbage collection before measuring memory). */
  readonly inspectPort?: number;
  /** Wait for /health 200 (default) or return as soon as the process is spawned. */
  readonly waitHealthy?: boolean;
  readonly timeoutMs?: number;
}

export async function startServer(instance: Instance, options: StartOptions = {}): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${String(port)}`;
  const inspect =
    options.inspectPort === undefined ? [] : [`--inspect=127.0.0.1:${String(options.inspectPort)}`];
  const child = spawn(process.execPath, [...inspect, MAIN, 'serve'], {
    cwd: ROOT,
    env: serviceEnv({
      DATABASE_URL: options.databaseUrl ?? instance.databaseUrl,
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: url,
      ...options.env,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const out = tail(16_384);
  child.stdout.on('data', out.add);
  child.stderr.on('data', out.add);
  let alive = true;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      alive = false;
      children.delete(child);
      resolve(code);
    });
  });
  const server: ServerProcess = {
    url,
    port,
    pid: child.pid ?? -1,
    exited,
    running: () => alive,
    output: out.get,
    kill: async () => {
      if (alive) {
        child.kill('SIGKILL');
      }
      await withTimeout(exited, 10_000, `server ${String(child.pid)} did not exit after SIGKILL`);
    },
  };
  if (options.waitHealthy ?? true) {
    try {
      await waitForHealth(server, 200, options.timeoutMs ?? START_TIMEOUT_MS);
    } catch (err) {
      await server.kill();
      throw new Error(`${(err as Error).message}\n--- server output ---\n${out.get()}`, { cause: err });
    }
  }
  return server;
}

export async function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new Error(message));
        }, ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Polls /health until it answers `status`; throws after `timeoutMs` or when the process exits.
 * Returns the milliseconds it took.
 */
export async function waitForHealth(
  server: ServerProcess,
  status: number,
  timeoutMs: number,
): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (!server.running()) {
      throw new Error(
        `the server exited (code ${String(await server.exited)}) before /health answered ${String(status)}`,
      );
    }
    if ((await getStatus(`${server.url}/health`, 2_000)) === status) {
      return Date.now() - started;
    }
    await sleep(100);
  }
  throw new Error(`/health did not answer ${String(status)} within ${String(timeoutMs)} ms`);
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program to its end, killed after `timeoutMs`; its output is kept, not shown. */
export async function runProcess(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<CliResult> {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const stdout = tail(65_536);
  const stderr = tail(65_536);
  child.stdout.on('data', stdout.add);
  child.stderr.on('data', stderr.add);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => {
    child.once('error', (err) => {
      stderr.add(Buffer.from(err.message));
      resolve(null);
    });
    child.once('exit', (c) => {
      resolve(c);
    });
  });
  clearTimeout(timer);
  children.delete(child);
  return { code, stdout: stdout.get(), stderr: stderr.get() };
}

/** Runs `itb …` on a DATABASE_URL (the instance's, or a restored copy's). */
export async function runItb(
  databaseUrl: string,
  args: readonly string[],
  timeoutMs = 120_000,
): Promise<CliResult> {
  return runProcess(process.execPath, [MAIN, ...args], serviceEnv({ DATABASE_URL: databaseUrl }), timeoutMs);
}

/**
 * `itb audit seal`, as the next instance to start would (rows appended but not yet sealed when
 * the server was killed are sealed now), then `itb audit verify --json`: intact when the seal
 * succeeds and verify exits 0 and says so. `sealed` is how many rows were waiting.
 */
export async function auditVerify(
  databaseUrl: string,
): Promise<{ intact: boolean; rows: number; sealed: number; detail: string }> {
  const sealing = await runItb(databaseUrl, ['audit', 'seal']);
  const sealed = Number(/(\d+) entries sealed/.exec(sealing.stdout)?.[1] ?? 'NaN');
  const result = await runItb(databaseUrl, ['audit', 'verify', '--json']);
  const line = result.stdout.trim().split('\n').pop() ?? '';
  let parsed: { intact?: boolean; rowsChecked?: number } = {};
  try {
    parsed = JSON.parse(line) as typeof parsed;
  } catch {
    // Not JSON: the exit code and stderr say what happened.
  }
  return {
    intact: sealing.code === 0 && result.code === 0 && parsed.intact === true,
    rows: parsed.rowsChecked ?? 0,
    sealed,
    detail:
      `seal: exit ${String(sealing.code)} ${sealing.stderr.trim()}; verify: exit ${String(result.code)} ${line} ${result.stderr.trim()}`.trim(),
  };
}

export { freePort };
