import type { FieldError } from '../domain/field-error.ts';
import { formatDateTime } from '../domain/uk-date-time.ts';
import type { Db } from '../storage/database.ts';
import { deleteRecoveryCodesOfUser } from '../storage/recovery-codes.repository.ts';
import { deleteSessionsOfUser } from '../storage/sessions.repository.ts';
import { findUserById, updateUser, type User } from '../storage/users.repository.ts';
import { AppError, refused, validationError } from './app-error.ts';
import { actorEvent, actorOf, appendAudit, type Actor } from './audit-service.ts';
import type { AuthServiceDeps, CurrentSession } from './auth-types.ts';
import type { Clock } from './clock.ts';
import { holdCodesForDisplay, issueRecoveryCodes } from './recovery-codes.ts';
import { reauthenticate } from './reauthentication.ts';
import { forgiveAttempt } from './sign-in-throttle-service.ts';
import { checkTotp } from './totp-service.ts';

/**
 * A new set of recovery codes for the signed-in user, the old set ending. Like changing the
 * second factor, it asks for the current password and a current code (OWASP ASVS 4.0.3 V3.7.1),
 * so a session left open cannot print itself a way in. The codes wait, sealed for this session's
 * cookie, to be shown once on the account page.
 */
export async function regenerateRecoveryCodes(
  deps: AuthServiceDeps,
  session: CurrentSession,
  sessionToken: string,
  input: { readonly currentPassword: string; readonly currentCode: string },
  ip: string,
  requestId: string | null,
): Promise<number> {
  const user = session.user;
  if (user.totpSecret === null) {
    throw refused('NO_SECOND_FACTOR', 'Set up a second factor first: recovery codes stand in for it');
  }
  const missing: FieldError[] = [
    ...(input.currentPassword === ''
      ? [{ field: 'currentPassword', message: 'Enter your current password' }]
      : []),
    ...(input.currentCode.trim() === ''
      ? [{ field: 'currentCode', message: 'Enter the 6-digit code from your authenticator app' }]
      : []),
  ];
  if (missing.length > 0) {
    throw validationError(missing);
  }
  const { attempt, refuse } = await reauthenticate(
    deps,
    user,
    input.currentPassword,
    ip,
    requestId,
    'auth.recovery-codes',
  );
  const step = await checkTotp(deps.clock, user.totpSecret, input.currentCode, user.totpLastStep);
  if (step === null) {
    return refuse('wrong-code', {
      field: 'currentCode',
      message: 'The security code is not right, or has already been used',
    });
  }
  return deps.db.transaction().execute(async (trx) => {
    await updateUser(trx, user.id, user.version, { totpLastStep: step }, deps.clock.now().toISOString());
    await forgiveAttempt(trx, attempt);
    const codes = await issueRecoveryCodes(trx, deps.clock, user.id);
    await holdCodesForDisplay(trx, deps.clock, sessionToken, codes);
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actorOf(user, requestId), {
        action: 'auth.recovery-codes',
        outcome: 'success',
        entityType: 'user',
        entityId: user.id,
        details: { issued: codes.length },
      }),
    );
    return codes.length;
  });
}

/**
 * Removes an account's second factor and its recovery codes, for someone who has lost their
 * phone and their codes: every session of the account ends, and if their role needs a second
 * factor they set up a new one at their next sign-in. An administrator cannot reset their own
 * (the web page refuses it): a stolen administrator session must not be able to drop the
 * factor that protects it. Another administrator does it, or someone with access to the
 * server runs `itb user reset-2fa` (actor null). Audited as `user.mfa-reset`.
 */
export async function resetSecondFactor(
  deps: { readonly db: Db; readonly clock: Clock; readonly timeZone: string },
  actor: Actor | null,
  id: string,
  expectedVersion: number | null,
): Promise<User> {
  if (actor !== null && actor.userId === id) {
    throw validationError([
      {
        field: 'resetTwoFactor',
        message:
          'You cannot reset your own second factor. Sign in with a recovery code and set it up again, or ask another administrator',
      },
    ]);
  }
  return deps.db.transaction().execute(async (trx) => {
    const current = await findUserById(trx, id);
    if (!current) {
      throw new AppError('NOT_FOUND', 'Account not found');
    }
    if (current.totpSecret === null) {
      throw refused('NO_SECOND_FACTOR', `${current.username} has no second factor to reset`);
    }
    const ok = await updateUser(
      trx,
      id,
      expectedVersion ?? current.version,
      { totpSecret: null, totpLastStep: null },
      deps.clock.now().toISOString(),
    );
    if (!ok) {
      throw new AppError(
        'STALE_EDIT',
        `This account was changed on ${formatDateTime(current.updatedAt, deps.timeZone)} after you opened it. Nothing was saved: review it and try again.`,
      );
    }
    const codesDeleted = await deleteRecoveryCodesOfUser(trx, id);
    const sessionsEnded = await deleteSessionsOfUser(trx, id);
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'user.mfa-reset',
        outcome: 'success',
        entityType: 'user',
        entityId: id,
        details: { username: current.username, via: actor ? 'web' : 'cli', sessionsEnded, codesDeleted },
      }),
    );
    const updated = await findUserById(trx, id);
    if (!updated) {
      throw new Error('user vanished after update');
    }
    return updated;
  });
}
