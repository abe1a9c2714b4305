import { randomUUID } from 'node:crypto';
import { breakGlassExpiry, grantIsLive, validateBreakGlassRequest } from '../domain/break-glass.ts';
import { isRole, roleHasPermission } from '../domain/roles.ts';
import type { Db, DbOrTrx } from '../storage/database.ts';
import {
  countBreakGlassSince,
  insertBreakGlassGrant,
  latestBreakGlassGrant,
  listBreakGlassSince,
  type BreakGlassGrant,
  type BreakGlassListed,
} from '../storage/break-glass.repository.ts';
import { findPatientByNhsNumber } from '../storage/patients.repository.ts';
import { AppError, validationError } from './app-error.ts';
import { actorEvent, appendAudit, recordAudit, type Actor } from './audit-service.ts';
import type { Clock } from './clock.ts';
import { requirePermission } from './permission-check.ts';

/**
 * Break-glass access to the emergency summary. An emergency clinician (`emergency:break-glass`)
 * has no ordinary access to any record: they give the patient's NHS number, date of birth and
 * the reason they need the summary, in one request, and only when both match a registered
 * patient is a grant stored (who, patient, reason, start, expiry) and audited. The grant opens
 * that patient's emergency summary, and nothing else, until BREAK_GLASS_HOURS have passed; the
 * ITB team sees every access on the home page and counts them in the daily digest.
 */

export interface EmergencyAccessDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly timeZone: string;
  readonly config: { readonly breakGlassHours: number };
}

/** How a summary view is allowed: as the ITB team, or under a live break-glass grant. */
export type SummaryAccess =
  | { readonly kind: 'team' }
  | {
      readonly kind: 'break-glass';
      readonly grantId: string;
      readonly reason: string;
      readonly expiresAt: string;
    };

/** Why a summary is refused: no grant, or the last one ended (`expiredAt`). */
export interface SummaryRefusal {
  readonly kind: 'refused';
  readonly expiredAt: string | null;
}

/** Days the ITB team's home-page entry and list look back over. */
export const BREAK_GLASS_RECENT_DAYS = 7;

const NO_MATCH =
  'No patient with this NHS number and date of birth is registered with this ITB service. Check both against the patient’s ID card or hospital record.';

/** Whether the actor may see the patient's summary now, and how. */
export async function breakGlassAccess(
  db: DbOrTrx,
  actor: Actor,
  patientId: string,
  now: string,
): Promise<SummaryAccess | SummaryRefusal> {
  const role = isRole(actor.role) ? actor.role : null;
  if (role !== null && roleHasPermission(role, 'patient:read')) {
    return { kind: 'team' };
  }
  if (role === null || !roleHasPermission(role, 'emergency:break-glass')) {
    return { kind: 'refused', expiredAt: null };
  }
  const grant = await latestBreakGlassGrant(db, actor.userId, patientId);
  if (grant && grantIsLive(grant, now)) {
    return { kind: 'break-glass', grantId: grant.id, reason: grant.reason, expiresAt: grant.expiresAt };
  }
  return { kind: 'refused', expiredAt: grant && grant.expiresAt <= now ? grant.expiresAt : null };
}

/** The refusal of a summary without a live grant: audited, then a 403 naming why. */
export async function refuseSummary(
  deps: Pick<EmergencyAccessDeps, 'db' | 'clock'>,
  actor: Actor,
  patientId: string,
  refusal: SummaryRefusal,
): Promise<never> {
  await recordAudit(
    deps.db,
    deps.clock,
    actorEvent(actor, {
      action: 'patient.break-glass-view',
      outcome: 'denied',
      entityType: 'patient',
      entityId: patientId,
      patientId,
      details: refusal.expiredAt ? { expiredAt: refusal.expiredAt } : {},
    }),
  );
  throw new AppError(
    'FORBIDDEN',
    refusal.expiredAt
      ? 'Your break-glass access to this emergency summary has ended. Find the patient again and state your reason to open it.'
      : 'Only the ITB team, or an emergency clinician who has stated a reason (break-glass), may open this emergency summary.',
    { details: { breakGlassRequired: true, ...(refusal.expiredAt ? { expiredAt: refusal.expiredAt } : {}) } },
  );
}

/**
 * Breaks the glass: finds the patient by NHS number and date of birth and, when both match,
 * stores the grant and audits it, in one transaction. A failed match is audited too (who tried,
 * never what they typed) and answered 404 without saying which of the two did not match.
 */
export async function requestBreakGlass(
  deps: EmergencyAccessDeps,
  actor: Actor,
  raw: unknown,
): Promise<BreakGlassGrant> {
  requirePermission(actor, 'emergency:break-glass', 'Your role cannot use break-glass access');
  const checked = validateBreakGlassRequest(raw);
  if (!checked.ok) {
    throw validationError(checked.errors);
  }
  const { nhsNumber, dateOfBirth, reason } = checked.value;
  const grant = await deps.db.transaction().execute(async (trx) => {
    const patient = await findPatientByNhsNumber(trx, nhsNumber);
    if (patient?.dateOfBirth !== dateOfBirth) {
      return null;
    }
    const grantedAt = deps.clock.now().toISOString();
    const g: BreakGlassGrant = {
      id: randomUUID(),
      userId: actor.userId,
      patientId: patient.id,
      reason,
      grantedAt,
      expiresAt: breakGlassExpiry(grantedAt, deps.config.breakGlassHours),
    };
    await insertBreakGlassGrant(trx, g);
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'patient.break-glass',
        outcome: 'success',
        entityType: 'break-glass-grant',
        entityId: g.id,
        patientId: patient.id,
        details: { expiresAt: g.expiresAt, hours: deps.config.breakGlassHours },
      }),
    );
    return g;
  });
  if (grant === null) {
    await recordAudit(
      deps.db,
      deps.clock,
      actorEvent(actor, { action: 'patient.break-glass', outcome: 'failure', details: { matched: false } }),
    );
    throw new AppError('NOT_FOUND', NO_MATCH, { fieldErrors: [{ field: 'nhsNumber', message: NO_MATCH }] });
  }
  return grant;
}

function since(clock: Clock, days: number): string {
  return new Date(clock.now().getTime() - days * 86_400_000).toISOString();
}

/** The break-glass accesses of the last 7 days, newest first, for the ITB team (audited). */
export async function recentBreakGlass(
  deps: Pick<EmergencyAccessDeps, 'db' | 'clock'>,
  actor: Actor,
): Promise<BreakGlassListed[]> {
  requirePermission(actor, 'patient:read', 'Only the ITB team may see break-glass accesses');
  const list = await listBreakGlassSince(deps.db, since(deps.clock, BREAK_GLASS_RECENT_DAYS));
  await recordAudit(
    deps.db,
    deps.clock,
    actorEvent(actor, { action: 'break-glass.list', outcome: 'success', details: { count: list.length } }),
  );
  return list;
}

/** How many break-glass accesses there were in the last 7 days (the home page's count). */
export async function countRecentBreakGlass(
  deps: Pick<EmergencyAccessDeps, 'db' | 'clock'>,
): Promise<number> {
  return countBreakGlassSince(deps.db, since(deps.clock, BREAK_GLASS_RECENT_DAYS));
}
