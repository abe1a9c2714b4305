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
  correctSignedRefill,
  decideAmendmentIfPending,
  findAmendmentById,
  insertAmendment,
  listAmendments,
  type Refill,
  type RefillAmendment,
} from '../storage/refills.repository.ts';
import { AppError, validationError } from './app-error.ts';
import { actorEvent, appendAudit, type Actor } from './audit-service.ts';
import { requirePermission } from './permission-check.ts';
import { replanPump } from './pump-plan.ts';
import { loadPump, oneAtATime } from './pump-service.ts';
import { loadRefill, type RefillServiceDeps } from './refill-common.ts';

/**
 * Corrections to a signed refill, which is never edited in place. Batch, expiry and notes are
 * corrected at once with a reason. The volumes the plan rests on (instilled, alarm) are
 * corrected only through a pending amendment that a second, different clinician confirms or
 * rejects: a wrong volume moves the alarm and due dates, so one person alone must not change it
 * (nor be left unable to). On confirmation the refill's plan is worked out again and, when it is
 * the pump's last signed refill, the pump's dates too, in the same transaction.
 */

type Change = RefillAmendment['changes'][number];

function toAmendment(row: Parameters<typeof insertAmendment>[1]): RefillAmendment {
  return {
    id: row.id,
    refillId: row.refill_id,
    reason: row.reason,
    changes: JSON.parse(row.changes) as Change[],
    amendedAt: row.amended_at,
    amendedBy: row.amended_by,
    state: row.state as RefillAmendment['state'],
    decidedAt: row.decided_at,
    decidedBy: row.decided_by,
    decisionNote: row.decision_note,
  };
}

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

async function requireSigned(trx: Trx, refillId: string): Promise<Refill> {
  const refill = await loadRefill(trx, refillId);
  if (refill.state !== 'signed') {
    throw new AppError(
      'INVALID_STATE',
      refill.state === 'voided'
        ? 'This refill was rejected and voided: it cannot be amended'
        : 'This refill is not signed yet: ask the checker to review it, or to reject it',
    );
  }
  return refill;
}

/** Records a correction: at once for batch, expiry and notes; pending for volumes. */
export async function amendRefill(
  deps: RefillServiceDeps,
  actor: Actor,
  refillId: string,
  raw: unknown,
): Promise<RefillAmendment> {
  requirePermission(actor, 'refill:record', 'Only clinicians who refill pumps can amend a refill');
  return oneAtATime(() =>
    deps.db.transaction().execute(async (trx) => {
      const refill = await requireSigned(trx, refillId);
      const result = validateAmendmentInput(raw);
      if (!result.ok) {
        throw validationError(result.errors);
      }
      const v = result.value;
      const amendments = await listAmendments(trx, refill.id);
      let changes: Change[];
      let state: RefillAmendment['state'];
      if (VOLUME_AMENDMENT_FIELDS.some((f) => v[f] !== null)) {
        if (amendments.some((a) => a.state === 'pending')) {
          throw new AppError(
            'INVALID_STATE',
            'A volume correction to this refill is already waiting to be confirmed: confirm or reject it first',
          );
        }
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
      const row = {
        id: randomUUID(),
        refill_id: refill.id,
        reason: v.reason,
        changes: JSON.stringify(changes),
        amended_at: deps.clock.now().toISOString(),
        amended_by: actor.userId,
        state,
        decided_at: null,
        decided_by: null,
        decision_note: null,
      };
      await insertAmendment(trx, row);
      await appendAudit(
        trx,
        deps.clock,
        actorEvent(actor, {
          action: 'refill.amend',
          outcome: 'success',
          entityType: 'refill',
          entityId: refill.id,
          patientId: refill.patientId,
          details: { amendmentId: row.id, fields: changes.map((c) => c.field), state },
        }),
      );
      return toAmendment(row);
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
  if (amendment.state !== 'pending') {
    throw new AppError('INVALID_STATE', `This correction was ${amendment.state} already`);
  }
  if (amendment.amendedBy === actor.userId) {
    throw validationError([
      {
        field: 'checkedBy',
        message:
          'A volume correction must be confirmed or rejected by a different clinician from the one who made it',
      },
    ]);
  }
  return { amendment, refill: await requireSigned(trx, refillId) };
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
  requirePermission(actor, 'dose:check', 'Only clinicians who check doses can confirm a correction');
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
        (await correctSignedRefill(trx, refill.id, refill.version, {
          alarm_ml: corrected.alarmMl,
          instilled_ml: corrected.instilledMl,
          alarm_on: plan.alarmDate,
          due_by: plan.refillDueBy,
          limited_by: plan.limitedBy,
        })) &&
        (await decideAmendmentIfPending(trx, amendment.id, {
          state: 'confirmed',
          decided_at: at,
          decided_by: actor.userId,
          decision_note: decision.value.note,
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
  requirePermission(actor, 'dose:check', 'Only clinicians who check doses can reject a correction');
  return deps.db.transaction().execute(async (trx) => {
    const { amendment, refill } = await loadPendingAmendment(trx, actor, refillId, amendmentId);
    const decision = validateAmendmentDecision(raw, true);
    if (!decision.ok) {
      throw validationError(decision.errors);
    }
    const done = await decideAmendmentIfPending(trx, amendment.id, {
      state: 'rejected',
      decided_at: deps.clock.now().toISOString(),
      decided_by: actor.userId,
      decision_note: decision.value.note,
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
