import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../storage/database.ts';
import {
  findActiveTokenByHash,
  insertApiToken,
  markTokenUsed,
  revokeToken,
} from '../storage/api-tokens.repository.ts';
import { findUserById, type User } from '../storage/users.repository.ts';
import { AppError, validationError } from './app-error.ts';
import { actorEvent, appendAudit, type Actor } from './audit-service.ts';
import type { Clock } from './clock.ts';
import { randomToken, sha256Hex } from './secrets.ts';

export interface TokenServiceDeps {
  readonly db: Db;
  readonly clock: Clock;
}

/** Personal API tokens start with a fixed prefix so secret scanners can recognise them. */
export const TOKEN_PREFIX = 'itb_';

const tokenNameSchema = z
  .string({ error: 'Enter a name for the token' })
  .trim()
  .min(1, { error: 'Enter a name for the token' })
  .max(80, { error: 'Token name must be 80 characters or fewer' });

export async function createApiToken(
  deps: TokenServiceDeps,
  actor: Actor,
  user: User,
  rawName: unknown,
): Promise<{ id: string; token: string }> {
  const name = tokenNameSchema.safeParse(rawName);
  if (!name.success) {
    throw validationError([
      { field: 'name', message: name.error.issues[0]?.message ?? 'Enter a name for the token' },
    ]);
  }
  if (user.disabledAt !== null) {
    throw validationError([{ field: 'username', message: 'That account is disabled' }]);
  }
  const token = `${TOKEN_PREFIX}${randomToken()}`;
  const id = randomUUID();
  await deps.db.transaction().execute(async (trx) => {
    await insertApiToken(trx, {
      id,
      user_id: user.id,
      name: name.data,
      token_hash: sha256Hex(token),
      created_at: deps.clock.now().toISOString(),
      last_used_at: null,
      revoked_at: null,
    });
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'token.create',
        outcome: 'success',
        entityType: 'api-token',
        entityId: id,
        details: { forUser: user.username, name: name.data },
      }),
    );
  });
  return { id, token };
}

export async function revokeApiToken(deps: TokenServiceDeps, actor: Actor, tokenId: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const ok = await revokeToken(trx, tokenId, actor.userId, deps.clock.now().toISOString());
    if (!ok) {
      throw new AppError('NOT_FOUND', 'Token not found or already revoked');
    }
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'token.revoke',
        outcome: 'success',
        entityType: 'api-token',
        entityId: tokenId,
      }),
    );
  });
}

/** Resolves a bearer token to its active account, or null. */
export async function authenticateApiToken(deps: TokenServiceDeps, token: string): Promise<User | null> {
  if (!token.startsWith(TOKEN_PREFIX)) {
    return null;
  }
  const row = await findActiveTokenByHash(deps.db, sha256Hex(token));
  if (!row) {
    return null;
  }
  const user = await findUserById(deps.db, row.user_id);
  if (!user || user.disabledAt !== null) {
    return null;
  }
  const now = deps.clock.now();
  // Last use is kept to the minute so that every API call is not also a write.
  if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) > 60_000) {
    await markTokenUsed(deps.db, row.id, now.toISOString());
  }
  return user;
}
