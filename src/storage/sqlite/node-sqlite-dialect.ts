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
  type SqliteStatement,
} from 'kysely';

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
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
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
  constructor(db: DatabaseSync) {
    const database = adapt(db);
    super({ database });
    this.#database = database;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: this.#database });
  }
  override createQueryCompiler(): QueryCompiler {
    return new NodeSqliteQueryCompiler();
  }
}
