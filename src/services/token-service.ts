import { formatDateTime } from '../domain/uk-date-time.ts';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { TokenEndReason } from '../storage/account-tables.ts';
import type { Db } from '../storage/database.ts';
import {
  findTokenByHash,
  insertApiToken,
  listTokensOfUser,
  markTokenUsed,
  revokeToken,
  type ApiToken,
} from '../storage/api-tokens.repository.ts';
import { findUserById, type User } from '../storage/users.repository.ts';
import { AppError, validationError } from './app-error.ts';
import { actorEvent, appendAudit, type Actor } from './audit-service.ts';
import type { Clock } from './clock.ts';
import { randomToken, sha256Hex } from './secrets.ts';
import { rolesRequiringMfa } from './mfa-policy-service.ts';

export interface TokenServiceDeps {
  readonly db: Db;
  readonly clock: Clock;
}

export interface TokenIssueDeps extends TokenServiceDeps {
  /** API_TOKEN_LIFETIME_DAYS: how long a new token works. */
  readonly tokenLifetimeDays: number;
}

/** Personal API tokens start with a fixed prefix so secret scanners can recognise them. */
export const TOKEN_PREFIX = 'itb_';

const DAY_MS = 86_400_000;

const tokenNameSchema = z
  .string({ error: 'Enter a name for the token' })
  .trim()
  .min(1, { error: 'Enter a name for the token' })
  .max(80, { error: 'Token name must be 80 characters or fewer' });

/**
 * Makes a token that works for `tokenLifetimeDays`, so a token leaked and forgotten stops
 * working on its own. The token is returned once; only its hash is kept.
 */
export async function createApiToken(
  deps: TokenIssueDeps,
  actor: Actor,
  user: User,
  rawName: unknown,
): Promise<{ id: string; token: string; expiresAt: string }> {
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
  const nowMs = deps.clock.now().getTime();
  const expiresAt = new Date(nowMs + deps.tokenLifetimeDays * DAY_MS).toISOString();
  await deps.db.transaction().execute(async (trx) => {
    await insertApiToken(trx, {
      id,
      userId: user.id,
      name: name.data,
      tokenHash: sha256Hex(token),
      createdAt: new Date(nowMs).toISOString(),
      lastUsedAt: null,
      revokedAt: null,
      expiresAt,
      endReason: null,
    });
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'token.create',
        outcome: 'success',
        entityType: 'api-token',
        entityId: id,
        details: { forUser: user.username, name: name.data, expiresAt },
      }),
    );
  });
  return { id, token, expiresAt };
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

const ENDED_BECAUSE: Record<TokenEndReason, string> = {
  revoked: 'it was revoked',
  'password-changed': "the account's password was changed",
  'password-reset': "an administrator reset the account's password",
  'account-disabled': 'the account was disabled',
};

/** Why a token was ended ("the account was disabled"), or null for an unknown reason. */
export function tokenEndedBecause(reason: string | null): string | null {
  return reason !== null && Object.hasOwn(ENDED_BECAUSE, reason)
    ? ENDED_BECAUSE[reason as TokenEndReason]
    : null;
}

/** A token as its owner's account page lists it. */
export interface ApiTokenListing {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly expiresAt: string | null;
  /** Why it no longer works ("Revoked", "Ended because …", "Expired"), null while it works. */
  readonly ended: string | null;
}

/** A token's state: working (with its expiry), revoked, ended with a reason, or expired. */
function tokenStatus(t: ApiToken, nowMs: number): string | null {
  if (t.revokedAt !== null) {
    const because = t.endReason === 'revoked' ? null : tokenEndedBecause(t.endReason);
    return because ? `Ended because ${because}` : 'Revoked';
  }
  return t.expiresAt === null || Date.parse(t.expiresAt) <= nowMs ? 'Expired' : null;
}

/** The account's tokens, newest first, each saying whether it still works. */
export async function listApiTokens(deps: TokenServiceDeps, userId: string): Promise<ApiTokenListing[]> {
  const tokens = await listTokensOfUser(deps.db, userId);
  return tokens.map((t) => ({
    id: t.id,
    name: t.name,
    createdAt: t.createdAt,
    lastUsedAt: t.lastUsedAt,
    expiresAt: t.expiresAt,
    ended: tokenStatus(t, deps.clock.now().getTime()),
  }));
}

/** Why a token no longer works, in words for its holder, who already knows the secret. */
function tokenEndedMessage(reason: string | null): string {
  const because = tokenEndedBecause(reason);
  return `This API token has ended${because ? ` because ${because}` : ''}. Create a new one under Your account.`;
}

function refuse(reason: string, message: string): AppError {
  return new AppError('UNAUTHENTICATED', message, { details: { reason } });
}

/**
 * Resolves a bearer token to its account. Returns null for a token that is not one of ours
 * (the caller answers 401 asking for a valid token); throws 401 UNAUTHENTICATED saying why for
 * a real token that no longer works: ended, expired, its account disabled, its owner made to
 * change their password, or their role now needing a second factor they have not set up: a
 * token is never a way round either. Ending tokens with the password follows OWASP ASVS 4.0.3
 * V3.3.3 (a password change ends the other ways in).
 */
export async function authenticateApiToken(
  deps: TokenServiceDeps & { readonly timeZone: string },
  token: string,
): Promise<User | null> {
  if (!token.startsWith(TOKEN_PREFIX)) {
    return null;
  }
  const found = await findTokenByHash(deps.db, sha256Hex(token));
  if (!found) {
    return null;
  }
  const now = deps.clock.now();
  if (found.revokedAt !== null) {
    throw refuse('token-ended', tokenEndedMessage(found.endReason));
  }
  if (found.expiresAt === null || Date.parse(found.expiresAt) <= now.getTime()) {
    throw refuse(
      'token-expired',
      `This API token expired${found.expiresAt ? ` on ${formatDateTime(found.expiresAt, deps.timeZone)}` : ''}. Create a new one under Your account.`,
    );
  }
  const user = await findUserById(deps.db, found.userId);
  if (!user) {
    return null;
  }
  if (user.disabledAt !== null) {
    throw refuse('token-ended', tokenEndedMessage('account-disabled'));
  }
  if (user.mustChangePassword) {
    throw refuse(
      'password-change-required',
      'The account must change its password before its API tokens work: sign in to the website to change it.',
    );
  }
  if (user.totpSecret === null && (await rolesRequiringMfa(deps.db)).includes(user.role)) {
    throw refuse(
      'second-factor-required',
      "The account's role needs a second factor: sign in to the website and set one up, and this token works again.",
    );
  }
  // Last use is kept to the minute so that every API call is not also a write.
  if (!found.lastUsedAt || now.getTime() - Date.parse(found.lastUsedAt) > 60_000) {
    await markTokenUsed(deps.db, found.id, now.toISOString());
  }
  return user;
}
