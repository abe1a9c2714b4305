import type { TitrationRules } from './pump-rules.ts';
import { round2 } from './refill-arithmetic.ts';

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

/**
 * F5: the starting daily dose after implant is twice the effective screening bolus, or the
 * bolus itself when its effect lasted more than 8 hours [LABEL-SKY], [LABEL-SUM], [CHEO];
 * CMSC also keeps it equal after adverse reactions to the test dose [CMSC].
 */
export function startingDose(
  input: { readonly testDoseMcg: number; readonly effectHours: number; readonly adverseReactions?: boolean },
  longEffectHours: number,
): StartingDose {
  const same = input.effectHours > longEffectHours || input.adverseReactions === true;
  return same
    ? { dailyDoseMcg: input.testDoseMcg, rule: 'same' }
    : { dailyDoseMcg: input.testDoseMcg * 2, rule: 'double' };
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
