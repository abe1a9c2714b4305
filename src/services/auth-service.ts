import { generateSecret, generateURI, verify } from 'otplib';
import { passwordProblem } from '../domain/password-policy.ts';
import { sessionNeedsTouch, sessionState, type SessionPolicy } from '../domain/session-policy.ts';
import { secondsUntilNextAttempt, type ThrottlePolicy } from '../domain/sign-in-throttle.ts';
import type { Db, Trx } from '../storage/database.ts';
import {
  deleteSession,
  deleteSessionsOfUser,
  findSessionWithUser,
  insertSession,
  touchSession,
  type SessionStage,
} from '../storage/sessions.repository.ts';
import {
  clearSignInFailures,
  recentSignInFailures,
  recordSignInFailure,
} from '../storage/sign-in-failures.repository.ts';
import { findUserByUsername, updateUser, type User } from '../storage/users.repository.ts';
import { AppError, validationError } from './app-error.ts';
import { actorEvent, actorOf, appendAudit, recordAudit } from './audit-service.ts';
import type { Clock } from './clock.ts';
import { dummyPasswordHash, hashPassword, randomToken, sha256Hex, verifyPassword } from './secrets.ts';
import { rolesRequiringMfa } from './user-service.ts';

export interface AuthServiceDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly session: SessionPolicy;
  readonly accountThrottle: ThrottlePolicy;
  readonly addressThrottle: ThrottlePolicy;
}

export interface SignedIn {
  /** The cookie value; only its hash is stored. */
  readonly sessionToken: string;
  readonly stage: SessionStage;
  readonly user: User;
}

export interface CurrentSession {
  readonly idHash: string;
  readonly stage: SessionStage;
  readonly user: User;
}

/** Stores a new session under the hash of its token (the token itself is only in the cookie). */
async function startSession(
  trx: Trx,
  clock: Clock,
  token: string,
  userId: string,
  stage: SessionStage,
  ip: string,
): Promise<void> {
  const at = clock.now().toISOString();
  await insertSession(trx, {
    id_hash: sha256Hex(token),
    user_id: userId,
    stage,
    created_at: at,
    last_seen_at: at,
    ip,
  });
}

const accountKey = (username: string) => `account:${username.toLowerCase()}`;
const addressKey = (ip: string) => `address:${ip}`;

async function throttleWait(deps: AuthServiceDeps, username: string, ip: string): Promise<number> {
  const nowMs = deps.clock.now().getTime();
  const longest = Math.max(deps.accountThrottle.windowSeconds, deps.addressThrottle.windowSeconds);
  const since = new Date(nowMs - longest * 1000).toISOString();
  const [acc, addr] = await Promise.all([
    recentSignInFailures(deps.db, accountKey(username), since),
    recentSignInFailures(deps.db, addressKey(ip), since),
  ]);
  const toMs = (ts: string[]) => ts.map((t) => Date.parse(t));
  return Math.max(
    secondsUntilNextAttempt(toMs(acc), nowMs, deps.accountThrottle),
    secondsUntilNextAttempt(toMs(addr), nowMs, deps.addressThrottle),
  );
}

/**
 * Checks a username and password. Unknown usernames cost the same time as known ones, and
 * every refusal says the same thing, so the page does not reveal which accounts exist.
 */
export async function signIn(
  deps: AuthServiceDeps,
  input: {
    username: string;
    password: string;
    ip: string;
    requestId: string | null;
    previousSessionToken?: string | undefined;
  },
): Promise<SignedIn> {
  const username = input.username.trim().toLowerCase();
  const wait = await throttleWait(deps, username, input.ip);
  if (wait > 0) {
    await recordAudit(
      deps.db,
      deps.clock,
      actorEvent(null, {
        action: 'auth.sign-in',
        outcome: 'denied',
        requestId: input.requestId,
        details: { username, reason: 'throttled', ip: input.ip },
      }),
    );
    throw new AppError(
      'SIGN_IN_THROTTLED',
      `Too many failed sign-in attempts. Wait ${wait} seconds and try again.`,
      {
        details: { retryAfterSeconds: wait },
      },
    );
  }
  const user = username === '' ? undefined : await findUserByUsername(deps.db, username);
  const passwordOk = await verifyPassword(input.password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user || !passwordOk || user.disabledAt !== null) {
    await deps.db.transaction().execute(async (trx) => {
      await recordSignInFailure(
        trx,
        [accountKey(username), addressKey(input.ip)],
        deps.clock.now().toISOString(),
      );
      await appendAudit(
        trx,
        deps.clock,
        actorEvent(null, {
          action: 'auth.sign-in',
          outcome: 'failure',
          userId: user?.id ?? null,
          username: username || null,
          requestId: input.requestId,
          details: {
            reason: !user ? 'unknown-user' : !passwordOk ? 'wrong-password' : 'account-disabled',
            ip: input.ip,
          },
        }),
      );
    });
    throw new AppError(
      'INVALID_CREDENTIALS',
      'The username or password is not right, or the account is disabled',
    );
  }
  const mfaRoles = await rolesRequiringMfa(deps.db);
  const stage: SessionStage = user.totpSecret
    ? 'mfa-pending'
    : mfaRoles.includes(user.role)
      ? 'mfa-enrol'
      : 'full';
  const token = randomToken();
  await deps.db.transaction().execute(async (trx) => {
    // A new session id at every sign-in (session fixation): any session the browser had ends.
    if (input.previousSessionToken) {
      await deleteSession(trx, sha256Hex(input.previousSessionToken));
    }
    await clearSignInFailures(trx, accountKey(username));
    await startSession(trx, deps.clock, token, user.id, stage, input.ip);
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actorOf(user, input.requestId), {
        action: 'auth.sign-in',
        outcome: 'success',
        details: { stage, ip: input.ip },
      }),
    );
  });
  return { sessionToken: token, stage, user };
}

/** Finds the session for a cookie value, ending it if it has timed out or its account is disabled. */
export async function currentSession(deps: AuthServiceDeps, token: string): Promise<CurrentSession | null> {
  const idHash = sha256Hex(token);
  const found = await findSessionWithUser(deps.db, idHash);
  if (!found) {
    return null;
  }
  const { session: row, user } = found;
  const nowMs = deps.clock.now().getTime();
  const state = sessionState(
    { createdAtMs: Date.parse(row.created_at), lastSeenAtMs: Date.parse(row.last_seen_at) },
    nowMs,
    deps.session,
  );
  if (state !== 'active' || user.disabledAt !== null) {
    await deleteSession(deps.db, idHash);
    return null;
  }
  if (sessionNeedsTouch(Date.parse(row.last_seen_at), nowMs, deps.session)) {
    await touchSession(deps.db, idHash, new Date(nowMs).toISOString());
  }
  return { idHash, stage: row.stage as SessionStage, user };
}

export async function signOut(
  deps: AuthServiceDeps,
  session: CurrentSession,
  requestId: string | null,
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    // Signing out ends every session of the account, on every device.
    const ended = await deleteSessionsOfUser(trx, session.user.id);
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actorOf(session.user, requestId), {
        action: 'auth.sign-out',
        outcome: 'success',
        details: { sessionsEnded: ended },
      }),
    );
  });
}

/** Changing a password ends every session of the account; the person signs in again. */
export async function changePassword(
  deps: AuthServiceDeps,
  user: User,
  input: { currentPassword: string; newPassword: string; confirmPassword: string },
  requestId: string | null,
): Promise<void> {
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw validationError([{ field: 'currentPassword', message: 'Your current password is not right' }]);
  }
  const problem = passwordProblem(input.newPassword, user.username);
  if (problem) {
    throw validationError([{ field: 'newPassword', message: problem }]);
  }
  if (input.newPassword !== input.confirmPassword) {
    throw validationError([{ field: 'confirmPassword', message: 'The passwords do not match' }]);
  }
  if (input.newPassword === input.currentPassword) {
    throw validationError([
      { field: 'newPassword', message: 'The new password must differ from the current one' },
    ]);
  }
  const hash = await hashPassword(input.newPassword);
  await deps.db.transaction().execute(async (trx) => {
    const ok = await updateUser(
      trx,
      user.id,
      user.version,
      { password_hash: hash, must_change_password: 0 },
      deps.clock.now().toISOString(),
    );
    if (!ok) {
      throw new AppError(
        'STALE_EDIT',
        'Your account was changed while you were doing this. Sign in again and retry.',
      );
    }
    const ended = await deleteSessionsOfUser(trx, user.id);
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actorOf(user, requestId), {
        action: 'auth.password-change',
        outcome: 'success',
        entityType: 'user',
        entityId: user.id,
        details: { sessionsEnded: ended },
      }),
    );
  });
}

const TOTP_TOLERANCE_SECONDS = 30;

async function checkTotp(
  deps: AuthServiceDeps,
  secret: string,
  code: string,
  lastStep: number | null,
): Promise<number | null> {
  const token = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(token)) {
    return null;
  }
  const result = await verify({
    secret,
    token,
    epoch: Math.floor(deps.clock.now().getTime() / 1000),
    epochTolerance: TOTP_TOLERANCE_SECONDS,
  });
  // A code is single use: a step at or before the last one accepted is a replay.
  if (!result.valid || !('timeStep' in result) || (lastStep !== null && result.timeStep <= lastStep)) {
    return null;
  }
  return result.timeStep;
}

/** Second step of sign-in: a right code replaces the half-signed-in session with a new full one. */
export async function completeTotpSignIn(
  deps: AuthServiceDeps,
  session: CurrentSession,
  code: string,
  ip: string,
  requestId: string | null,
): Promise<string> {
  const user = session.user;
  const wait = await throttleWait(deps, user.username, ip);
  if (wait > 0) {
    throw new AppError('SIGN_IN_THROTTLED', `Too many failed attempts. Wait ${wait} seconds and try again.`, {
      details: { retryAfterSeconds: wait },
    });
  }
  const step = user.totpSecret ? await checkTotp(deps, user.totpSecret, code, user.totpLastStep) : null;
  if (step === null) {
    await deps.db.transaction().execute(async (trx) => {
      await recordSignInFailure(
        trx,
        [accountKey(user.username), addressKey(ip)],
        deps.clock.now().toISOString(),
      );
      await appendAudit(
        trx,
        deps.clock,
        actorEvent(actorOf(user, requestId), { action: 'auth.mfa', outcome: 'failure' }),
      );
    });
    throw validationError([
      {
        field: 'code',
        message:
          'The security code is not right, or has already been used. Enter the current 6-digit code from your app',
      },
    ]);
  }
  const token = randomToken();
  await deps.db.transaction().execute(async (trx) => {
    await deleteSession(trx, session.idHash);
    await updateUser(trx, user.id, user.version, { totp_last_step: step }, deps.clock.now().toISOString());
    await clearSignInFailures(trx, accountKey(user.username));
    await startSession(trx, deps.clock, token, user.id, 'full', ip);
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actorOf(user, requestId), { action: 'auth.mfa', outcome: 'success' }),
    );
  });
  return token;
}

export function newTotpSecret(): string {
  return generateSecret();
}

export function totpUri(secret: string, username: string): string {
  return generateURI({ issuer: 'ITB service', label: username, secret });
}

/**
 * Turns on the second factor once the person proves their app holds the secret. All their
 * sessions end and a new full session is returned.
 */
export async function enrolTotp(
  deps: AuthServiceDeps,
  session: CurrentSession,
  secret: string,
  code: string,
  ip: string,
  requestId: string | null,
): Promise<string> {
  if (!/^[A-Z2-7]{16,64}$/.test(secret)) {
    throw validationError([
      { field: 'secret', message: 'The set-up key is not valid: start the set-up again' },
    ]);
  }
  const step = await checkTotp(deps, secret, code, null);
  if (step === null) {
    throw validationError([
      {
        field: 'code',
        message: 'The security code is not right. Enter the current 6-digit code from your app',
      },
    ]);
  }
  const user = session.user;
  const token = randomToken();
  await deps.db.transaction().execute(async (trx) => {
    const ok = await updateUser(
      trx,
      user.id,
      user.version,
      { totp_secret: secret, totp_last_step: step },
      deps.clock.now().toISOString(),
    );
    if (!ok) {
      throw new AppError('STALE_EDIT', 'Your account was changed while you were doing this. Start again.');
    }
    await deleteSessionsOfUser(trx, user.id);
    await startSession(trx, deps.clock, token, user.id, 'full', ip);
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actorOf(user, requestId), {
        action: 'auth.mfa-enrol',
        outcome: 'success',
        entityType: 'user',
        entityId: user.id,
      }),
    );
  });
  return token;
}
