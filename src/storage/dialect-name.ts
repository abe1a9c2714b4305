import { PostgresAdapter } from 'kysely';
import type { DbOrTrx } from './database.ts';

export type SqlDialectName = 'sqlite' | 'postgres';

/** Whether this handle or transaction talks to PostgreSQL (else the embedded SQLite). */
export function isPostgres(db: DbOrTrx): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
