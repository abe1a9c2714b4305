import { parsePlainDate, wholeYearsBetween, type PlainDate } from '../domain/calendar-date.ts';
import type { ClinicalWarning } from '../domain/clinical-warning.ts';
import {
  beyondChangeFactor,
  changeLimit,
  doseChangeCheck,
  limitBasisText,
  limitPhase,
  startingDose,
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
import { round2 } from '../domain/refill-arithmetic.ts';
import type { Trx } from '../storage/database.ts';
import { findPatientById } from '../storage/patients.repository.ts';
import {
  findActivePrescription,
  findPrescriptionInEffectAt,
  listPrescriptions,
  type Prescription,
} from '../storage/prescriptions.repository.ts';
import { findPumpById, type Pump } from '../storage/pumps.repository.ts';
import { latestPositiveTestDose } from '../storage/test-doses.repository.ts';
import type { PumpServiceDeps } from './pump-store.ts';

/**
 * What a proposed prescription is compared with, and what that comparison finds: the dose 24 h
 * before (F6), the dose on the pump this one replaces, or the starting dose from the positive
 * test dose (F5). Beyond a limit the change needs a written reason (a warning); beyond ten times
 * either way the dose the patient is on (24 h before, or on the replaced pump) it is refused
 * outright.
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

const DAY_MS = 86_400_000;

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

function mostField(programme: DoseProgramme): string {
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

/**
 * F5 for the first prescription after implant: the starting dose is twice the effective test
 * dose, or equal to it after a long effect [LABEL-SKY], [CHEO]. More than that, or no positive
 * test dose on record, needs a written reason. No tenfold refusal here: the patient is not yet on
 * the starting dose (a patient implanted elsewhere may be on far more), so the reason and the
 * second clinician judge it.
 */
export async function compareWithTestDose(
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
      limitPhase: null,
      warnings: [
        {
          code: 'NO_POSITIVE_TEST_DOSE',
          message:
            'No positive test dose is recorded for this patient: the starting dose cannot be checked against one',
        },
      ],
      refusals: [],
    };
  }
  const start = startingDose(
    { testDoseMcg: test.doseMcg, effectHours: test.effectHours, adverseReactions: test.adverseReactions },
    deps.config.pumpRules,
  ).dailyDoseMcg;
  const within = most <= start;
  return {
    comparedDoseMcgPerDay: start,
    changePercent: round2(((most - start) / start) * 100),
    limitPercent: 0,
    withinLimit: within,
    limitPhase: null,
    warnings: within
      ? []
      : [
          {
            code: 'START_DOSE_ABOVE_TEST_DOSE',
            field: mostField(input.programme),
            message: `The starting dose from the test dose (${test.doseMcg} mcg) is ${start} mcg/day; this programme can give ${round2(most)} mcg a day`,
          },
        ],
    refusals: [],
  };
}

/**
 * The prescription a replacement pump's first one is compared with: the replaced pump's active
 * prescription (the dose the patient is on), else its last one confirmed.
 */
async function replacedPumpPrescription(trx: Trx, pump: Pump): Promise<Prescription | null> {
  if (pump.replacesPumpId === null) {
    return null;
  }
  const list = await listPrescriptions(trx, pump.replacesPumpId);
  const active = list.find((p) => p.state === 'active');
  if (active) {
    return active;
  }
  const confirmed = list
    .filter((p) => p.state === 'superseded' && p.decidedAt !== null)
    .sort((a, b) => (b.decidedAt ?? '').localeCompare(a.decidedAt ?? ''));
  return confirmed[0] ?? null;
}

/**
 * A pump's first prescription with no history to carry over starts titration: declaring it
 * maintenance would hold every later change to the wider maintenance limits (a cerebral +20 %
 * the next day with no warning) before titration has found the dose [CMSC], [LABEL-SKY]. A
 * replacement pump carries on the replaced pump's history and is compared with its dose instead.
 */
function firstPhaseRefusals(input: PrescriptionInput): FieldError[] {
  return input.phase === 'maintenance'
    ? [
        {
          field: 'phase',
          message:
            'A new pump starts in titration: choose titration for its first prescription. A maintenance dose is confirmed once titration has found it',
        },
      ]
    : [];
}

/**
 * Chooses what a proposal is compared with: the confirmed dose 24 h before (or the active one when
 * none was running then), else the replaced pump's dose, else the test dose (the pump's first
 * prescription, which must be in titration). `changeOn` is the day of the change: the refill's
 * date for a change made at a refill, else today.
 */
export async function compareProposal(
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
