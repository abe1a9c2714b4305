import { validateRejectInput, validateReviewInput } from '../domain/refill-review-inputs.ts';
import { needsWithdrawalCheck } from '../domain/refill-findings.ts';
import { findPendingPrescription, updatePrescriptionIfState } from '../storage/prescriptions.repository.ts';
import { updateRefillIfVersion, type Refill } from '../storage/refills.repository.ts';
import { AppError, validationError } from './app-error.ts';
import { actorEvent, appendAudit, type Actor } from './audit-service.ts';
import { replanPump } from './pump-plan.ts';
import { loadPump, oneAtATime, savePump } from './pump-store.ts';
import {
  loadRefill,
  refuseUnlessAllowed,
  requireRefillPermission,
  type RefillServiceDeps,
} from './refill-common.ts';

const STALE = 'This refill was changed by someone else. Reload it and try again.';

/**
 * The written review a flagged refill (ran dry, after the alarm, a residual discrepancy or a
 * mistyped expected residual) or a suspected pocket fill needs before it can be signed. It is
 * written by someone other than the person who did the refill, who may not see their own slip.
 * After RAN_DRY or AFTER_ALARM it records that the patient was checked for signs of withdrawal
 * and what was found (clinical-reference.md 8).
 */
export async function reviewRefill(
  deps: RefillServiceDeps,
  actor: Actor,
  refillId: string,
  raw: unknown,
): Promise<Refill> {
  requireRefillPermission(actor, 'review');
  return deps.db.transaction().execute(async (trx) => {
    const refill = await loadRefill(trx, refillId);
    refuseUnlessAllowed('review', refill, actor);
    const withdrawalCheckRequired = needsWithdrawalCheck(refill.flags);
    const result = validateReviewInput(raw, { withdrawalCheckRequired });
    if (!result.ok) {
      throw validationError(result.errors);
    }
    const at = deps.clock.now().toISOString();
    if (
      !(await updateRefillIfVersion(trx, refill, {
        reviewNote: result.value.note,
        reviewedAt: at,
        reviewedBy: actor.userId,
        withdrawalSignsChecked: result.value.withdrawalSignsChecked,
        withdrawalSignsFound: result.value.withdrawalSignsFound,
      }))
    ) {
      throw new AppError('STALE_EDIT', STALE);
    }
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'refill.review',
        outcome: 'success',
        entityType: 'refill',
        entityId: refill.id,
        patientId: refill.patientId,
        details: {
          pumpId: refill.pumpId,
          discrepancyMl: refill.discrepancyMl,
          flags: refill.flags.map((f) => f.code),
          withdrawalSignsChecked: result.value.withdrawalSignsChecked,
        },
      }),
    );
    return loadRefill(trx, refill.id);
  });
}

/**
 * The checker rejects a refill recorded but not signed, with the reason: a wrong record is not
 * signed for want of another way out. The refill is voided and kept, every value with it; a
 * programme change proposed with it is rejected; bookings are left as they are (the refill did
 * not count); the pump's dates go back to the plan from its last signed refill and the changes
 * confirmed since (recording it had brought them forward). A new refill can then be recorded.
 */
export async function rejectRefill(
  deps: RefillServiceDeps,
  actor: Actor,
  refillId: string,
  raw: unknown,
): Promise<Refill> {
  requireRefillPermission(actor, 'reject');
  return oneAtATime(() =>
    deps.db.transaction().execute(async (trx) => {
      const refill = await loadRefill(trx, refillId);
      refuseUnlessAllowed('reject', refill, actor);
      const result = validateRejectInput(raw);
      if (!result.ok) {
        throw validationError(result.errors);
      }
      const at = deps.clock.now().toISOString();
      if (
        !(await updateRefillIfVersion(trx, refill, {
          state: 'voided',
          voidedAt: at,
          voidedBy: actor.userId,
          voidReason: result.value.reason,
        }))
      ) {
        throw new AppError('STALE_EDIT', STALE);
      }
      const pending = await findPendingPrescription(trx, refill.pumpId);
      let prescriptionRejected: string | null = null;
      if (pending?.refillId === refill.id) {
        if (
          !(await updatePrescriptionIfState(trx, pending.id, 'pending', {
            state: 'rejected',
            decidedAt: at,
            decidedBy: actor.userId,
            decisionNote: `The refill it was made at was rejected: ${result.value.reason}`,
          }))
        ) {
          throw new AppError('STALE_EDIT', STALE);
        }
        prescriptionRejected = pending.id;
      }
      if (!(await replanPump(trx, deps, actor, refill.pumpId))) {
        // No signed refill yet: nothing was planned before this one was recorded.
        const pump = await loadPump(trx, refill.pumpId);
        await savePump(trx, deps, actor, pump, { alarmOn: null, refillDueBy: null });
      }
      const pump = await loadPump(trx, refill.pumpId);
      await appendAudit(
        trx,
        deps.clock,
        actorEvent(actor, {
          action: 'refill.reject',
          outcome: 'success',
          entityType: 'refill',
          entityId: refill.id,
          patientId: refill.patientId,
          details: {
            pumpId: refill.pumpId,
            performedBy: refill.performedBy,
            prescriptionRejected,
            alarmOn: pump.alarmOn,
            dueBy: pump.refillDueBy,
          },
        }),
      );
      return loadRefill(trx, refill.id);
    }),
  );
}
