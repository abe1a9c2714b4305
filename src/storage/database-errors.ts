import { isUniqueKeyName, uniqueKeyOnColumns, type UniqueKeyName } from './unique-keys.ts';

/**
 * What a failed query means, read from either driver's error: node:sqlite's `errcode` (SQLite's
 * result codes, https://sqlite.org/rescode.html), pg's SQLSTATE `code`
 * (https://www.postgresql.org/docs/current/errcodes-appendix.html), or the socket's errno when
 * PostgreSQL cannot be reached at all. `cause` is one line naming the real cause for the log.
 */
export type DatabaseFailure =
  | { readonly kind: 'unique'; readonly key: UniqueKeyName | null; readonly cause: string }
  /** `transient`: worth waiting for (a restart, a network blip), not a setting to correct. */
  | { readonly kind: 'unavailable'; readonly transient: boolean; readonly cause: string }
  | { readonly kind: 'storage-full'; readonly cause: string }
  | { readonly kind: 'read-only'; readonly cause: string };

interface DriverError {
  readonly message: string;
  readonly code?: unknown;
  readonly errcode?: unknown;
  readonly constraint?: unknown;
  readonly address?: unknown;
  readonly port?: unknown;
  readonly errors?: unknown;
  readonly cause?: unknown;
}

const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;
const SQLITE_READONLY = 8;
const SQLITE_IOERR = 10;
const SQLITE_FULL = 13;
const SQLITE_CANTOPEN = 14;
const SQLITE_CONSTRAINT_PRIMARYKEY = 1555;
const SQLITE_CONSTRAINT_UNIQUE = 2067;

const SQLITE_NAMES: Readonly<Record<number, string>> = {
  [SQLITE_BUSY]: 'SQLITE_BUSY',
  [SQLITE_LOCKED]: 'SQLITE_LOCKED',
  [SQLITE_READONLY]: 'SQLITE_READONLY',
  [SQLITE_IOERR]: 'SQLITE_IOERR',
  [SQLITE_FULL]: 'SQLITE_FULL',
  [SQLITE_CANTOPEN]: 'SQLITE_CANTOPEN',
};

/** Socket errors: the server is not there, or not reachable, just now. */
const NETWORK_ERRNOS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  EHOSTDOWN: 'host down',
  ENETUNREACH: 'network unreachable',
  ENETDOWN: 'network down',
  EPIPE: 'connection closed',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed',
};

/** pg's own messages for a connection that has gone or never came. */
const PG_CONNECTION_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /is not queryable$/,
  /^Postgres connection has been discarded/,
  /^Cannot use a pool after calling end/,
];

function asDriverError(err: unknown): DriverError | null {
  return err instanceof Error ? err : null;
}

/** The socket error inside a connection failure (Node reports one per address tried). */
function networkCause(e: DriverError): string | null {
  const inner = Array.isArray(e.errors) ? (e.errors as unknown[]).map(asDriverError) : [];
  for (const candidate of [e, ...inner]) {
    const code = typeof candidate?.code === 'string' ? candidate.code : null;
    if (candidate && code !== null && code in NETWORK_ERRNOS) {
      const where =
        typeof candidate.address === 'string' && typeof candidate.port === 'number'
          ? ` by ${candidate.address}:${String(candidate.port)}`
          : '';
      return `${NETWORK_ERRNOS[code] ?? code}${where} (${code})`;
    }
  }
  return null;
}

function sqliteUniqueKey(message: string): UniqueKeyName | null {
  // "UNIQUE constraint failed: pumps.model_id, pumps.serial_number", or "…: index 'name'".
  const index = /UNIQUE constraint failed: index '([^']+)'/.exec(message);
  if (index?.[1] !== undefined) {
    return isUniqueKeyName(index[1]) ? index[1] : null;
  }
  const columns = /UNIQUE constraint failed: (.+)$/.exec(message)?.[1]?.split(', ') ?? [];
  const table = columns[0]?.split('.')[0];
  if (table === undefined) {
    return null;
  }
  return uniqueKeyOnColumns(
    table,
    columns.map((c) => c.slice(table.length + 1)),
  );
}

function classifySqlite(e: DriverError, errcode: number): DatabaseFailure | null {
  const primary = errcode & 0xff;
  const name = SQLITE_NAMES[primary] ?? `SQLite error ${String(errcode)}`;
  const cause = `${e.message} (${name})`;
  if (errcode === SQLITE_CONSTRAINT_UNIQUE || errcode === SQLITE_CONSTRAINT_PRIMARYKEY) {
    return { kind: 'unique', key: sqliteUniqueKey(e.message), cause: e.message };
  }
  switch (primary) {
    case SQLITE_FULL:
      return { kind: 'storage-full', cause };
    case SQLITE_READONLY:
      return { kind: 'read-only', cause };
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
      return { kind: 'unavailable', transient: true, cause };
    case SQLITE_CANTOPEN:
      return { kind: 'unavailable', transient: false, cause };
    default:
      return null;
  }
}

function classifyPostgres(e: DriverError, sqlState: string): DatabaseFailure | null {
  const cause = `${e.message} (SQLSTATE ${sqlState})`;
  if (sqlState === '23505') {
    const name = typeof e.constraint === 'string' ? e.constraint : '';
    return { kind: 'unique', key: isUniqueKeyName(name) ? name : null, cause: e.message };
  }
  if (sqlState === '53100') {
    return { kind: 'storage-full', cause };
  }
  if (sqlState === '25006') {
    return { kind: 'read-only', cause };
  }
  // Connection exceptions, the server shutting down or starting up, too many connections.
  if (sqlState.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(sqlState)) {
    return { kind: 'unavailable', transient: true, cause };
  }
  // A refused login or a database that does not exist: a setting to correct, not a blip.
  if (sqlState.startsWith('28') || sqlState === '3D000') {
    return { kind: 'unavailable', transient: false, cause };
  }
  return null;
}

function classifyOne(e: DriverError): DatabaseFailure | null {
  if (typeof e.errcode === 'number') {
    return classifySqlite(e, e.errcode);
  }
  if (e.message === 'database is not open') {
    // node:sqlite after the handle was closed (the service is stopping).
    return { kind: 'unavailable', transient: false, cause: 'the SQLite database is closed' };
  }
  const network = networkCause(e);
  if (network !== null) {
    return { kind: 'unavailable', transient: true, cause: network };
  }
  if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) {
    return classifyPostgres(e, e.code);
  }
  if (PG_CONNECTION_MESSAGES.some((re) => re.test(e.message))) {
    return { kind: 'unavailable', transient: true, cause: e.message };
  }
  return null;
}

/** What a driver error means, looking through wrapping errors' `cause`; null for any other error. */
export function classifyDatabaseError(err: unknown): DatabaseFailure | null {
  let e = asDriverError(err);
  for (let depth = 0; e !== null && depth < 4; depth++) {
    const found = classifyOne(e);
    if (found) {
      return found;
    }
    e = asDriverError(e.cause);
  }
  return null;
}

/**
 * A unique constraint refused the write: another request inserted the same key between our
 * check and our insert (PostgreSQL SQLSTATE 23505; SQLite SQLITE_CONSTRAINT_UNIQUE). With a key
 * (unique-keys.ts), only a refusal by that key counts.
 */
export function isUniqueViolation(err: unknown, key?: UniqueKeyName): boolean {
  const failure = classifyDatabaseError(err);
  return failure?.kind === 'unique' && (key === undefined || failure.key === key);
}
