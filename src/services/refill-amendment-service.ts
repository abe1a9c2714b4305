import { randomUUID } from 'node:crypto';
import {
  AMENDABLE_REFILL_FIELDS,
  validateAmendmentDecision,
  validateAmendmentInput,
  volumeAmendmentErrors,
  VOLUME_AMENDMENT_FIELDS,
} from '../domain/refill-review-inputs.ts';
import type { FieldError } from '../domain/field-error.ts';
import { refillPlan, refillPlanErrors } from '../domain/refill-arithmetic.ts';
import type { PumpRules } from '../domain/pump-rules.ts';
import type { Trx } from '../storage/database.ts';
import { findPrescriptionById, type Prescription } from '../storage/prescriptions.repository.ts';
import type { Pump } from '../storage/pumps.repository.ts';
import {
  decideAmendmentIfPending,
  findAmendmentById,
  insertAmendment,
  listAmendments,
  type RefillAmendment,
} from '../storage/refill-amendments.repository.ts';
import { correctSignedRefill, type Refill } from '../storage/refills.repository.ts';
import { AppError, validationError } from './app-error.ts';
import { actorEvent, appendAudit, type Actor } from './audit-service.ts';
import { replanPump } from './pump-plan.ts';
import { loadPump, oneAtATime } from './pump-store.ts';
import {
  loadRefill,
  refuseUnlessAllowed,
  requireRefillPermission,
  type RefillServiceDeps,
} from './refill-common.ts';

/**
 * Corrections to a signed refill, which is never edited in place. Batch, expiry and notes are
 * corrected at once with a reason. The volumes the plan rests on (instilled, alarm) are
 * corrected only through a pending amendment that a second, different clinician confirms or
 * rejects: a wrong volume moves the alarm and due dates, so one person alone must not change it
 * (nor be left unable to). On confirmation the refill's plan is worked out again and, when it is
 * the pump's last signed refill, the pump's dates too, in the same transaction.
 */

type Change = RefillAmendment['changes'][number];

/**
 * The plan the corrected volumes would give, checked as a new refill's plan is: a fill whose
 * alarm would sound on the fill day (or any other hard limit) is refused, naming the volume.
 */
function correctedPlanErrors(
  pump: Pump,
  refill: Refill,
  prescription: Prescription,
  corrected: { readonly alarmMl: number; readonly instilledMl: number },
  rules: PumpRules,
): FieldError[] {
  // The plan's errors name the fill; a correction of the alarm volume alone is named as such.
  const fillField = corrected.instilledMl === refill.instilledMl ? 'alarmMl' : 'instilledMl';
  const errors = refillPlanErrors(
    {
      reservoirMl: pump.reservoirMl,
      fillMl: corrected.instilledMl,
      concentrationMcgPerMl: refill.concentrationMcgPerMl,
      doseMcgPerDay: prescription.planningDoseMcgPerDay,
      alarmMl: corrected.alarmMl,
      filledOn: refill.performedOn,
      bufferDays: rules.refillBufferDays,
      maxIntervalDays: rules.stabilityDays,
    },
    rules.hardLimits,
  );
  const fields: Readonly<Record<string, string>> = { fillMl: fillField, reservoirMl: 'instilledMl' };
  return errors.map((e) => ({ ...e, field: fields[e.field] ?? e.field }));
}

/** Records a correction: at once for batch, expiry and notes; pending for volumes. */
export async function amendRefill(
  deps: RefillServiceDeps,
  actor: Actor,
  refillId: string,
  raw: unknown,
): Promise<RefillAmendment> {
  requireRefillPermission(actor, 'amend');
  return oneAtATime(() =>
    deps.db.transaction().execute(async (trx) => {
      const refill = await loadRefill(trx, refillId);
      refuseUnlessAllowed('amend', refill, actor);
      const result = validateAmendmentInput(raw);
      if (!result.ok) {
        throw validationError(result.errors);
      }
      const v = result.value;
      const amendments = await listAmendments(trx, refill.id);
      let changes: Change[];
      let state: RefillAmendment['state'];
      if (VOLUME_AMENDMENT_FIELDS.some((f) => v[f] !== null)) {
        refuseUnlessAllowed('amendVolumes', refill, actor, {
          correction: amendments.find((a) => a.state === 'pending') ?? null,
        });
        const pump = await loadPump(trx, refill.pumpId);
        const errors = volumeAmendmentErrors(v, pump.reservoirMl, refill);
        if (errors.length > 0) {
          throw validationError(errors);
        }
        const prescription = await findPrescriptionById(trx, refill.prescriptionId);
        const planErrors = prescription
          ? correctedPlanErrors(
              pump,
              refill,
              prescription,
              { alarmMl: v.alarmMl ?? refill.alarmMl, instilledMl: v.instilledMl ?? refill.instilledMl },
              deps.config.pumpRules,
            )
          : [];
        if (planErrors.length > 0) {
          throw validationError(planErrors);
        }
        changes = VOLUME_AMENDMENT_FIELDS.filter((f) => v[f] !== null && v[f] !== refill[f]).map((f) => ({
          field: f,
          old: String(refill[f]),
          new: String(v[f]),
        }));
        state = 'pending';
      } else {
        if (v.expiresOn !== null && v.expiresOn <= refill.performedOn) {
          throw validationError([
            { field: 'expiresOn', message: 'Expiry date must be after the refill date' },
          ]);
        }
        const current = effectiveRefill(refill, amendments);
        changes = AMENDABLE_REFILL_FIELDS.filter((f) => v[f] !== null && v[f] !== current[f]).map((f) => ({
          field: f,
          old: current[f],
          new: v[f],
        }));
        if (changes.length === 0) {
          throw validationError([
            { field: 'batch', message: 'Nothing differs from the record: enter the corrected values' },
          ]);
        }
        state = 'applied';
      }
      const amendment: RefillAmendment = {
        id: randomUUID(),
        refillId: refill.id,
        reason: v.reason,
        changes,
        amendedAt: deps.clock.now().toISOString(),
        amendedBy: actor.userId,
        state,
        decidedAt: null,
        decidedBy: null,
        decisionNote: null,
      };
      await insertAmendment(trx, amendment);
      await appendAudit(
        trx,
        deps.clock,
        actorEvent(actor, {
          action: 'refill.amend',
          outcome: 'success',
          entityType: 'refill',
          entityId: refill.id,
          patientId: refill.patientId,
          details: { amendmentId: amendment.id, fields: changes.map((c) => c.field), state },
        }),
      );
      return amendment;
    }),
  );
}

async function loadPendingAmendment(
  trx: Trx,
  actor: Actor,
  refillId: string,
  amendmentId: string,
): Promise<{ amendment: RefillAmendment; refill: Refill }> {
  const amendment = await findAmendmentById(trx, amendmentId);
  if (amendment?.refillId !== refillId) {
    throw new AppError('NOT_FOUND', 'Amendment not found');
  }
  const refill = await loadRefill(trx, refillId);
  // Still waiting, not by the one who proposed it, on a signed refill.
  refuseUnlessAllowed('decideCorrection', refill, actor, { correction: amendment });
  return { amendment, refill };
}

/**
 * The second clinician confirms a volume correction: the refill takes the new volumes and its
 * plan is worked out again from them (F3, F4); when it is the pump's last signed refill, the
 * pump's dates move too, through any change confirmed since.
 */
export async function confirmRefillAmendment(
  deps: RefillServiceDeps,
  actor: Actor,
  refillId: string,
  amendmentId: string,
  raw: unknown,
): Promise<Refill> {
  requireRefillPermission(
    actor,
    'decideCorrection',
    'Only clinicians who check doses can confirm a correction',
  );
  return oneAtATime(() =>
    deps.db.transaction().execute(async (trx) => {
      const { amendment, refill } = await loadPendingAmendment(trx, actor, refillId, amendmentId);
      const decision = validateAmendmentDecision(raw, false);
      if (!decision.ok) {
        throw validationError(decision.errors);
      }
      const corrected = { alarmMl: refill.alarmMl, instilledMl: refill.instilledMl };
      for (const c of amendment.changes) {
        if (c.field === 'alarmMl' || c.field === 'instilledMl') {
          corrected[c.field] = Number(c.new);
        }
      }
      const pump = await loadPump(trx, refill.pumpId);
      // The corrected volumes checked again as a whole (NaN: nothing to compare them with).
      const errors = volumeAmendmentErrors(corrected, pump.reservoirMl, {
        alarmMl: Number.NaN,
        instilledMl: Number.NaN,
      });
      const prescription = await findPrescriptionById(trx, refill.prescriptionId);
      if (errors.length > 0 || !prescription) {
        throw new AppError(
          'STALE_EDIT',
          'This correction no longer fits the refill. Reject it and enter it again.',
        );
      }
      const rules = deps.config.pumpRules;
      // Checked again as a whole: the prescription or the settings may have changed since.
      const planErrors = correctedPlanErrors(pump, refill, prescription, corrected, rules);
      if (planErrors.length > 0) {
        throw validationError(
          planErrors.map((e) => ({ ...e, message: `${e.message}. Reject this correction` })),
        );
      }
      const plan = refillPlan({
        reservoirMl: pump.reservoirMl,
        fillMl: corrected.instilledMl,
        concentrationMcgPerMl: refill.concentrationMcgPerMl,
        doseMcgPerDay: prescription.planningDoseMcgPerDay,
        alarmMl: corrected.alarmMl,
        filledOn: refill.performedOn,
        bufferDays: rules.refillBufferDays,
        maxIntervalDays: rules.stabilityDays,
      });
      const at = deps.clock.now().toISOString();
      const saved =
        (await correctSignedRefill(trx, refill, {
          alarmMl: corrected.alarmMl,
          instilledMl: corrected.instilledMl,
          alarmOn: plan.alarmDate,
          dueBy: plan.refillDueBy,
          limitedBy: plan.limitedBy,
        })) &&
        (await decideAmendmentIfPending(trx, amendment.id, {
          state: 'confirmed',
          decidedAt: at,
          decidedBy: actor.userId,
          decisionNote: decision.value.note,
        }));
      if (!saved) {
        throw new AppError('STALE_EDIT', 'This refill or correction was changed by someone else. Reload it.');
      }
      const replanned = pump.lastRefillId === refill.id && (await replanPump(trx, deps, actor, pump.id));
      await appendAudit(
        trx,
        deps.clock,
        actorEvent(actor, {
          action: 'refill.amend-confirm',
          outcome: 'success',
          entityType: 'refill',
          entityId: refill.id,
          patientId: refill.patientId,
          details: {
            amendmentId: amendment.id,
            amendedBy: amendment.amendedBy,
            fields: amendment.changes.map((c) => c.field),
            alarmOn: plan.alarmDate,
            dueBy: plan.refillDueBy,
            pumpReplanned: replanned,
          },
        }),
      );
      return loadRefill(trx, refill.id);
    }),
  );
}

/** The second clinician rejects a volume correction, with a note; the refill stays as signed. */
export async function rejectRefillAmendment(
  deps: RefillServiceDeps,
  actor: Actor,
  refillId: string,
  amendmentId: string,
  raw: unknown,
): Promise<Refill> {
  requireRefillPermission(
    actor,
    'decideCorrection',
    'Only clinicians who check doses can reject a correction',
  );
  return deps.db.transaction().execute(async (trx) => {
    const { amendment, refill } = await loadPendingAmendment(trx, actor, refillId, amendmentId);
    const decision = validateAmendmentDecision(raw, true);
    if (!decision.ok) {
      throw validationError(decision.errors);
    }
    const done = await decideAmendmentIfPending(trx, amendment.id, {
      state: 'rejected',
      decidedAt: deps.clock.now().toISOString(),
      decidedBy: actor.userId,
      decisionNote: decision.value.note,
    });
    if (!done) {
      throw new AppError(
        'STALE_EDIT',
        'This correction was confirmed or rejected by someone else meanwhile.',
      );
    }
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'refill.amend-reject',
        outcome: 'success',
        entityType: 'refill',
        entityId: refill.id,
        patientId: refill.patientId,
        details: { amendmentId: amendment.id, amendedBy: amendment.amendedBy },
      }),
    );
    return refill;
  });
}

export interface EffectiveRefillFields {
  readonly batch: string | null;
  readonly expiresOn: string | null;
  readonly complicationNote: string | null;
  readonly patientNote: string | null;
}

/** The fields corrected at once, as they stand after every applied amendment, in order. */
export function effectiveRefill(
  refill: Refill,
  amendments: readonly RefillAmendment[],
): EffectiveRefillFields {
  const values: Record<string, string | null> = {
    batch: refill.batch,
    expiresOn: refill.expiresOn,
    complicationNote: refill.complicationNote,
    patientNote: refill.patientNote,
  };
  for (const a of amendments.filter((x) => x.state === 'applied')) {
    for (const c of a.changes) {
      values[c.field] = c.new;
    }
  }
  return {
    batch: values.batch ?? null,
    expiresOn: values.expiresOn ?? null,
    complicationNote: values.complicationNote ?? null,
    patientNote: values.patientNote ?? null,
  };
}
