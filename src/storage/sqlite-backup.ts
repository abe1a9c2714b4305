import { sql } from 'kysely';
import type { Db } from './database.ts';

/**
 * Writes a consistent copy of the SQLite database to a new file: VACUUM INTO reads one snapshot
 * in one read transaction while the service keeps running (WAL mode lets writers continue).
 */
export async function vacuumInto(db: Db, target: string): Promise<void> {
  await sql`vacuum into ${target}`.execute(db);
}
