import { randomUUID } from 'node:crypto';
import type { PlainDate } from '../domain/calendar-date.ts';
import { reasonRequired, warningsForOutput, type ClinicalWarning } from '../domain/clinical-warning.ts';
import { continuousDoseMcgPerDay, planningDoseMcgPerDay } from '../domain/dose-programme.ts';
import type { FieldError } from '../domain/field-error.ts';
import type { PrescriptionInput } from '../domain/prescription-input.ts';
import { prescriptionLimitErrors } from '../domain/prescription-limits.ts';
import { programmeWarnings } from '../domain/programme-limits.ts';
import { findPumpModel } from '../domain/pump-device.ts';
import type { Trx } from '../storage/database.ts';
import {
  findActivePrescription,
  findPrescriptionInEffectAt,
  type Prescription,
} from '../storage/prescriptions.repository.ts';
import type { Pump } from '../storage/pumps.repository.ts';
import { AppError } from './app-error.ts';
import type { Actor } from './audit-service.ts';
import { dateIn } from './clock.ts';
import {
  compareWithTestDose,
  firstPhaseRefusals,
  replacedPumpPrescription,
} from './first-prescription-checks.ts';
import { compareWithDose, limitContext, type DoseComparison } from './prescription-checks.ts';
import type { PumpServiceDeps } from './pump-store.ts';

type PumpRules = PumpServiceDeps['config']['pumpRules'];

/** The rules the strength and delivery checks read. */
function prescriptionLimitRules(rules: PumpRules) {
  return {
    hardLimits: rules.hardLimits,
    concentrations: rules.concentrations,
    usualRange: rules.usualRange,
    screeningConcentrationMcgPerMl: rules.testDose.screeningConcentrationMcgPerMl,
  };
}

/** The programme's usual-range warnings, fields relative to the prescription (`programme.…`). */
function programmeFindings(input: PrescriptionInput, rules: PumpRules): ClinicalWarning[] {
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

/** Names a field as the form that holds the prescription does (`newPrescription.` at a refill). */
function underPrefix(fieldPrefix: string) {
  return <T extends { readonly field?: string }>(e: T): T =>
    e.field === undefined || e.field === 'concentrationMcgPerMl'
      ? e
      : { ...e, field: `${fieldPrefix}${e.field}` };
}

/**
 * The strength and delivery range on their own (a stocked strength, a volume the pump can
 * deliver), refused with the programme's warnings beside them.
 */
export function refuseHardLimits(
  input: PrescriptionInput,
  pump: Pump,
  rules: PumpRules,
  fieldPrefix = '',
): void {
  const limits = prescriptionLimitErrors(input, findPumpModel(pump.modelId), prescriptionLimitRules(rules));
  if (limits.length > 0) {
    const prefixed = underPrefix(fieldPrefix);
    throw refusal(limits.map(prefixed), programmeFindings(input, rules).map(prefixed));
  }
}

/**
 * Works out a proposed prescription: the hard limits (a stocked strength, a volume the pump can
 * deliver, no tenfold change), what it is compared with, and its clinical warnings (usual ranges,
 * programme limits, the titration limit), which are refused without a written reason and stored
 * with it. Shared by a change on its own and a change made at a refill (`refill`: the change
 * happened on its date, so the patient's age is taken then), where the fields carry
 * `fieldPrefix` (`newPrescription.`); the strength is the form's own `concentrationMcgPerMl`
 * either way. The result is pending and not yet stored.
 */
export async function draftPrescription(
  trx: Trx,
  deps: PumpServiceDeps,
  actor: Actor,
  pump: Pump,
  input: PrescriptionInput,
  fieldPrefix: string,
  refill: { readonly id: string; readonly performedOn: PlainDate } | null,
): Promise<Prescription> {
  const rules = deps.config.pumpRules;
  refuseHardLimits(input, pump, rules, fieldPrefix);
  const prefixed = underPrefix(fieldPrefix);
  const programme = programmeFindings(input, rules);
  const refuse = (errors: readonly FieldError[], warnings: readonly ClinicalWarning[]) =>
    refusal(errors.map(prefixed), warnings.map(prefixed));
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
    pumpId: pump.id,
    patientId: pump.patientId,
    previousId: active?.id ?? null,
    drug: input.drug,
    concentrationMcgPerMl: input.concentrationMcgPerMl,
    programme: input.programme,
    doseMcgPerDay: continuousDoseMcgPerDay(input.programme),
    planningDoseMcgPerDay: planningDoseMcgPerDay(input.programme),
    phase: input.phase,
    comparedDoseMcgPerDay: comparison.comparedDoseMcgPerDay,
    changePercent: comparison.changePercent,
    limitPercent: comparison.limitPercent,
    withinLimit: comparison.comparedDoseMcgPerDay === null ? null : comparison.withinLimit,
    reason: input.reason,
    state: 'pending',
    refillId: refill?.id ?? null,
    proposedAt: deps.clock.now().toISOString(),
    proposedBy: actor.userId,
    decidedAt: null,
    decidedBy: null,
    decisionNote: null,
    version: 1,
    programmedOn: null,
    warnings: warningsForOutput(warnings),
    limitPhase: comparison.limitPhase,
  };
}

const DAY_MS = 86_400_000;

/**
 * Chooses what a proposal is compared with: the confirmed dose 24 h before (or the active one when
 * none was running then), else the replaced pump's dose, else the test dose (the pump's first
 * prescription, which must be in titration). `changeOn` is the day of the change: the refill's
 * date for a change made at a refill, else today.
 */
async function compareProposal(
  trx: Trx,
  deps: PumpServiceDeps,
  pump: Pump,
  input: PrescriptionInput,
  changeOn: PlainDate,
): Promise<DoseComparison> {
  const now = deps.clock.now();
  const active = await findActivePrescription(trx, pump.id);
  const dayBefore = await findPrescriptionInEffectAt(
    trx,
    pump.id,
    new Date(now.getTime() - DAY_MS).toISOString(),
  );
  const compared = dayBefore ?? active;
  if (compared) {
    const ctx = await limitContext(trx, deps, pump, changeOn);
    return compareWithDose(deps, pump, input, compared, ctx, 'the dose 24 hours ago');
  }
  const replaced = await replacedPumpPrescription(trx, pump);
  if (replaced) {
    const ctx = await limitContext(trx, deps, pump, changeOn);
    return compareWithDose(deps, pump, input, replaced, ctx, 'the dose on the pump this one replaces');
  }
  const first = await compareWithTestDose(trx, deps, pump, input);
  return { ...first, refusals: [...first.refusals, ...firstPhaseRefusals(input)] };
}
