import type { DbOrTrx } from './database.ts';

/** The one-time secret of the first-administrator page: only its hash is stored. */
export async function insertSetupToken(
  db: DbOrTrx,
  token: { tokenHash: string; expiresAt: string },
): Promise<void> {
  await db
    .insertInto('setup_tokens')
    .values({ token_hash: token.tokenHash, expires_at: token.expiresAt })
    .execute();
}

/** When the set-up token with this hash expires, or undefined when there is none. */
export async function findSetupTokenExpiry(db: DbOrTrx, tokenHash: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('setup_tokens')
    .select('expires_at')
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  return row?.expires_at;
}

/** Ends every set-up link issued. */
export async function deleteSetupTokens(db: DbOrTrx): Promise<void> {
  await db.deleteFrom('setup_tokens').execute();
}
