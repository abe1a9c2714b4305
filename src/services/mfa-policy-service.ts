import { isRole, ROLES, type Role } from '../domain/roles.ts';
import type { Db, Trx } from '../storage/database.ts';
import { sendSessionsToEnrolment } from '../storage/sessions.repository.ts';
import { getSetting, putSetting } from '../storage/settings.repository.ts';
import { validationError } from './app-error.ts';
import { actorEvent, appendAudit, type Actor } from './audit-service.ts';
import type { Clock } from './clock.ts';

/** Which roles must sign in with a second factor: a setting an administrator changes. */
const MFA_ROLES_KEY = 'mfa_required_roles';

/** The roles that must sign in with a second factor (none until an administrator chooses). */
export async function rolesRequiringMfa(db: Db | Trx): Promise<Role[]> {
  const raw = await getSetting(db, MFA_ROLES_KEY);
  const parsed: unknown = raw ? JSON.parse(raw) : [];
  return Array.isArray(parsed) ? parsed.filter((r): r is Role => typeof r === 'string' && isRole(r)) : [];
}

/** rolesRequiringMfa on the service's own database (the registry's form of it). */
export async function mfaRequiredRoles(deps: { readonly db: Db }): Promise<Role[]> {
  return rolesRequiringMfa(deps.db);
}

/** Sets the roles that need a second factor; their signed-in sessions go to set-up first. */
export async function setRolesRequiringMfa(
  deps: { readonly db: Db; readonly clock: Clock },
  actor: Actor,
  roles: readonly string[],
): Promise<void> {
  const unknown = roles.filter((r) => !isRole(r));
  if (unknown.length > 0) {
    throw validationError([
      { field: 'roles', message: `Unknown role: ${unknown.join(', ')}. Roles are ${ROLES.join(', ')}` },
    ]);
  }
  const required = [...new Set(roles)];
  await deps.db.transaction().execute(async (trx) => {
    await putSetting(trx, MFA_ROLES_KEY, JSON.stringify(required));
    // Signed-in people of those roles without a second factor set one up before going on, as
    // they would at their next sign-in; their API tokens are refused until then (token-service).
    const sessionsToEnrol = await sendSessionsToEnrolment(trx, required);
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'user.mfa-policy',
        outcome: 'success',
        details: { roles, sessionsToEnrol },
      }),
    );
  });
}
