import { randomUUID } from 'node:crypto';
import { dateIn } from './clock.ts';
import type { PlainDate } from '../domain/calendar-date.ts';
import { doseChangeCheck, startingDose } from '../domain/dose-change.ts';
import { continuousDoseMcgPerDay, planningDoseMcgPerDay } from '../domain/dose-programme.ts';
import { validatePrescriptionInput, type PrescriptionInput } from '../domain/pump-inputs.ts';
import { refillPlanWithChanges, round2 } from '../domain/refill-arithmetic.ts';
import type { PrescriptionsTable, Trx } from '../storage/database.ts';
import {
  findActivePrescription,
  findPendingPrescription,
  findPrescriptionById,
  findPrescriptionInEffectAt,
  findPrescriptionsByIds,
  insertPrescription,
  updatePrescriptionIfState,
  type Prescription,
  type Pump,
} from '../storage/pumps.repository.ts';
import { validateProgrammedOn } from '../domain/programmed-on.ts';
import { findRefillById, latestRefillForPump } from '../storage/refills.repository.ts';
import { latestPositiveTestDose } from '../storage/test-doses.repository.ts';
import { requirePermission } from './permission-check.ts';
import { AppError, validationError } from './app-error.ts';
import { actorEvent, appendAudit, type Actor } from './audit-service.ts';
import { loadFillHistory, planSegments } from './fill-history.ts';
import { loadPump, oneAtATime, savePump, type PumpServiceDeps } from './pump-service.ts';

const DAY_MS = 86_400_000;

interface DoseComparison {
  readonly comparedDoseMcgPerDay: number | null;
  readonly changePercent: number | null;
  readonly limitPercent: number | null;
  readonly withinLimit: boolean;
  /** Why a reason is needed; null when within the limit. */
  readonly needsReason: string | null;
}

/**
 * F6 against the confirmed prescription running 24 h before [CMSC]: the continuous daily dose and
 * the most the pump can give in a day (boluses included) are each held to the limit, so moving the
 * bolus allowance into the continuous dose is still a change.
 */
function compareWithDayBefore(
  deps: PumpServiceDeps,
  pump: Pump,
  input: PrescriptionInput,
  compared: Prescription,
): DoseComparison {
  const rules = deps.config.pumpRules.titration;
  const continuous = doseChangeCheck(
    {
      currentMcgPerDay: compared.doseMcgPerDay,
      proposedMcgPerDay: continuousDoseMcgPerDay(input.programme),
      origin: pump.origin,
      phase: input.phase,
    },
    rules,
  );
  const most = doseChangeCheck(
    {
      currentMcgPerDay: compared.planningDoseMcgPerDay,
      proposedMcgPerDay: planningDoseMcgPerDay(input.programme),
      origin: pump.origin,
      phase: input.phase,
    },
    rules,
  );
  // The figures shown are those of the check that needs the reason, so the page never shows a
  // change within its limit beside "beyond the limit".
  const shown = !continuous.withinLimit || most.withinLimit ? continuous : most;
  return {
    comparedDoseMcgPerDay: shown === continuous ? compared.doseMcgPerDay : compared.planningDoseMcgPerDay,
    changePercent: shown.changePercent,
    limitPercent: shown.limitPercent,
    withinLimit: continuous.withinLimit && most.withinLimit,
    needsReason: !continuous.withinLimit
      ? `The daily dose changes by ${continuous.changePercent}% against the dose 24 hours ago, beyond the ${continuous.limitPercent}% limit: give the reason`
      : !most.withinLimit
        ? `The most the pump can give in a day, boluses included, changes by ${most.changePercent}% against 24 hours ago, beyond the ${most.limitPercent}% limit: give the reason`
        : null,
  };
}

/**
 * F5 for the first prescription after implant: the starting dose is twice the effective test
 * dose, or equal to it after a long effect [LABEL-SKY], [CHEO]. More than that, or no positive
 * test dose on record, needs a written reason.
 */
async function compareWithTestDose(
  trx: Trx,
  deps: PumpServiceDeps,
  pump: Pump,
  input: PrescriptionInput,
): Promise<DoseComparison> {
  const test = await latestPositiveTestDose(trx, pump.patientId);
  const most = planningDoseMcgPerDay(input.programme);
  if (!test) {
    return {
      comparedDoseMcgPerDay: null,
      changePercent: null,
      limitPercent: null,
      withinLimit: false,
      needsReason:
        'No positive test dose is recorded for this patient: give the reason for this starting dose',
    };
  }
  const start = startingDose(
    { testDoseMcg: test.doseMcg, effectHours: test.effectHours, adverseReactions: test.adverseReactions },
    deps.config.pumpRules.startDoseLongEffectHours,
  ).dailyDoseMcg;
  const within = most <= start;
  return {
    comparedDoseMcgPerDay: start,
    changePercent: round2(((most - start) / start) * 100),
    limitPercent: 0,
    withinLimit: within,
    needsReason: within
      ? null
      : `The starting dose from the test dose (${test.doseMcg} mcg) is ${start} mcg/day; this programme can give ${round2(most)} mcg a day: give the reason`,
  };
}

/**
 * Works out a proposed prescription's row: what it is compared with and whether a written reason
 * is needed (refused without one). Shared by a change on its own and a change made at a refill.
 */
export async function prescriptionRow(
  trx: Trx,
  deps: PumpServiceDeps,
  actor: Actor,
  pump: Pump,
  input: PrescriptionInput,
  fieldPrefix: string,
  refillId: string | null,
): Promise<PrescriptionsTable> {
  const now = deps.clock.now();
  const active = await findActivePrescription(trx, pump.id);
  const dayBefore = await findPrescriptionInEffectAt(
    trx,
    pump.id,
    new Date(now.getTime() - DAY_MS).toISOString(),
  );
  const compared = dayBefore ?? active;
  const comparison = compared
    ? compareWithDayBefore(deps, pump, input, compared)
    : await compareWithTestDose(trx, deps, pump, input);
  if (comparison.needsReason !== null && input.reason === null) {
    throw validationError([{ field: `${fieldPrefix}reason`, message: comparison.needsReason }]);
  }
  return {
    id: randomUUID(),
    pump_id: pump.id,
    patient_id: pump.patientId,
    previous_id: active?.id ?? null,
    drug: input.drug,
    concentration_mcg_per_ml: input.concentrationMcgPerMl,
    programme: JSON.stringify(input.programme),
    dose_mcg_per_day: continuousDoseMcgPerDay(input.programme),
    planning_dose_mcg_per_day: planningDoseMcgPerDay(input.programme),
    phase: input.phase,
    compared_dose_mcg_per_day: comparison.comparedDoseMcgPerDay,
    change_percent: comparison.changePercent,
    limit_percent: comparison.limitPercent,
    within_limit: comparison.comparedDoseMcgPerDay === null ? null : comparison.withinLimit ? 1 : 0,
    reason: input.reason,
    state: 'pending',
    refill_id: refillId,
    proposed_at: now.toISOString(),
    proposed_by: actor.userId,
    decided_at: null,
    decided_by: null,
    decision_note: null,
    version: 1,
  };
}

async function refusePendingTwice(trx: Trx, pumpId: string): Promise<void> {
  const pending = await findPendingPrescription(trx, pumpId);
  if (pending) {
    throw new AppError(
      'INVALID_STATE',
      'A change to this pump’s prescription is already waiting to be checked: confirm or reject it first',
      { details: { pendingPrescriptionId: pending.id } },
    );
  }
}

/** Proposes a prescription or a change; it counts only once a second clinician confirms it. */
export async function proposePrescription(
  deps: PumpServiceDeps,
  actor: Actor,
  pumpId: string,
  raw: unknown,
): Promise<Prescription> {
  requirePermission(actor, 'dose:prescribe', 'Only clinicians who prescribe can propose a dose change');
  return oneAtATime(() =>
    deps.db.transaction().execute(async (trx) => {
      const pump = await loadPump(trx, pumpId);
      if (pump.state !== 'implanted') {
        throw new AppError('INVALID_STATE', 'This pump is no longer implanted');
      }
      const result = validatePrescriptionInput(raw, deps.config.pumpRules.hardLimits);
      if (!result.ok) {
        throw validationError(result.errors);
      }
      await refusePendingTwice(trx, pumpId);
      const lastRefill = await latestRefillForPump(trx, pumpId);
      if (lastRefill?.state === 'recorded') {
        throw new AppError(
          'INVALID_STATE',
          'A refill of this pump is waiting to be checked and signed: sign it first, or change the programme at the next refill',
        );
      }
      // The strength in the reservoir changes only at a refill (hazard H-020, wrong concentration).
      if (lastRefill && lastRefill.concentrationMcgPerMl !== result.value.concentrationMcgPerMl) {
        throw validationError([
          {
            field: 'concentrationMcgPerMl',
            message: `The pump holds ${lastRefill.concentrationMcgPerMl} mcg/mL since the refill on ${lastRefill.performedOn}: a new strength can only be set at a refill`,
          },
        ]);
      }
      const row = await prescriptionRow(trx, deps, actor, pump, result.value, '', null);
      await insertPrescription(trx, row);
      await appendAudit(
        trx,
        deps.clock,
        actorEvent(actor, {
          action: 'prescription.propose',
          outcome: 'success',
          entityType: 'prescription',
          entityId: row.id,
          patientId: pump.patientId,
          details: {
            pumpId,
            planningDoseMcgPerDay: row.planning_dose_mcg_per_day,
            concentrationMcgPerMl: row.concentration_mcg_per_ml,
            withinLimit: row.within_limit,
          },
        }),
      );
      const saved = await findPrescriptionById(trx, row.id);
      if (!saved) {
        throw new Error('prescription vanished inside its own transaction');
      }
      return saved;
    }),
  );
}

/**
 * Makes a pending prescription the one that counts, superseding the active one, and works the
 * pump's alarm and due dates out again from the last fill through every confirmed change since.
 * The checker must be a different clinician from the one who proposed it (hazard H-018).
 */
export async function activatePrescription(
  trx: Trx,
  deps: PumpServiceDeps,
  actor: Actor,
  prescription: Prescription,
  note: string | null,
  programmedOn: PlainDate | null,
): Promise<void> {
  const pump = await loadPump(trx, prescription.pumpId);
  if (pump.state !== 'implanted') {
    throw new AppError('INVALID_STATE', `This pump was ${pump.state}: its prescription can no longer change`);
  }
  if (prescription.proposedBy === actor.userId) {
    throw validationError([
      {
        field: 'checkedBy',
        message: 'The second check must be made by a different clinician from the one who proposed it',
      },
    ]);
  }
  const at = deps.clock.now().toISOString();
  if (prescription.previousId !== null) {
    const superseded = await updatePrescriptionIfState(trx, prescription.previousId, 'active', {
      state: 'superseded',
    });
    if (!superseded) {
      throw new AppError(
        'STALE_EDIT',
        'The prescription this change replaces has changed. Reload and check again.',
      );
    }
  } else if (await findActivePrescription(trx, prescription.pumpId)) {
    throw new AppError('STALE_EDIT', 'Another prescription became active meanwhile. Reload and check again.');
  }
  const confirmed = await updatePrescriptionIfState(trx, prescription.id, 'pending', {
    state: 'active',
    decided_at: at,
    decided_by: actor.userId,
    decision_note: note,
    // A change made at a refill was programmed on the refill's date when it was recorded.
    ...(programmedOn === null ? {} : { programmed_on: programmedOn }),
  });
  if (!confirmed) {
    throw new AppError('STALE_EDIT', 'This change was confirmed or rejected by someone else meanwhile.');
  }
  if (prescription.refillId === null) {
    await replanPump(trx, deps, actor, prescription.pumpId);
  }
}

/**
 * The pump's plan from its last signed refill and every prescription confirmed since, each from
 * the day the pump was programmed with it (fill-history.ts), not the day the check was recorded:
 * a change programmed on day 10 and confirmed on day 12 used more drug from day 10. Nothing to
 * do before the first signed refill (no fill to plan from). Returns whether it planned.
 */
export async function replanPump(
  trx: Trx,
  deps: PumpServiceDeps,
  actor: Actor,
  pumpId: string,
): Promise<boolean> {
  const pump = await loadPump(trx, pumpId);
  const history = await loadFillHistory(trx, pump, deps.config.timeZone);
  if (history === null) {
    return false;
  }
  const rules = deps.config.pumpRules;
  const plan = refillPlanWithChanges({
    fillMl: history.refill.instilledMl,
    filledOn: history.refill.performedOn,
    alarmMl: history.refill.alarmMl,
    segments: planSegments(history),
    bufferDays: rules.refillBufferDays,
    maxIntervalDays: rules.stabilityDays,
  });
  await savePump(trx, deps, actor, pump, { alarm_on: plan.alarmDate, refill_due_by: plan.refillDueBy });
  return true;
}

async function loadPending(trx: Trx, prescriptionId: string): Promise<Prescription> {
  const p = await findPrescriptionById(trx, prescriptionId);
  if (!p) {
    throw new AppError('NOT_FOUND', 'Prescription not found');
  }
  if (p.state !== 'pending') {
    throw new AppError('INVALID_STATE', `This prescription is ${p.state}, not waiting to be checked`);
  }
  if (p.refillId !== null) {
    throw new AppError(
      'INVALID_STATE',
      'This change was made at a refill: it is confirmed by checking and signing that refill',
    );
  }
  return p;
}

/**
 * The second clinician confirms a change made outside a refill, with the date the pump was
 * reprogrammed (`programmedOn`, YYYY-MM-DD, today when not given): never in the future, never
 * before the last signed refill, never before the change was proposed.
 */
export async function confirmPrescription(
  deps: PumpServiceDeps,
  actor: Actor,
  prescriptionId: string,
  raw: { note?: unknown; programmedOn?: unknown },
): Promise<Prescription> {
  requirePermission(actor, 'dose:check', 'Only clinicians who check doses can confirm a change');
  return oneAtATime(() =>
    deps.db.transaction().execute(async (trx) => {
      const p = await loadPending(trx, prescriptionId);
      const note =
        typeof raw.note === 'string' && raw.note.trim() !== '' ? raw.note.trim().slice(0, 2000) : null;
      // Confirming now would plan from the last signed fill, dropping the earlier dates of the
      // refill awaiting its check, and leave that refill unsignable: settle the refill first.
      if ((await latestRefillForPump(trx, p.pumpId))?.state === 'recorded') {
        throw new AppError(
          'INVALID_STATE',
          'A refill of this pump is waiting to be checked and signed: sign or reject it before confirming a change',
        );
      }
      const pump = await loadPump(trx, p.pumpId);
      const lastSigned = pump.lastRefillId ? await findRefillById(trx, pump.lastRefillId) : null;
      const programmedOn = validateProgrammedOn(raw.programmedOn, {
        today: dateIn(deps.clock.now(), deps.config.timeZone),
        lastSignedRefillOn: lastSigned?.performedOn ?? null,
        proposedOn: dateIn(new Date(p.proposedAt), deps.config.timeZone),
      });
      if (!programmedOn.ok) {
        throw validationError(programmedOn.errors);
      }
      await activatePrescription(trx, deps, actor, p, note, programmedOn.value);
      await appendAudit(
        trx,
        deps.clock,
        actorEvent(actor, {
          action: 'prescription.confirm',
          outcome: 'success',
          entityType: 'prescription',
          entityId: p.id,
          patientId: p.patientId,
          details: { pumpId: p.pumpId, proposedBy: p.proposedBy, programmedOn: programmedOn.value },
        }),
      );
      const saved = await findPrescriptionById(trx, p.id);
      if (!saved) {
        throw new Error('prescription vanished inside its own transaction');
      }
      return saved;
    }),
  );
}

/** Rejects (or the proposer withdraws) a pending change, with a reason; the active one stays. */
export async function rejectPrescription(
  deps: PumpServiceDeps,
  actor: Actor,
  prescriptionId: string,
  raw: { note?: unknown },
): Promise<Prescription> {
  requirePermission(actor, 'dose:check', 'Only clinicians who check doses can reject a change');
  return deps.db.transaction().execute(async (trx) => {
    const p = await loadPending(trx, prescriptionId);
    const note = typeof raw.note === 'string' ? raw.note.trim().slice(0, 2000) : '';
    if (note === '') {
      throw validationError([{ field: 'note', message: 'Enter why the change is rejected' }]);
    }
    const decidedAt = deps.clock.now().toISOString();
    const done = await updatePrescriptionIfState(trx, p.id, 'pending', {
      state: 'rejected',
      decided_at: decidedAt,
      decided_by: actor.userId,
      decision_note: note,
    });
    if (!done) {
      throw new AppError('STALE_EDIT', 'This change was confirmed or rejected by someone else meanwhile.');
    }
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'prescription.reject',
        outcome: 'success',
        entityType: 'prescription',
        entityId: p.id,
        patientId: p.patientId,
        details: { pumpId: p.pumpId },
      }),
    );
    return {
      ...p,
      state: 'rejected',
      decidedAt,
      decidedBy: actor.userId,
      decisionNote: note,
      version: p.version + 1,
    };
  });
}

/** A prescription with the one it replaces, for the side-by-side view. */
export async function withPrevious(
  deps: PumpServiceDeps,
  prescription: Prescription,
): Promise<{ current: Prescription; previous: Prescription | null }> {
  const [previous] = prescription.previousId
    ? await findPrescriptionsByIds(deps.db, [prescription.previousId])
    : [];
  return { current: prescription, previous: previous ?? null };
}
