import { parsePlainDate, wholeYearsBetween, type PlainDate } from '../domain/calendar-date.ts';
import type { ClinicalWarning } from '../domain/clinical-warning.ts';
import {
  beyondChangeFactor,
  changeLimit,
  doseChangeCheck,
  limitBasisText,
  limitPhase,
  type DoseChangeCheck,
  type Phase,
} from '../domain/dose-change.ts';
import {
  continuousDoseMcgPerDay,
  doseByWeekday,
  planningDoseMcgPerDay,
  type DoseProgramme,
} from '../domain/dose-programme.ts';
import { formatAmount } from '../domain/dose-range.ts';
import type { FieldError } from '../domain/field-error.ts';
import type { PrescriptionInput } from '../domain/prescription-input.ts';
import type { Trx } from '../storage/database.ts';
import { findPatientById } from '../storage/patients.repository.ts';
import { listPrescriptions, type Prescription } from '../storage/prescriptions.repository.ts';
import { findPumpById, type Pump } from '../storage/pumps.repository.ts';
import type { PumpServiceDeps } from './pump-store.ts';

/**
 * A proposed prescription against the confirmed dose it changes (F6): the dose 24 h before, or
 * the dose on the pump this one replaces; a first prescription is compared with the starting
 * dose from the positive test dose instead (F5, first-prescription-checks.ts). Beyond a limit
 * the change needs a written reason (a warning); beyond ten times either way the dose the patient
 * is on (24 h before, or on the replaced pump) it is refused outright.
 */
export interface DoseComparison {
  readonly comparedDoseMcgPerDay: number | null;
  readonly changePercent: number | null;
  readonly limitPercent: number | null;
  readonly withinLimit: boolean;
  /** Whose titration limits applied (the pump's history); null against the test dose. */
  readonly limitPhase: Phase | null;
  /** DOSE_CHANGE_BEYOND_LIMIT, START_DOSE_ABOVE_TEST_DOSE or NO_POSITIVE_TEST_DOSE; fields relative to the prescription. */
  readonly warnings: readonly ClinicalWarning[];
  /** Hard limits crossed (ten times or a tenth); fields relative to the prescription. */
  readonly refusals: readonly FieldError[];
}

/** The field that sets the largest continuous day: the simple dose, or the largest day's schedule. */
function continuousField(programme: DoseProgramme): string {
  if (programme.mode === 'simple') {
    return 'programme.doseMcgPerDay';
  }
  const days = doseByWeekday(programme);
  const weekday = days.indexOf(Math.max(...days)) + 1;
  const i = programme.schedules.findIndex((s) => s.weekdays.includes(weekday));
  return `programme.schedules.${Math.max(0, i)}.steps`;
}

/** The field that sets the most the pump can give in a day: the bolus, or the continuous dose. */
export function mostField(programme: DoseProgramme): string {
  return programme.bolus ? 'programme.bolus.doseMcg' : continuousField(programme);
}

/**
 * The hard limit on a change (pump-rules.ts `titration.maxChangeFactor`): the continuous dose and
 * the most in a day, each against what it is compared with, refused beyond ten times or a tenth.
 */
function factorRefusals(
  deps: PumpServiceDeps,
  programme: DoseProgramme,
  compared: { readonly continuous: number; readonly most: number },
  against: string,
): FieldError[] {
  const rules = deps.config.pumpRules.titration;
  const factor = rules.maxChangeFactor;
  const checks = [
    {
      field: continuousField(programme),
      what: 'The daily dose',
      from: compared.continuous,
      to: continuousDoseMcgPerDay(programme),
    },
    {
      field: mostField(programme),
      what: 'The most the pump can give in a day, boluses included,',
      from: compared.most,
      to: planningDoseMcgPerDay(programme),
    },
  ];
  const refusals: FieldError[] = [];
  for (const c of checks) {
    if (beyondChangeFactor(c.from, c.to, rules) && !refusals.some((r) => r.field === c.field)) {
      refusals.push({
        field: c.field,
        message: `${c.what} would go from ${formatAmount(c.from)} to ${formatAmount(c.to)} mcg/day against ${against}: more than ${factor} times or less than a tenth of it. Check the dose and its unit; a reason cannot override this`,
      });
    }
  }
  return refusals;
}

/** Whose limits apply, and whether the patient is a child on the day of the change. */
export interface LimitContext {
  readonly phase: Phase;
  readonly child: boolean;
}

/**
 * The phases of every prescription confirmed (active or superseded, never pending or rejected)
 * on this pump and the pumps it replaced, in turn: a replacement pump carries on the patient's
 * titration history.
 */
async function confirmedPhases(trx: Trx, pump: Pump): Promise<Phase[]> {
  const phases: Phase[] = [];
  const seen = new Set<string>();
  let current: Pump | null = pump;
  while (current && !seen.has(current.id)) {
    seen.add(current.id);
    const list = await listPrescriptions(trx, current.id);
    phases.push(...list.filter((p) => p.state === 'active' || p.state === 'superseded').map((p) => p.phase));
    current = current.replacesPumpId === null ? null : await findPumpById(trx, current.replacesPumpId);
  }
  return phases;
}

/**
 * The limit context on the day of the change (`changeOn`): a change made at a refill happened on
 * the refill's date, one proposed on its own today. A patient who turned 18 since a refill
 * recorded late is still held to the child limit for it [CMSC].
 */
export async function limitContext(
  trx: Trx,
  deps: PumpServiceDeps,
  pump: Pump,
  changeOn: PlainDate,
): Promise<LimitContext> {
  const patient = await findPatientById(trx, pump.patientId);
  const born = patient ? parsePlainDate(patient.dateOfBirth) : null;
  const age = born ? wholeYearsBetween(born, changeOn) : null;
  return {
    phase: limitPhase(await confirmedPhases(trx, pump)),
    child: age !== null && age < deps.config.pumpRules.childUnderYears,
  };
}

function beyondWarning(
  deps: PumpServiceDeps,
  pump: Pump,
  ctx: LimitContext,
  check: DoseChangeCheck,
  current: number,
  what: 'continuous' | 'most',
  field: string,
  against: string,
): ClinicalWarning {
  const rules = deps.config.pumpRules;
  const { basis } = changeLimit(
    {
      currentMcgPerDay: current,
      origin: pump.origin,
      phase: ctx.phase,
      child: ctx.child,
      rising: check.changePercent >= 0,
    },
    rules.titration,
  );
  const subject =
    what === 'continuous'
      ? 'The daily dose changes'
      : 'The most the pump can give in a day, boluses included, changes';
  return {
    code: 'DOSE_CHANGE_BEYOND_LIMIT',
    field,
    message: `${subject} by ${check.changePercent}% against ${against}, beyond the ${check.limitPercent}% limit ${limitBasisText(basis, ctx.phase, pump.origin, rules)}`,
  };
}

/**
 * F6 against a confirmed prescription [CMSC]: the continuous daily dose and the most the pump can
 * give in a day (boluses included) are each held to the limit, so moving the bolus allowance into
 * the continuous dose is still a change. The limit comes from the pump's history and the
 * patient's age, never from the phase the prescriber sends.
 */
export function compareWithDose(
  deps: PumpServiceDeps,
  pump: Pump,
  input: PrescriptionInput,
  compared: Prescription,
  ctx: LimitContext,
  against: string,
): DoseComparison {
  const rules = deps.config.pumpRules.titration;
  const check = (current: number, proposed: number) =>
    doseChangeCheck(
      {
        currentMcgPerDay: current,
        proposedMcgPerDay: proposed,
        origin: pump.origin,
        phase: ctx.phase,
        child: ctx.child,
      },
      rules,
    );
  const continuous = check(compared.doseMcgPerDay, continuousDoseMcgPerDay(input.programme));
  const most = check(compared.planningDoseMcgPerDay, planningDoseMcgPerDay(input.programme));
  // The figures shown are those of the check that needs the reason, so the page never shows a
  // change within its limit beside "beyond the limit".
  const shown = !continuous.withinLimit || most.withinLimit ? continuous : most;
  const warnings: ClinicalWarning[] = [];
  if (!continuous.withinLimit) {
    warnings.push(
      beyondWarning(
        deps,
        pump,
        ctx,
        continuous,
        compared.doseMcgPerDay,
        'continuous',
        continuousField(input.programme),
        against,
      ),
    );
  }
  if (!most.withinLimit && (continuous.withinLimit || input.programme.bolus !== null)) {
    warnings.push(
      beyondWarning(
        deps,
        pump,
        ctx,
        most,
        compared.planningDoseMcgPerDay,
        'most',
        mostField(input.programme),
        against,
      ),
    );
  }
  return {
    comparedDoseMcgPerDay: shown === continuous ? compared.doseMcgPerDay : compared.planningDoseMcgPerDay,
    changePercent: shown.changePercent,
    limitPercent: shown.limitPercent,
    withinLimit: continuous.withinLimit && most.withinLimit,
    limitPhase: ctx.phase,
    warnings,
    refusals: factorRefusals(
      deps,
      input.programme,
      { continuous: compared.doseMcgPerDay, most: compared.planningDoseMcgPerDay },
      against,
    ),
  };
}
