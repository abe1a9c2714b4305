import { createHash } from 'node:crypto';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import {
  CompiledQuery,
  SqliteDialect,
  SqliteDriver,
  SqliteQueryCompiler,
  type QueryCompiler,
  type SelectModifierNode,
  type DatabaseConnection,
  type Driver,
  type SqliteDatabase,
  type SqliteDialectConfig,
  type SqliteStatement,
} from 'kysely';
import { stderrDatabaseLog, type DatabaseLog } from '../database-log.ts';

/**
 * Kysely's SQLite dialect over Node's built-in `node:sqlite`, so the embedded database needs
 * no native addon to compile (this machine cannot download prebuilt binaries, and a node-gyp
 * build against Node 24 headers would slow every install). ARCHITECTURE.md says why.
 */
function toInput(value: unknown): SQLInputValue {
  if (typeof value === 'boolean') {
    return value ? 1 : 0;
  }
  if (value === undefined) {
    return null;
  }
  return value as SQLInputValue;
}

class NodeSqliteStatement implements SqliteStatement {
  readonly #stmt: StatementSync;
  readonly reader: boolean;
  constructor(stmt: StatementSync) {
    this.#stmt = stmt;
    this.reader = stmt.columns().length > 0;
  }
  all(parameters: readonly unknown[]): unknown[] {
    return this.#stmt.all(...parameters.map(toInput));
  }
  run(parameters: readonly unknown[]) {
    return this.#stmt.run(...parameters.map(toInput));
  }
  iterate(parameters: readonly unknown[]): IterableIterator<unknown> {
    return this.#stmt.iterate(...parameters.map(toInput));
  }
}

export function openSqliteFile(path: string): DatabaseSync {
  const db = new DatabaseSync(path);
  // WAL lets readers run beside a writer; synchronous=FULL fsyncs every commit so an
  // acknowledged write survives the process being killed.
  db.exec('pragma journal_mode = wal');
  db.exec('pragma synchronous = full');
  db.exec('pragma foreign_keys = on');
  db.exec('pragma busy_timeout = 5000');
  // SQLite's default page cache is 2 MiB. A large transaction (a caseload import writes tens of
  // thousands of rows and their index entries) outgrows it and spills pages to the WAL before
  // its commit, then reads them back; 32 MiB holds such a transaction. The cache is an upper
  // bound filled only as pages are used, and there is one connection per process.
  db.exec('pragma cache_size = -32768');
  // Keeps the planner's statistics current for the worklist's indexed counts, as SQLite advises
  // for long-lived connections (cheap: it analyses only tables that need it).
  db.exec('pragma optimize = 0x10002');
  // The audit chain's hash function, as PostgreSQL defines it in the foundation migration.
  db.function('sha256_hex', { deterministic: true }, (input) =>
    createHash('sha256').update(String(input)).digest('hex'),
  );
  return db;
}

/** Prepared statements kept per SQL text: Kysely prepares every query it runs, and preparing
 * was a measurable share of each page (npm run bench). The app's queries are a small fixed set. */
const STATEMENT_CACHE_SIZE = 500;

function adapt(db: DatabaseSync): SqliteDatabase {
  const cache = new Map<string, NodeSqliteStatement>();
  return {
    close: () => {
      cache.clear();
      db.close();
    },
    prepare: (sql: string) => {
      let stmt = cache.get(sql);
      if (!stmt) {
        stmt = new NodeSqliteStatement(db.prepare(sql));
        if (cache.size >= STATEMENT_CACHE_SIZE) {
          // Forget the oldest; Map keeps insertion order.
          const oldest = cache.keys().next().value;
          if (oldest !== undefined) {
            cache.delete(oldest);
          }
        }
        cache.set(sql, stmt);
      }
      return stmt;
    },
  };
}

/** Write transactions start with BEGIN IMMEDIATE: the write lock is taken up front, so two
 * writers never both read and then fail to upgrade (SQLITE_BUSY mid-transaction). */
class ImmediateSqliteDriver extends SqliteDriver {
  readonly #raw: DatabaseSync;
  readonly #log: DatabaseLog;
  constructor(config: SqliteDialectConfig, raw: DatabaseSync, log: DatabaseLog) {
    super(config);
    this.#raw = raw;
    this.#log = log;
  }
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
  /**
   * SQLite ends the transaction itself when a statement or COMMIT fails with SQLITE_FULL,
   * SQLITE_IOERR, SQLITE_BUSY or SQLITE_NOMEM ("Response To Errors Within A Transaction",
   * https://sqlite.org/lang_transaction.html). A ROLLBACK then fails with "cannot rollback - no
   * transaction is active", and Kysely would throw that in place of the error that caused it,
   * so a full disk was logged as thousands of rollback errors. Roll back only what is open, and
   * never let a failed rollback hide the cause.
   */
  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (!this.#raw.isTransaction) {
      return;
    }
    try {
      await super.rollbackTransaction(connection);
    } catch (err) {
      this.#log.warn(
        `SQLite rollback failed after an earlier error (${err instanceof Error ? err.message : String(err)})`,
      );
    }
  }
}

/** SQLite has no row locks: a write transaction already holds the whole database (BEGIN
 * IMMEDIATE), so FOR UPDATE, which PostgreSQL needs, is left out rather than being an error. */
class NodeSqliteQueryCompiler extends SqliteQueryCompiler {
  protected override visitSelectModifier(node: SelectModifierNode): void {
    if (node.modifier !== 'ForUpdate') {
      super.visitSelectModifier(node);
    }
  }
}

export class NodeSqliteDialect extends SqliteDialect {
  readonly #database: SqliteDatabase;
  readonly #raw: DatabaseSync;
  readonly #log: DatabaseLog;
  constructor(db: DatabaseSync, log: DatabaseLog = stderrDatabaseLog) {
    const database = adapt(db);
    super({ database });
    this.#database = database;
    this.#raw = db;
    this.#log = log;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: this.#database }, this.#raw, this.#log);
  }
  override createQueryCompiler(): QueryCompiler {
    return new NodeSqliteQueryCompiler();
  }
}
