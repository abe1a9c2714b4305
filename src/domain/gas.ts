import { roundTo2 } from './rounding.ts';

/** A T-score rounded to two decimals (rounding.ts). */
export { roundTo2 };
/**
 * Goal Attainment Scaling T-scores (Turner-Stokes 2009 [GAS], [GAS-ABS]; clinical-reference.md
 * section 2 and worked examples 16 and 17).
 *
 * Each goal i has a weight wᵢ and an attainment score xᵢ from −2 to +2 (0 = the expected
 * outcome). The goals combine into one T-score with mean 50 and standard deviation about 10:
 *
 *   T = 50 + 10·Σ(wᵢxᵢ) / √((1 − ρ)·Σwᵢ² + ρ·(Σwᵢ)²)
 *
 * This is the erratum version of the formula (the guide's first printing had it wrong); the
 * worked examples in clinical-reference.md were computed with it.
 */

/**
 * ρ, the assumed correlation between the goals' scores. Kiresuk and Sherman set it at 0.3 and
 * Turner-Stokes 2009 keeps that value [GAS]; it is a parameter so a service could study
 * another, but every score the service shows uses this one.
 */
export const GAS_RHO = 0.3;

export interface WeightedScore {
  /** Importance × difficulty (Turner-Stokes: each 0–3); must be above 0 to count. */
  readonly weight: number;
  /** Attainment from −2 to +2, or a baseline of −1 or −2. */
  readonly score: number;
}

/**
 * The unrounded T-score of a set of goals. Round only when showing it (formatTScore, roundTo2):
 * rounding here would make later arithmetic on T-scores drift.
 *
 * @throws RangeError with no goals, a weight that is not above 0, or a value that is not finite.
 */
export function gasTScore(goals: readonly WeightedScore[], rho: number = GAS_RHO): number {
  if (goals.length === 0) {
    throw new RangeError('A GAS T-score needs at least one goal');
  }
  if (!(rho >= 0 && rho < 1)) {
    throw new RangeError(`rho must be from 0 up to (not including) 1, not ${rho}`);
  }
  let weighted = 0;
  let sumW = 0;
  let sumW2 = 0;
  for (const { weight, score } of goals) {
    if (!Number.isFinite(weight) || weight <= 0) {
      throw new RangeError(`Every GAS weight must be above 0, not ${weight}`);
    }
    if (!Number.isFinite(score)) {
      throw new RangeError(`Every GAS score must be a number, not ${score}`);
    }
    weighted += weight * score;
    sumW += weight;
    sumW2 += weight * weight;
  }
  return 50 + (10 * weighted) / Math.sqrt((1 - rho) * sumW2 + rho * sumW * sumW);
}

/** A T-score for people to read: always two decimals ("50.00"). */
export function formatTScore(value: number): string {
  return roundTo2(value).toFixed(2);
}
