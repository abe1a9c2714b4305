import { randomUUID } from 'node:crypto';
import type { DbOrTrx } from './database.ts';

export async function recordSignInFailure(db: DbOrTrx, keys: readonly string[], at: string): Promise<void> {
  if (keys.length === 0) {
    return;
  }
  await db
    .insertInto('sign_in_failures')
    .values(keys.map((k) => ({ id: randomUUID(), throttle_key: k, failed_at: at })))
    .execute();
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

export async function pruneSignInFailures(db: DbOrTrx, before: string): Promise<void> {
  await db.deleteFrom('sign_in_failures').where('failed_at', '<', before).execute();
}
