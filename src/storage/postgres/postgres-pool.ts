import { PostgresDialect, PostgresDriver, type Driver, type PostgresDialectConfig } from 'kysely';
import pg from 'pg';
import type { DatabaseLog } from '../database-log.ts';

/** Where a postgres:// URL points, for messages: host and port only, never the password. */
export function postgresAddress(url: string): string {
  try {
    const u = new URL(url);
    // A Unix socket is given as ?host=/run/postgresql (the URL's own host is then empty).
    const host = decodeURIComponent(u.hostname) || u.searchParams.get('host') || 'localhost';
    return `${host}:${u.port || '5432'}`;
  } catch {
    return 'the PostgreSQL server in DATABASE_URL';
  }
}

// int8 (bigint) columns come back from pg as strings by default; our bigints (audit sequence)
// stay far below 2^53, so numbers are exact.
const PG_INT8_OID = 20;
const builtinTypeParser = pg.types.getTypeParser.bind(pg.types) as (
  oid: number,
  format: 'text' | 'binary',
) => (value: string) => unknown;

function getTypeParser(oid: number, format: 'text' | 'binary' = 'text'): (value: string) => unknown {
  if (oid === PG_INT8_OID) {
    return (v) => Number(v);
  }
  return builtinTypeParser(oid, format);
}
const pgTypes: pg.CustomTypesConfig = { getTypeParser };

export interface PostgresPoolOptions {
  readonly searchPath?: string;
  readonly poolSize?: number;
  /** Shown in pg_stat_activity, so an administrator can tell the service's connections apart. */
  readonly applicationName?: string;
  /** How long opening a connection may take before the query fails (pg waits for ever by default). */
  readonly connectTimeoutMs?: number;
}

/**
 * The connection pool, made to survive the database going away. pg emits 'error' on the pool
 * when an idle connection is closed by the server (a restart, pg_terminate_backend, a network
 * blip) and on a client that is checked out but between queries; an 'error' event nobody
 * listens to ends the Node process (https://node-postgres.com/apis/pool#error). Both are logged
 * as one line; the broken connection is dropped and the pool opens a new one on the next query,
 * so the service recovers by itself when the database returns.
 */
export function createPostgresPool(url: string, options: PostgresPoolOptions, log: DatabaseLog): pg.Pool {
  const address = postgresAddress(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    types: pgTypes,
    application_name: options.applicationName ?? 'itb-service',
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    ...(options.searchPath ? { options: `-c search_path=${options.searchPath}` } : {}),
  });
  const lost = (err: Error) => {
    log.warn(
      `PostgreSQL connection to ${address} lost (${err.message}); it is dropped and a new one is opened on the next query`,
    );
  };
  // An idle client: pg has already removed it from the pool.
  pool.on('error', lost);
  // A checked-out client has no listener of pg's own; its query (or the transaction's next one)
  // fails, and the client is discarded when it is released.
  const checkedOut = new WeakSet<pg.PoolClient>();
  pool.on('acquire', (client) => checkedOut.add(client));
  pool.on('release', (_err, client) => checkedOut.delete(client));
  pool.on('connect', (client) => {
    client.on('error', (err) => {
      if (checkedOut.has(client)) {
        lost(err);
      }
    });
  });
  return pool;
}

/**
 * Kysely rolls back after a failed transaction and, if the ROLLBACK fails too (the connection
 * died mid-transaction), throws the rollback's error in place of the one that caused it. Here a
 * failed rollback is logged and the connection discarded (Kysely marks it before rethrowing), so
 * the caller sees the real cause.
 */
class CausePreservingPostgresDriver extends PostgresDriver {
  readonly #log: DatabaseLog;
  constructor(config: PostgresDialectConfig, log: DatabaseLog) {
    super(config);
    this.#log = log;
  }
  override async rollbackTransaction(
    connection: Parameters<PostgresDriver['rollbackTransaction']>[0],
  ): Promise<void> {
    try {
      await super.rollbackTransaction(connection);
    } catch (err) {
      this.#log.warn(
        `PostgreSQL rollback failed after an earlier error (${err instanceof Error ? err.message : String(err)}); the connection is discarded`,
      );
    }
  }
}

export class CausePreservingPostgresDialect extends PostgresDialect {
  readonly #config: PostgresDialectConfig;
  readonly #log: DatabaseLog;
  constructor(config: PostgresDialectConfig, log: DatabaseLog) {
    super(config);
    this.#config = config;
    this.#log = log;
  }
  override createDriver(): Driver {
    return new CausePreservingPostgresDriver(this.#config, this.#log);
  }
}
