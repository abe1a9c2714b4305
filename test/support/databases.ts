import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../../src/storage/create-database.ts';
import { migrateToLatest } from '../../src/storage/migrate.ts';

/**
 * The real databases every storage test runs on: an SQLite file and the PostgreSQL server at
 * TEST_DATABASE_URL (default 127.0.0.1:5432/test). PostgreSQL is never skipped: if it cannot
 * be reached the tests fail, so CI cannot pass without it.
 */
export const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  readonly handle: DatabaseHandle;
  /** Another connection pool to the same database, as a second service instance would have. */
  openAnother(): DatabaseHandle;
  dispose(): Promise<void>;
}

export type DialectName = 'sqlite' | 'postgres';
export const DIALECTS: readonly DialectName[] = ['sqlite', 'postgres'];

let counter = 0;

export async function openTestDatabase(
  dialect: DialectName,
  postgresUrl = PG_URL,
  /** Migrate only the migrations named before this one (a migration's own test). */
  options: { readonly migrateBefore?: string } = {},
): Promise<TestDatabase> {
  const migrate = (h: DatabaseHandle) =>
    migrateToLatest(h, options.migrateBefore === undefined ? {} : { before: options.migrateBefore });
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'itb-test-'));
    const path = join(dir, 'test.sqlite');
    const handle = openDatabase({ kind: 'sqlite', path });
    await migrate(handle);
    const others: DatabaseHandle[] = [];
    return {
      handle,
      openAnother: () => {
        const h = openDatabase({ kind: 'sqlite', path });
        others.push(h);
        return h;
      },
      dispose: async () => {
        await Promise.all(others.map((o) => o.close()));
        await handle.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  // Each test gets a schema of its own, so tests never see each other's rows.
  const schema = `t_${process.pid}_${Date.now()}_${counter++}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const open = () =>
    openDatabase({ kind: 'postgres', url: postgresUrl }, { pgSearchPath: schema, pgPoolSize: 5 });
  const handle = open();
  await migrate(handle);
  const others: DatabaseHandle[] = [];
  return {
    handle,
    openAnother: () => {
      const h = open();
      others.push(h);
      return h;
    },
    dispose: async () => {
      await Promise.all(others.map((o) => o.close()));
      await handle.close();
      const c = new pg.Client({ connectionString: postgresUrl });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    },
  };
}
