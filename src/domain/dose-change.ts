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
 * .ts), and this bound holds even for a figure that never passed that check. Given only the
 * long-effect hours (the older form of the call), there is no ladder to bound it by, so every
 * caller should pass the rules.
 */
export function startingDose(
  input: { readonly testDoseMcg: number; readonly effectHours: number; readonly adverseReactions?: boolean },
  rules: StartDoseRules | number,
): StartingDose {
  const longEffectHours = typeof rules === 'number' ? rules : rules.startDoseLongEffectHours;
  const most = typeof rules === 'number' ? Number.POSITIVE_INFINITY : startDoseMaxMcgPerDay(rules.testDose);
  const same = input.effectHours > longEffectHours || input.adverseReactions === true;
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

/**
 * F6: a change is compared with the dose 24 h before. In titration a rise may be at most +30%
 * (spinal) or +15% (cerebral) [CMSC], [LABEL-SKY]; in maintenance at most ±20% [LABEL-SKY].
 * Beyond the limit the change is still possible but needs a written reason (service rule).
 */
export function doseChangeCheck(
  input: {
    readonly currentMcgPerDay: number;
    readonly proposedMcgPerDay: number;
    readonly origin: Origin;
    readonly phase: Phase;
  },
  rules: TitrationRules,
): DoseChangeCheck {
  const changePercent = round2(
    ((input.proposedMcgPerDay - input.currentMcgPerDay) / input.currentMcgPerDay) * 100,
  );
  const rising = changePercent >= 0;
  let limitPercent: number;
  if (input.phase === 'maintenance') {
    limitPercent = rising ? rules.maintenanceChangePercent : -rules.maintenanceChangePercent;
  } else if (rising) {
    limitPercent =
      input.origin === 'spinal' ? rules.titrationSpinalRisePercent : rules.titrationCerebralRisePercent;
  } else {
    limitPercent = -rules.titrationCutPercent;
  }
  return { changePercent, limitPercent, withinLimit: Math.abs(changePercent) <= Math.abs(limitPercent) };
}
