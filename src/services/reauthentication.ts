import type { AuditAction } from '../domain/audit-event.ts';
import type { FieldError } from '../domain/field-error.ts';
import type { User } from '../storage/users.repository.ts';
import { validationError } from './app-error.ts';
import { actorEvent, actorOf, recordAudit } from './audit-service.ts';
import type { AuthServiceDeps } from './auth-types.ts';
import { verifyPassword } from './secrets.ts';
import { admitAttempt, type AdmittedAttempt } from './sign-in-throttle-service.ts';

export interface Reauthentication {
  /** The throttle's record of this try, forgiven when the whole change succeeds. */
  readonly attempt: AdmittedAttempt;
  /** Audits the failed try under the change's action and refuses it, naming the field. */
  readonly refuse: (reason: string, error: FieldError) => Promise<never>;
}

/**
 * The first step of a change to how someone signs in (their second factor, their recovery
 * codes): the try counts against the sign-in throttle, and the current password must be right
 * (OWASP ASVS 4.0.3 V3.7.1), so a session left open or a stolen cookie cannot make the change.
 * A wrong password is audited as a failure of `action`; the caller checks its codes next with
 * the `refuse` returned.
 */
export async function reauthenticate(
  deps: AuthServiceDeps,
  user: User,
  currentPassword: string,
  ip: string,
  requestId: string | null,
  action: AuditAction,
): Promise<Reauthentication> {
  const attempt = await admitAttempt(
    deps,
    user.username,
    ip,
    (wait) => `Too many failed attempts. Wait ${wait} seconds and try again.`,
  );
  const refuse = async (reason: string, error: FieldError): Promise<never> => {
    await recordAudit(
      deps.db,
      deps.clock,
      actorEvent(actorOf(user, requestId), {
        action,
        outcome: 'failure',
        entityType: 'user',
        entityId: user.id,
        details: { reason },
      }),
    );
    throw validationError([error]);
  };
  if (!(await verifyPassword(currentPassword, user.passwordHash))) {
    await refuse('wrong-password', {
      field: 'currentPassword',
      message: 'Your current password is not right',
    });
  }
  return { attempt, refuse };
}
