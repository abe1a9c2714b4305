import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database, Db } from './database.ts';
import type { SqlDialectName } from './dialect-name.ts';
import { NodeSqliteDialect, openSqliteFile } from './sqlite/node-sqlite-dialect.ts';

export interface DatabaseHandle {
  readonly db: Db;
  readonly dialect: SqlDialectName;
  /** The SQLite file's absolute path, or ':memory:'; null on PostgreSQL. */
  readonly sqlitePath: string | null;
  /** The PostgreSQL schema the tables live in, when not the default search path. */
  readonly pgSchema?: string;
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

export function openDatabase(
  location: DatabaseLocation,
  options: { readonly pgSearchPath?: string; readonly pgPoolSize?: number } = {},
): DatabaseHandle {
  if (location.kind === 'sqlite') {
    if (location.path !== ':memory:') {
      mkdirSync(dirname(location.path), { recursive: true });
    }
    const raw = openSqliteFile(location.path);
    const db = new Kysely<Database>({ dialect: new NodeSqliteDialect(raw) });
    return { db, dialect: 'sqlite', sqlitePath: location.path, close: () => db.destroy() };
  }
  const pool = new pg.Pool({
    connectionString: location.url,
    max: options.pgPoolSize ?? 10,
    types: pgTypes,
    ...(options.pgSearchPath ? { options: `-c search_path=${options.pgSearchPath}` } : {}),
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    sqlitePath: null,
    ...(options.pgSearchPath ? { pgSchema: options.pgSearchPath } : {}),
    close: () => db.destroy(),
  };
}
