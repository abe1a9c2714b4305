import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Kysely } from 'kysely';
import type { Database, Db } from './database.ts';
import { classifyDatabaseError } from './database-errors.ts';
import { stderrDatabaseLog, SwitchableDatabaseLog, type DatabaseLog } from './database-log.ts';
import type { SqlDialectName } from './dialect-name.ts';
import {
  CausePreservingPostgresDialect,
  createPostgresPool,
  postgresAddress,
  type PostgresPoolOptions,
} from './postgres/postgres-pool.ts';
import { NodeSqliteDialect, openSqliteFile } from './sqlite/node-sqlite-dialect.ts';

export interface DatabaseHandle {
  readonly db: Db;
  readonly dialect: SqlDialectName;
  /** The SQLite file's absolute path, or ':memory:'; null on PostgreSQL. */
  readonly sqlitePath: string | null;
  /** The PostgreSQL schema the tables live in, when not the default search path. */
  readonly pgSchema?: string;
  /** Where the database is, for messages: host:port, or the SQLite file (never a password). */
  readonly address: string;
  /** Sends the storage layer's one-line reports (a lost connection) to this log from now on. */
  setLog(log: DatabaseLog): void;
  close(): Promise<void>;
}

export type DatabaseLocation =
  { readonly kind: 'sqlite'; readonly path: string } | { readonly kind: 'postgres'; readonly url: string };

/** Parses DATABASE_URL: `sqlite:PATH` (relative to the working directory) or `postgres://…`. */
export function parseDatabaseUrl(url: string): DatabaseLocation {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path === '') {
      throw new Error('DATABASE_URL: sqlite: needs a file path, for example sqlite:./data/itb.sqlite');
    }
    return { kind: 'sqlite', path: path === ':memory:' ? path : resolve(path) };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    return { kind: 'postgres', url };
  }
  throw new Error('DATABASE_URL must start with sqlite: or postgres://');
}

/** The SQLite file cannot be used; the message names the path and what to do. */
export class DatabaseOpenError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'DatabaseOpenError';
  }
}

function errnoOf(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : err instanceof Error ? err.message : String(err);
}

/**
 * Checks the SQLite file can be written before opening it. SQLite opens a file it may not write
 * as read-only without a word, and fails only at the first write with "attempt to write a
 * readonly database", naming no file; a directory it may not write fails "unable to open
 * database file" once the -wal and -shm files are needed. Both are found here, by name.
 */
function openSqliteWritable(path: string) {
  if (path === ':memory:') {
    return openSqliteFile(path);
  }
  const dir = dirname(path);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new DatabaseOpenError(
      `Cannot create the directory ${dir} for the SQLite database (${errnoOf(err)}). Check DATABASE_URL and the directory's permissions.`,
      { cause: err },
    );
  }
  try {
    accessSync(dir, constants.W_OK);
  } catch (err) {
    throw new DatabaseOpenError(
      `The directory ${dir} is read-only (${errnoOf(err)}): the SQLite database ${path} needs to write its file and the -wal and -shm files beside it. Make the directory writable by the service's user.`,
      { cause: err },
    );
  }
  if (existsSync(path)) {
    try {
      accessSync(path, constants.R_OK | constants.W_OK);
    } catch (err) {
      throw new DatabaseOpenError(
        `The SQLite database ${path} is read-only (${errnoOf(err)}). Make the file writable by the service's user.`,
        { cause: err },
      );
    }
  }
  try {
    return openSqliteFile(path);
  } catch (err) {
    const failure = classifyDatabaseError(err);
    throw new DatabaseOpenError(
      `Cannot open the SQLite database ${path}: ${failure?.cause ?? errnoOf(err)}. Check the file and its directory are writable by the service's user.`,
      { cause: err },
    );
  }
}

export function openDatabase(
  location: DatabaseLocation,
  options: {
    readonly pgSearchPath?: string;
    readonly pgPoolSize?: number;
    readonly pgApplicationName?: string;
    readonly pgConnectTimeoutMs?: number;
    readonly log?: DatabaseLog;
  } = {},
): DatabaseHandle {
  const log = new SwitchableDatabaseLog(options.log ?? stderrDatabaseLog);
  const setLog = (to: DatabaseLog) => {
    log.switchTo(to);
  };
  if (location.kind === 'sqlite') {
    const raw = openSqliteWritable(location.path);
    const db = new Kysely<Database>({ dialect: new NodeSqliteDialect(raw, log) });
    return {
      db,
      dialect: 'sqlite',
      sqlitePath: location.path,
      address: location.path,
      setLog,
      close: () => db.destroy(),
    };
  }
  const poolOptions: PostgresPoolOptions = {
    ...(options.pgSearchPath ? { searchPath: options.pgSearchPath } : {}),
    ...(options.pgPoolSize ? { poolSize: options.pgPoolSize } : {}),
    ...(options.pgApplicationName ? { applicationName: options.pgApplicationName } : {}),
    ...(options.pgConnectTimeoutMs ? { connectTimeoutMs: options.pgConnectTimeoutMs } : {}),
  };
  const pool = createPostgresPool(location.url, poolOptions, log);
  const db = new Kysely<Database>({ dialect: new CausePreservingPostgresDialect({ pool }, log) });
  return {
    db,
    dialect: 'postgres',
    sqlitePath: null,
    ...(options.pgSearchPath ? { pgSchema: options.pgSearchPath } : {}),
    address: postgresAddress(location.url),
    setLog,
    close: () => db.destroy(),
  };
}
