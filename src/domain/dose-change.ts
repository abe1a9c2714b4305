import type { TitrationRules } from './pump-rules.ts';
import { round2 } from './refill-arithmetic.ts';
import { startDoseMaxMcgPerDay, type PumpRules } from './pump-rules.ts';

/** Where the spasticity comes from; the titration limits differ [CMSC], [LABEL-SKY]. */
export const ORIGINS = ['spinal', 'cerebral'] as const;
export type Origin = (typeof ORIGINS)[number];
export const ORIGIN_LABELS: Readonly<Record<Origin, string>> = {
  spinal: 'Spinal origin',
  cerebral: 'Cerebral origin',
};

export const PHASES = ['titration', 'maintenance'] as const;
export type Phase = (typeof PHASES)[number];
export const PHASE_LABELS: Readonly<Record<Phase, string>> = {
  titration: 'Titration',
  maintenance: 'Maintenance',
};

export interface StartingDose {
  readonly dailyDoseMcg: number;
  /** 'double': twice the effective test dose; 'same': the test dose itself. */
  readonly rule: 'double' | 'same';
}

/** What the starting dose reads from the pump rules: the long-effect hours and the ladder. */
export type StartDoseRules = Pick<PumpRules, 'startDoseLongEffectHours' | 'testDose'>;

/**
 * F5: the starting daily dose after implant is twice the effective screening bolus, or the
 * bolus itself when its effect lasted more than 8 hours [LABEL-SKY], [LABEL-SUM], [CHEO];
 * CMSC also keeps it equal after adverse reactions to the test dose [CMSC].
 *
 * Given the pump rules, the result never exceeds startDoseMaxMcgPerDay (twice the ladder's top
 * rung): a larger test dose is refused wherever one is entered (testBolusErrors, test-dose-bolus
 * .ts), and this bound holds even for a figure that never passed that check.
 */
export function startingDose(
  input: { readonly testDoseMcg: number; readonly effectHours: number; readonly adverseReactions?: boolean },
  rules: StartDoseRules,
): StartingDose {
  const most = startDoseMaxMcgPerDay(rules.testDose);
  const same = input.effectHours > rules.startDoseLongEffectHours || input.adverseReactions === true;
  return same
    ? { dailyDoseMcg: Math.min(input.testDoseMcg, most), rule: 'same' }
    : { dailyDoseMcg: Math.min(input.testDoseMcg * 2, most), rule: 'double' };
}

export interface DoseChangeCheck {
  /** (proposed − current) ÷ current, to 0.01 %. */
  readonly changePercent: number;
  /** The limit in the direction of the change: positive for a rise, negative for a cut. */
  readonly limitPercent: number;
  readonly withinLimit: boolean;
}

export interface DoseChangeInput {
  readonly currentMcgPerDay: number;
  readonly proposedMcgPerDay: number;
  readonly origin: Origin;
  /** The phase whose limits apply: from the pump's history in the service (limitPhase), never the prescriber's choice. */
  readonly phase: Phase;
  /** Under `childUnderYears` on the day of the change: the paediatric rise limit applies too. */
  readonly child?: boolean;
}

/** Which rule set the limit: the phase's own, the paediatric one, or the high-dose one. */
export type LimitBasis = 'phase' | 'child' | 'high-dose';

export interface ChangeLimit {
  /** Positive for a rise, negative for a cut. */
  readonly limitPercent: number;
  readonly basis: LimitBasis;
}

/**
 * The limit on a change in 24 h (F6). In titration a rise may be at most +30% (spinal) or +15%
 * (cerebral) [CMSC], [LABEL-SKY], a cut −20% [LABEL-SKY]; in maintenance ±20% [LABEL-SKY]. A rise
 * is held to the smallest that applies of that, the paediatric +15% for a child in any phase
 * [CMSC], and +20% from 500 mcg/day up ("at higher doses a rise above 20% may be too much" [CMSC]).
 */
export function changeLimit(
  input: Omit<DoseChangeInput, 'proposedMcgPerDay'> & { readonly rising: boolean },
  rules: TitrationRules,
): ChangeLimit {
  if (!input.rising) {
    const cut = input.phase === 'maintenance' ? rules.maintenanceChangePercent : rules.titrationCutPercent;
    return { limitPercent: -cut, basis: 'phase' };
  }
  let limit: ChangeLimit = {
    limitPercent:
      input.phase === 'maintenance'
        ? rules.maintenanceChangePercent
        : input.origin === 'spinal'
          ? rules.titrationSpinalRisePercent
          : rules.titrationCerebralRisePercent,
    basis: 'phase',
  };
  if (input.child === true && rules.childRisePercent < limit.limitPercent) {
    limit = { limitPercent: rules.childRisePercent, basis: 'child' };
  }
  if (
    input.currentMcgPerDay >= rules.highDoseFromMcgPerDay &&
    rules.highDoseRisePercent < limit.limitPercent
  ) {
    limit = { limitPercent: rules.highDoseRisePercent, basis: 'high-dose' };
  }
  return limit;
}

/**
 * F6: a change is compared with the dose 24 h before, against changeLimit. Beyond the limit the
 * change is still possible but needs a written reason (service rule).
 */
export function doseChangeCheck(input: DoseChangeInput, rules: TitrationRules): DoseChangeCheck {
  const changePercent = round2(
    ((input.proposedMcgPerDay - input.currentMcgPerDay) / input.currentMcgPerDay) * 100,
  );
  const { limitPercent } = changeLimit({ ...input, rising: changePercent >= 0 }, rules);
  return { changePercent, limitPercent, withinLimit: Math.abs(changePercent) <= Math.abs(limitPercent) };
}

/**
 * The hard limit: a new dose more than `maxChangeFactor` times the one it is compared with, or
 * less than its reciprocal, is a slip (a decimal point, a unit), refused with no override.
 * Exactly 10 times or a tenth is let through to the usual-range check.
 */
export function beyondChangeFactor(
  currentMcgPerDay: number,
  proposedMcgPerDay: number,
  rules: TitrationRules,
): boolean {
  return (
    proposedMcgPerDay > currentMcgPerDay * rules.maxChangeFactor ||
    proposedMcgPerDay * rules.maxChangeFactor < currentMcgPerDay
  );
}

/**
 * The phase whose limits a change is held to, from the pump's history: titration until a
 * prescription in maintenance has been confirmed (on this pump or the one it replaced). The
 * phase a prescriber sends says where the new prescription puts the pump; it never widens the
 * limit it is itself checked against.
 */
export function limitPhase(confirmedPhases: readonly Phase[]): Phase {
  return confirmedPhases.includes('maintenance') ? 'maintenance' : 'titration';
}

/** "for titration, spinal origin": the rule behind a limit, for messages and pages. */
export function limitBasisText(
  basis: LimitBasis,
  phase: Phase,
  origin: Origin,
  rules: { readonly childUnderYears: number; readonly titration: TitrationRules },
): string {
  if (basis === 'child') {
    return `for a child under ${rules.childUnderYears}`;
  }
  if (basis === 'high-dose') {
    return `for a rise from ${rules.titration.highDoseFromMcgPerDay} mcg/day or more`;
  }
  return phase === 'maintenance'
    ? 'for maintenance'
    : `for titration, ${origin} origin (no maintenance dose has been confirmed yet)`;
}
