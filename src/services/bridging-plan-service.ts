import { randomUUID } from 'node:crypto';
import {
  BRIDGING_PLAN_MISSING,
  endNeedsBridgingPlan,
  validateBridgingPlanInput,
} from '../domain/bridging-plan.ts';
import type { DbOrTrx } from '../storage/database.ts';
import {
  hasBridgingPlan,
  insertBridgingPlan,
  listComplicationsForPump,
  type BridgingPlan,
} from '../storage/complications.repository.ts';
import { refused, validationError } from './app-error.ts';
import { actorEvent, appendAudit, type Actor } from './audit-service.ts';
import { MANAGE_COMPLICATIONS, type ComplicationServiceDeps } from './complication-service.ts';
import { requirePermission } from './permission-check.ts';
import { loadPump } from './pump-store.ts';

/**
 * Bridging plans for a revision, a replacement or an explant (bridging-plan.ts), and the one check
 * the pump's end makes of them: an explant without a replacement waits for its plan (H-140).
 */

/** Records a plan against the pump, in one transaction with its audit row. */
export async function recordBridgingPlan(
  deps: ComplicationServiceDeps,
  actor: Actor,
  pumpId: string,
  raw: unknown,
): Promise<BridgingPlan> {
  requirePermission(actor, 'pump:manage', MANAGE_COMPLICATIONS);
  return deps.db.transaction().execute(async (trx) => {
    const pump = await loadPump(trx, pumpId);
    const linked = await listComplicationsForPump(trx, pumpId);
    const result = validateBridgingPlanInput(raw, {
      implantedOn: pump.implantedOn,
      complicationIds: linked.map((c) => c.id),
    });
    if (!result.ok) {
      throw validationError(result.errors);
    }
    const plan: BridgingPlan = {
      id: randomUUID(),
      pumpId,
      patientId: pump.patientId,
      ...result.value,
      recordedAt: deps.clock.now().toISOString(),
      recordedBy: actor.userId,
    };
    await insertBridgingPlan(trx, plan);
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'bridging-plan.record',
        outcome: 'success',
        entityType: 'pump',
        entityId: pumpId,
        patientId: pump.patientId,
        details: {
          planId: plan.id,
          purpose: plan.purpose,
          kind: plan.kind,
          startOn: plan.startOn,
          reviewOn: plan.reviewOn,
          complicationId: plan.complicationId,
        },
      }),
    );
    return plan;
  });
}

/**
 * The guard the second clinician's confirmation of an end request passes through
 * (pump-end-decisions.ts): an explant is refused until a bridging plan for the explant of that
 * pump is recorded, since stopping intrathecal baclofen without cover or a taper risks
 * withdrawal [GAB-UK], [NSW-WD] (H-140). Every other kind passes: a replacement restores
 * delivery in the same operation, death ends the need, and a transfer hands the pump on running.
 */
export async function requireBridgingPlanBeforeEnd(
  trx: DbOrTrx,
  request: { readonly kind: string; readonly pumpId: string },
): Promise<void> {
  if (endNeedsBridgingPlan(request.kind) && !(await hasBridgingPlan(trx, request.pumpId, 'explant'))) {
    throw refused('BRIDGING_PLAN_REQUIRED', BRIDGING_PLAN_MISSING, {
      fieldErrors: [{ field: 'bridgingPlan', message: BRIDGING_PLAN_MISSING }],
      details: { pumpId: request.pumpId },
    });
  }
}
