import type { ApiTokensTable, DbOrTrx } from './database.ts';
import type { TokenEndReason } from './account-tables.ts';

/** A personal API token as stored: only the hash of the secret is kept. */
export interface ApiToken {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  readonly tokenHash: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
  /** Null only for tokens written before expiry existed; treated as expired. */
  readonly expiresAt: string | null;
  /** Set with revokedAt; kept as text, as rows may hold a reason this version does not know. */
  readonly endReason: string | null;
}

export function apiTokenToRow(token: ApiToken): ApiTokensTable {
  return {
    id: token.id,
    user_id: token.userId,
    name: token.name,
    token_hash: token.tokenHash,
    created_at: token.createdAt,
    last_used_at: token.lastUsedAt,
    revoked_at: token.revokedAt,
    expires_at: token.expiresAt,
    end_reason: token.endReason,
  };
}

export function apiTokenFromRow(row: ApiTokensTable): ApiToken {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    tokenHash: row.token_hash,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
    expiresAt: row.expires_at,
    endReason: row.end_reason,
  };
}

export async function insertApiToken(db: DbOrTrx, token: ApiToken): Promise<void> {
  await db.insertInto('api_tokens').values(apiTokenToRow(token)).execute();
}

/** The token with this hash whether or not it still works, so a refusal can say why. */
export async function findTokenByHash(db: DbOrTrx, tokenHash: string): Promise<ApiToken | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  return row && apiTokenFromRow(row);
}

export async function listTokensOfUser(db: DbOrTrx, userId: string): Promise<ApiToken[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map(apiTokenFromRow);
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
