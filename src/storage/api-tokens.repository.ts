import type { ApiTokensTable, DbOrTrx } from './database.ts';

export async function insertApiToken(db: DbOrTrx, row: ApiTokensTable): Promise<void> {
  await db.insertInto('api_tokens').values(row).execute();
}

export async function findActiveTokenByHash(
  db: DbOrTrx,
  tokenHash: string,
): Promise<ApiTokensTable | undefined> {
  return db
    .selectFrom('api_tokens')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
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
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function markTokenUsed(db: DbOrTrx, id: string, at: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
}
