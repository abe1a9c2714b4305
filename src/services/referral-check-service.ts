import { formatDateTime } from '../domain/uk-date-time.ts';
import { needsChecking, validateClearNote } from '../domain/referral-check.ts';
import { findReferralById, clearCheckIfVersion, type Referral } from '../storage/referrals.repository.ts';
import { findUserById } from '../storage/users.repository.ts';
import { AppError, refused, validationError } from './app-error.ts';
import { actorEvent, appendAudit, type Actor } from './audit-service.ts';
import { requirePermission } from './permission-check.ts';
import type { ReferralServiceDeps } from './referral-service.ts';

/**
 * A consultant clears the "needs checking" mark on a referral that did not come from a
 * consultant (referral-check.ts), writing why it can stand: for example, the registrar's
 * consultant supports it. The mark, the note, who cleared it and when are kept with the
 * referral and audited; from then on the referral can be accepted. Only a role that triages
 * (`referral:triage`, consultants) may, checked here as well as on the route.
 */
export async function clearReferralCheck(
  deps: ReferralServiceDeps,
  actor: Actor,
  id: string,
  expectedVersion: number | null,
  rawNote: unknown,
): Promise<Referral> {
  requirePermission(
    actor,
    'referral:triage',
    'Only consultants can clear the mark on a referral that needs checking',
  );
  const note = validateClearNote(rawNote);
  if (!note.ok) {
    throw validationError(note.errors);
  }
  return deps.db.transaction().execute(async (trx) => {
    const referral = await findReferralById(trx, id);
    if (!referral) {
      throw new AppError('NOT_FOUND', 'Referral not found');
    }
    if (!needsChecking(referral.check)) {
      throw referral.check
        ? refused('REFERRAL_CHECK_ALREADY_CLEARED', 'The mark on this referral has already been cleared')
        : refused('REFERRAL_NOT_MARKED', 'This referral is not marked as needing checking');
    }
    if (expectedVersion !== null && expectedVersion !== referral.version) {
      const who = await findUserById(trx, referral.updatedBy);
      throw new AppError(
        'STALE_EDIT',
        `${who?.displayName ?? 'Someone'} changed this referral on ${formatDateTime(referral.updatedAt, deps.config.timeZone)} after you opened it. Nothing was saved: review the referral and try again.`,
      );
    }
    const at = deps.clock.now().toISOString();
    const saved = await clearCheckIfVersion(trx, id, referral.version, {
      note: note.value,
      userId: actor.userId,
      at,
    });
    if (!saved) {
      throw new AppError(
        'STALE_EDIT',
        'This referral was changed while you were saving. Reload it and try again.',
      );
    }
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'referral.check-clear',
        outcome: 'success',
        entityType: 'referral',
        entityId: id,
        patientId: referral.patientId,
        details: { reason: referral.check?.reason ?? null, referrerGrade: referral.referrerGrade },
      }),
    );
    const updated = await findReferralById(trx, id);
    if (!updated) {
      throw new Error('referral vanished while clearing its check');
    }
    return updated;
  });
}
