import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../../src/storage/create-database.ts';
import type { DatabaseLog } from '../../src/storage/database-log.ts';
import { migrateToLatest } from '../../src/storage/migrate.ts';
import { PG_URL } from './databases.ts';
import { TcpProxy } from './tcp-proxy.ts';

/**
 * A TCP relay in front of the test PostgreSQL server that a test can take down and bring back,
 * as a database restart or a network failure would, without touching the server other tests
 * share. Down, it refuses new connections and cuts the open ones.
 */
export class PgProxy {
  #proxy: TcpProxy | null = null;

  /** Starts listening (on the same port as before, after a stop). */
  async start(): Promise<void> {
    this.#proxy ??= await TcpProxy.to(PG_URL);
    await this.#proxy.open();
  }

  /** Refuses new connections and cuts every open one. */
  async stop(): Promise<void> {
    await this.#proxy?.close();
  }

  /** PG_URL with this relay's address in place of the server's. */
  get url(): string {
    const u = new URL(PG_URL);
    u.hostname = '127.0.0.1';
    u.port = String(this.#proxy?.port ?? 0);
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
