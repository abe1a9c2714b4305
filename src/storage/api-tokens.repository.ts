import type { ApiTokensTable, DbOrTrx } from './database.ts';
import type { TokenEndReason } from './account-tables.ts';

export async function insertApiToken(db: DbOrTrx, row: ApiTokensTable): Promise<void> {
  await db.insertInto('api_tokens').values(row).execute();
}

/** The token with this hash whether or not it still works, so a refusal can say why. */
export async function findTokenByHash(db: DbOrTrx, tokenHash: string): Promise<ApiTokensTable | undefined> {
  return db.selectFrom('api_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function listTokensOfUser(db: DbOrTrx, userId: string): Promise<ApiTokensTable[]> {
  return db
    .selectFrom('api_tokens')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .execute();
}

export async function revokeToken(db: DbOrTrx, id: string, userId: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('api_tokens')
    .set({ revoked_at: at, end_reason: 'revoked' satisfies TokenEndReason })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Ends every token of the account that still works (expired ones keep saying so); returns how many. */
export async function endTokensOfUser(
  db: DbOrTrx,
  userId: string,
  at: string,
  reason: TokenEndReason,
): Promise<number> {
  const r = await db
    .updateTable('api_tokens')
    .set({ revoked_at: at, end_reason: reason })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', at)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function markTokenUsed(db: DbOrTrx, id: string, at: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
}
