import { randomUUID } from 'node:crypto';
import type { DbOrTrx, Trx } from './database.ts';

/**
 * Takes the throttle keys' locks for the rest of the transaction: an upsert of each key's row,
 * which waits for any other transaction holding that row (PostgreSQL), or runs inside the
 * write lock BEGIN IMMEDIATE already holds (SQLite). Keys are taken in one order, so two
 * attempts that share both keys cannot deadlock.
 */
export async function lockThrottleKeys(trx: Trx, keys: readonly string[], at: string): Promise<void> {
  for (const key of [...new Set(keys)].sort()) {
    await trx
      .insertInto('sign_in_throttle_keys')
      .values({ throttle_key: key, last_attempt_at: at })
      .onConflict((oc) => oc.column('throttle_key').doUpdateSet({ last_attempt_at: at }))
      .execute();
  }
}

/** Records one attempt (or failure) under each key; returns the rows' ids so a success can be forgiven. */
export async function recordSignInFailure(
  db: DbOrTrx,
  keys: readonly string[],
  at: string,
): Promise<string[]> {
  if (keys.length === 0) {
    return [];
  }
  const rows = keys.map((k) => ({ id: randomUUID(), throttle_key: k, failed_at: at }));
  await db.insertInto('sign_in_failures').values(rows).execute();
  return rows.map((r) => r.id);
}

export async function recentSignInFailures(db: DbOrTrx, key: string, since: string): Promise<string[]> {
  const rows = await db
    .selectFrom('sign_in_failures')
    .select('failed_at')
    .where('throttle_key', '=', key)
    .where('failed_at', '>', since)
    .execute();
  return rows.map((r) => r.failed_at);
}

export async function clearSignInFailures(db: DbOrTrx, key: string): Promise<void> {
  await db.deleteFrom('sign_in_failures').where('throttle_key', '=', key).execute();
}

/** Forgets particular attempts (a successful one). */
export async function deleteSignInAttempts(db: DbOrTrx, ids: readonly string[]): Promise<void> {
  if (ids.length > 0) {
    await db.deleteFrom('sign_in_failures').where('id', 'in', ids).execute();
  }
}

export async function pruneSignInFailures(db: DbOrTrx, before: string): Promise<void> {
  await db.deleteFrom('sign_in_failures').where('failed_at', '<', before).execute();
  // A key's row is only a lock; one not used within the window is made again when needed.
  await db.deleteFrom('sign_in_throttle_keys').where('last_attempt_at', '<', before).execute();
}
