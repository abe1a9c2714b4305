import { sql } from 'kysely';
import type { Db } from '../../src/storage/database.ts';

/**
 * Caps an SQLite file at the pages it has, as a full disk would: SQLite then answers SQLITE_FULL
 * ("database or disk is full") to any write that needs a new page. The cap lasts as long as the
 * connection (pragma max_page_count is not stored in the file).
 */
export async function capSqliteAtCurrentSize(db: Db): Promise<void> {
  // The table fillSqlite fills, made while there is room for it.
  await sql`create table if not exists filler (x text)`.execute(db);
  const r = await sql<{ page_count: number }>`pragma page_count`.execute(db);
  await sql.raw(`pragma max_page_count = ${String(r.rows[0]?.page_count ?? 1)}`).execute(db);
}

/** Uses up every free page under the cap (after capSqliteAtCurrentSize), so the next write that needs a page fails. */
export async function fillSqlite(db: Db): Promise<void> {
  try {
    for (let i = 0; i < 100_000; i++) {
      await sql`insert into filler (x) values (${'x'.repeat(1000)})`.execute(db);
    }
  } catch {
    // Full, as wanted.
  }
}

/** Lifts the cap: the file may grow again. */
export async function uncapSqlite(db: Db): Promise<void> {
  await sql.raw('pragma max_page_count = 1073741823').execute(db);
}
