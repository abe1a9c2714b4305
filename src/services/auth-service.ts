import { sessionNeedsTouch, sessionState } from '../domain/session-policy.ts';
import { endTokensOfUser } from '../storage/api-tokens.repository.ts';
import {
  deleteSession,
  deleteSessionsOfUser,
  findSessionWithUser,
  touchSession,
  type SessionStage,
} from '../storage/sessions.repository.ts';
import { findUserByUsername, markFirstSignIn, updateUser, type User } from '../storage/users.repository.ts';
import { AppError, validationError } from './app-error.ts';
import { actorEvent, actorOf, appendAudit, recordAudit } from './audit-service.ts';
import { newPasswordProblem } from './password-check.ts';
import { dummyPasswordHash, hashPassword, randomToken, sha256Hex, verifyPassword } from './secrets.ts';
import { startSession } from './session-start.ts';
import { admitAttempt, forgiveAttempt } from './sign-in-throttle-service.ts';
import type { AuthServiceDeps, CurrentSession, SignedIn } from './auth-types.ts';
import { checkTotp } from './totp-service.ts';
import { looksLikeRecoveryCode, spendRecoveryCodeOf } from './recovery-codes.ts';
import { rolesRequiringMfa } from './mfa-policy-service.ts';

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
  // Counted before the password is checked, so concurrent guesses cannot outrun the throttle.
  const attempt = await admitAttempt(
    deps,
    username,
    input.ip,
    (wait) => `Too many failed sign-in attempts. Wait ${wait} seconds and try again.`,
    async () => {
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
    },
  );
  const user = username === '' ? undefined : await findUserByUsername(deps.db, username);
  const passwordOk = await verifyPassword(input.password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user || !passwordOk || user.disabledAt !== null) {
    // The attempt is already counted as a failure (admitAttempt); only the audit is left.
    await recordAudit(
      deps.db,
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
    await forgiveAttempt(trx, attempt);
    await markFirstSignIn(trx, user.id, deps.clock.now().toISOString());
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

/** Finds the session for a cookie value: none when it has timed out, and ended when its account is disabled. */
export async function currentSession(deps: AuthServiceDeps, token: string): Promise<CurrentSession | null> {
  const idHash = sha256Hex(token);
  const found = await findSessionWithUser(deps.db, idHash);
  if (!found) {
    return null;
  }
  const { session, user } = found;
  const nowMs = deps.clock.now().getTime();
  const state = sessionState(
    { createdAtMs: Date.parse(session.createdAt), lastSeenAtMs: Date.parse(session.lastSeenAt) },
    nowMs,
    deps.session,
  );
  if (user.disabledAt !== null) {
    await deleteSession(deps.db, idHash);
    return null;
  }
  if (state !== 'active') {
    // Timed out: it never signs anyone in again, but the row stays until the sign-in state job
    // removes it (pruneExpiredSignInState), so a form posted from a page left open can still be
    // kept for its own user (kept-form-service.ts), whichever tab is used first.
    return null;
  }
  let lastSeenAt = session.lastSeenAt;
  if (sessionNeedsTouch(Date.parse(session.lastSeenAt), nowMs, deps.session)) {
    lastSeenAt = new Date(nowMs).toISOString();
    await touchSession(deps.db, idHash, lastSeenAt);
  }
  return { idHash, stage: session.stage, user, createdAt: session.createdAt, lastSeenAt };
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
  ip: string,
  requestId: string | null,
): Promise<void> {
  const problem = await newPasswordProblem(input.newPassword, user.username);
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
  // Guesses at the current password from a signed-in session count like sign-in guesses.
  const attempt = await admitAttempt(
    deps,
    user.username,
    ip,
    (wait) => `Too many failed attempts. Wait ${wait} seconds and try again.`,
  );
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw validationError([{ field: 'currentPassword', message: 'Your current password is not right' }]);
  }
  const hash = await hashPassword(input.newPassword);
  await deps.db.transaction().execute(async (trx) => {
    const ok = await updateUser(
      trx,
      user.id,
      user.version,
      { passwordHash: hash, mustChangePassword: false },
      deps.clock.now().toISOString(),
    );
    if (!ok) {
      throw new AppError(
        'STALE_EDIT',
        'Your account was changed while you were doing this. Sign in again and retry.',
      );
    }
    await forgiveAttempt(trx, attempt);
    const ended = await deleteSessionsOfUser(trx, user.id);
    // API tokens end with the password that stood behind them (OWASP ASVS 4.0.3 V3.3.3).
    const tokensEnded = await endTokensOfUser(
      trx,
      user.id,
      deps.clock.now().toISOString(),
      'password-changed',
    );
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actorOf(user, requestId), {
        action: 'auth.password-change',
        outcome: 'success',
        entityType: 'user',
        entityId: user.id,
        details: { sessionsEnded: ended, tokensEnded },
      }),
    );
  });
}

/**
 * Second step of sign-in: a right code from the app, or an unused recovery code, replaces the
 * half-signed-in session with a new full one.
 */
export async function completeTotpSignIn(
  deps: AuthServiceDeps,
  session: CurrentSession,
  code: string,
  ip: string,
  requestId: string | null,
): Promise<string> {
  const user = session.user;
  // Counted before the code is checked, as for the password (signIn).
  const attempt = await admitAttempt(
    deps,
    user.username,
    ip,
    (wait) => `Too many failed attempts. Wait ${wait} seconds and try again.`,
  );
  const step = user.totpSecret ? await checkTotp(deps.clock, user.totpSecret, code, user.totpLastStep) : null;
  const method = step !== null ? 'app' : looksLikeRecoveryCode(code) ? 'recovery-code' : null;
  const token = randomToken();
  const signedIn = await deps.db.transaction().execute(async (trx) => {
    // A recovery code is spent in the same transaction that signs in, so it works once.
    if (
      method === null ||
      (method === 'recovery-code' && !(await spendRecoveryCodeOf(trx, deps.clock, user.id, code)))
    ) {
      return false;
    }
    await deleteSession(trx, session.idHash);
    if (step !== null) {
      await updateUser(trx, user.id, user.version, { totpLastStep: step }, deps.clock.now().toISOString());
    }
    await forgiveAttempt(trx, attempt);
    await startSession(trx, deps.clock, token, user.id, 'full', ip);
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actorOf(user, requestId), { action: 'auth.mfa', outcome: 'success', details: { method } }),
    );
    return true;
  });
  if (!signedIn) {
    await recordAudit(
      deps.db,
      deps.clock,
      actorEvent(actorOf(user, requestId), {
        action: 'auth.mfa',
        outcome: 'failure',
        details: { method: method ?? 'app' },
      }),
    );
    throw validationError([
      {
        field: 'code',
        message:
          'The security code is not right, or has already been used. Enter the current 6-digit code from your app, or an unused recovery code',
      },
    ]);
  }
  return token;
}
