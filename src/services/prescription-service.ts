import { randomUUID } from 'node:crypto';
import { dateIn } from './clock.ts';
import type { PlainDate } from '../domain/calendar-date.ts';
import type { FieldError } from '../domain/field-error.ts';
import { reasonRequired, warningsForOutput, type ClinicalWarning } from '../domain/clinical-warning.ts';
import { continuousDoseMcgPerDay, planningDoseMcgPerDay } from '../domain/dose-programme.ts';
import { prescriptionLimitErrors } from '../domain/prescription-limits.ts';
import { programmeWarnings } from '../domain/programme-limits.ts';
import { findPumpModel } from '../domain/pump-device.ts';
import { validatePrescriptionInput, type PrescriptionInput } from '../domain/prescription-input.ts';
import type { PrescriptionsTable, Trx } from '../storage/database.ts';
import {
  findActivePrescription,
  findPendingPrescription,
  findPrescriptionById,
  findPrescriptionsByIds,
  insertPrescription,
  updatePrescriptionIfState,
  type Prescription,
  type Pump,
} from '../storage/pumps.repository.ts';
import { validateProgrammedOn } from '../domain/programmed-on.ts';
import { findRefillById, latestRefillForPump } from '../storage/refills.repository.ts';
import { requirePermission } from './permission-check.ts';
import { AppError, validationError } from './app-error.ts';
import { actorEvent, appendAudit, type Actor } from './audit-service.ts';
import { compareProposal } from './prescription-checks.ts';
import { replanPump } from './pump-plan.ts';
import { loadPump, oneAtATime, type PumpServiceDeps } from './pump-service.ts';

export { replanPump } from './pump-plan.ts';

/**
 * Works out a proposed prescription's row: the hard limits (a stocked strength, a volume the pump
 * can deliver, no tenfold change), what it is compared with, and its clinical warnings (usual
 * ranges, programme limits, the titration limit), which are refused without a written reason and
 * stored with it. Shared by a change on its own and a change made at a refill (`refill`: the
 * change happened on its date, so the patient's age is taken then), where the fields carry
 * `fieldPrefix` (`newPrescription.`); the strength is the form's own `concentrationMcgPerMl`
 * either way.
 */
export async function prescriptionRow(
  trx: Trx,
  deps: PumpServiceDeps,
  actor: Actor,
  pump: Pump,
  input: PrescriptionInput,
  fieldPrefix: string,
  refill: { readonly id: string; readonly performedOn: PlainDate } | null,
): Promise<PrescriptionsTable> {
  const rules = deps.config.pumpRules;
  const prefixed = <T extends { readonly field?: string }>(e: T): T =>
    e.field === undefined || e.field === 'concentrationMcgPerMl'
      ? e
      : { ...e, field: `${fieldPrefix}${e.field}` };
  const programme = programmeFindings(input, rules);
  const refuse = (errors: readonly FieldError[], warnings: readonly ClinicalWarning[]) =>
    refusal(errors.map(prefixed), warnings.map(prefixed));
  const hard = prescriptionLimitErrors(input, findPumpModel(pump.modelId), prescriptionLimitRules(rules));
  if (hard.length > 0) {
    throw refuse(hard, programme);
  }
  const changeOn = refill?.performedOn ?? dateIn(deps.clock.now(), deps.config.timeZone);
  const comparison = await compareProposal(trx, deps, pump, input, changeOn);
  if (comparison.refusals.length > 0) {
    throw refuse(comparison.refusals, programme);
  }
  const warnings = [...programme, ...comparison.warnings];
  const missing = reasonRequired('reason', warnings, input.reason);
  if (missing) {
    throw refuse([missing], warnings);
  }
  const active = await findActivePrescription(trx, pump.id);
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
    refill_id: refill?.id ?? null,
    proposed_at: deps.clock.now().toISOString(),
    proposed_by: actor.userId,
    decided_at: null,
    decided_by: null,
    decision_note: null,
    version: 1,
    warnings: JSON.stringify(warningsForOutput(warnings)),
    limit_phase: comparison.limitPhase,
  };
}

/** The rules the strength and delivery checks read. */
function prescriptionLimitRules(rules: PumpServiceDeps['config']['pumpRules']) {
  return {
    hardLimits: rules.hardLimits,
    concentrations: rules.concentrations,
    usualRange: rules.usualRange,
    screeningConcentrationMcgPerMl: rules.testDose.screeningConcentrationMcgPerMl,
  };
}

/** The programme's usual-range warnings, fields relative to the prescription (`programme.…`). */
function programmeFindings(
  input: PrescriptionInput,
  rules: PumpServiceDeps['config']['pumpRules'],
): ClinicalWarning[] {
  return programmeWarnings(input.programme, rules).map((w) => ({
    ...w,
    field: `programme.${w.field ?? ''}`,
  }));
}

/**
 * A refused proposal: the field errors, with the programme's warnings in `details.warnings` so
 * the page can say "did you mean 1,500 mcg/day?" beside the dose even when a hard limit (a
 * volume the pump cannot deliver) is what refused it.
 */
function refusal(errors: readonly FieldError[], warnings: readonly ClinicalWarning[]): AppError {
  return new AppError('VALIDATION_FAILED', 'There is a problem with the details entered', {
    fieldErrors: errors,
    details: { warnings: warningsForOutput(warnings) },
  });
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
      const rules = deps.config.pumpRules;
      const result = validatePrescriptionInput(raw, rules.hardLimits);
      if (!result.ok) {
        throw validationError(result.errors);
      }
      // The strength and delivery range first, so a strength the service does not stock is named
      // as such rather than as a change of strength outside a refill.
      const limits = prescriptionLimitErrors(
        result.value,
        findPumpModel(pump.modelId),
        prescriptionLimitRules(rules),
      );
      if (limits.length > 0) {
        throw refusal(limits, programmeFindings(result.value, rules));
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
      // It may be programmed before it is checked: the dates come forward if it empties the pump sooner.
      await replanPump(trx, deps, actor, pumpId);
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
            warnings: (JSON.parse(row.warnings) as ClinicalWarning[]).map((w) => w.code),
            limitPhase: row.limit_phase,
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
    // Never programmed: the dates it brought forward go back to the confirmed programme's.
    await replanPump(trx, deps, actor, p.pumpId);
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
