import { createServer, connect, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../../src/storage/create-database.ts';
import type { DatabaseLog } from '../../src/storage/database-log.ts';
import { migrateToLatest } from '../../src/storage/migrate.ts';
import { PG_URL } from './databases.ts';

/**
 * A TCP relay in front of the test PostgreSQL server that a test can take down and bring back,
 * as a database restart or a network failure would, without touching the server other tests
 * share. Down, it refuses new connections and cuts the open ones.
 */
export class PgProxy {
  readonly #target = new URL(PG_URL);
  readonly #sockets = new Set<Socket>();
  #server: Server | null = null;
  #port = 0;

  /** Starts listening (on the same port as before, after a stop). */
  async start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(Number(this.#target.port || 5432), this.#target.hostname);
      for (const s of [client, upstream]) {
        this.#sockets.add(s);
        s.on('close', () => this.#sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, '127.0.0.1', () => {
        resolve();
      });
    });
    const address = server.address();
    this.#port = typeof address === 'object' && address ? address.port : 0;
    this.#server = server;
  }

  /** Refuses new connections and cuts every open one. */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    for (const s of this.#sockets) {
      s.destroy();
    }
    if (server) {
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    }
  }

  /** PG_URL with this relay's address in place of the server's. */
  get url(): string {
    const u = new URL(PG_URL);
    u.hostname = '127.0.0.1';
    u.port = String(this.#port);
    return u.toString();
  }
}

/** A fresh schema on the test server, and a handle to it through the relay. */
export async function openThroughProxy(
  proxy: PgProxy,
  log: DatabaseLog,
): Promise<{ handle: DatabaseHandle; dispose: () => Promise<void> }> {
  const schema = `t_proxy_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const handle = openDatabase(
    { kind: 'postgres', url: proxy.url },
    { pgSearchPath: schema, pgPoolSize: 3, pgConnectTimeoutMs: 2000, log },
  );
  await migrateToLatest(handle);
  return {
    handle,
    dispose: async () => {
      await handle.close();
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    },
  };
}

/** A log that keeps its lines, for tests to read. */
export class CapturedLog implements DatabaseLog {
  readonly lines: string[] = [];
  warn(message: string): void {
    this.lines.push(message);
  }
}
