import { z } from 'zod';
import type { FieldError, Validated } from './field-error.ts';
import type { HardLimits, TestDoseRules } from './pump-rules.ts';
import { concentrationErrors, doseErrors } from './refill-arithmetic.ts';
import { optionalText } from './schema-fields.ts';
import { MAX_TEXT, nullable, validated } from './test-dose-fields.ts';
import { formatInstant, instantField, MS_PER_HOUR } from './test-dose-time.ts';

/**
 * Test boluses: the ladder, the 24-hour rule and the volume (clinical-reference.md section 3),
 * part of the test-dose episode (test-dose.ts).
 */

// ---------------------------------------------------------------------------------------------
// Choices

/** By lumbar puncture or through a spinal catheter [LABEL-SUM]; Bristol places a lumbar catheter [BRIS-TD]. */
export const BOLUS_ROUTES = ['lumbar-puncture', 'catheter'] as const;
export type BolusRoute = (typeof BOLUS_ROUTES)[number];
export const BOLUS_ROUTE_LABELS: Readonly<Record<BolusRoute, string>> = {
  'lumbar-puncture': 'Lumbar puncture',
  catheter: 'Spinal catheter',
};

// ---------------------------------------------------------------------------------------------
// Boluses: the ladder, the 24-hour rule, the volume

/** F1 for one bolus: volume (mL) = dose (mcg) ÷ concentration (mcg/mL); worked example 18. */
export function bolusVolumeMl(doseMcg: number, concentrationMcgPerMl: number): number {
  return doseMcg / concentrationMcgPerMl;
}

/**
 * The dose the ladder gives next: its first rung after the episode's previous bolus, or the
 * first rung for the first bolus; null above the last rung (50, 75, 100 mcg [LABEL-SUM]).
 * After an off-ladder dose (25 mcg for a small child [CHEO]) the ladder resumes at the next
 * rung above it.
 */
export function nextLadderDoseMcg(
  ladderMcg: readonly number[],
  previousDoseMcg: number | null,
): number | null {
  if (previousDoseMcg === null) {
    return ladderMcg[0] ?? null;
  }
  return ladderMcg.find((rung) => rung > previousDoseMcg) ?? null;
}

/** A dose at or above the last rung: no response there means no implant [LABEL-SUM]. */
export function isLastRung(doseMcg: number, ladderMcg: readonly number[]): boolean {
  const last = ladderMcg.at(-1);
  return last !== undefined && doseMcg >= last;
}

/** The earliest time the next bolus may be given: the previous one + minIntervalHours [LABEL-SUM], [BACINFO]. */
export function earliestNextBolusAt(previousGivenAt: string, rules: TestDoseRules): string {
  return new Date(Date.parse(previousGivenAt) + rules.minIntervalHours * MS_PER_HOUR).toISOString();
}

/**
 * Whether a bolus at `givenAt` keeps the minimum interval after the previous one. Measured
 * between instants, so a clock change never shortens or stretches it: 10:00 BST on 24 October
 * to 09:30 GMT on 25 October 2026 is 24.5 hours.
 */
export function intervalKept(previousGivenAt: string, givenAt: string, rules: TestDoseRules): boolean {
  return Date.parse(givenAt) >= Date.parse(earliestNextBolusAt(previousGivenAt, rules));
}

export interface BolusInput {
  readonly doseMcg: number;
  readonly concentrationMcgPerMl: number;
  /** Why a strength other than the screening strength is used. */
  readonly concentrationReason: string | null;
  readonly route: BolusRoute;
  /** UTC ISO instant. */
  readonly givenAt: string;
  /** Who checked the dose drawn up (free text: the checker may hold no account). */
  readonly checkedBy: string | null;
  /** Why the dose is not the ladder's next rung. */
  readonly offLadderReason: string | null;
  readonly note: string | null;
}

export const bolusInputSchema = z.object({
  doseMcg: z.number({ error: 'Dose must be a number of micrograms (mcg)' }),
  concentrationMcgPerMl: nullable(
    z.number({ error: 'Concentration must be a number of micrograms per mL (mcg/mL)' }),
  ),
  concentrationReason: optionalText('Reason for the concentration', MAX_TEXT),
  route: z.enum(BOLUS_ROUTES, { error: 'Select the route: lumbar puncture or spinal catheter' }),
  givenAt: instantField('Time given'),
  checkedBy: optionalText('Checked by', 200),
  offLadderReason: optionalText('Reason for a dose off the ladder', MAX_TEXT),
  note: optionalText('Note', MAX_TEXT),
});

export interface BolusContext {
  readonly rules: TestDoseRules;
  readonly hardLimits: HardLimits;
  /** Now, as a UTC ISO instant: a bolus cannot be recorded in the future. */
  readonly now: string;
  readonly timeZone: string;
  /** The dose of this episode's previous bolus (the ladder continues from it). */
  readonly previousDoseMcg: number | null;
  /** When the patient's latest bolus in any episode was given (one bolus per 24 h per patient). */
  readonly latestGivenAt: string | null;
}

/**
 * Checks a bolus: dose and concentration in their units (0.05 looks like milligrams), the
 * screening strength unless a reason is given, not in the future, at least minIntervalHours
 * after the patient's previous bolus, and the ladder's next rung unless a reason is given.
 */
export function validateBolusInput(raw: unknown, ctx: BolusContext): Validated<BolusInput> {
  const parsed = validated(bolusInputSchema, raw);
  if (!parsed.ok) {
    return parsed;
  }
  const v = parsed.value;
  const concentration = v.concentrationMcgPerMl ?? ctx.rules.screeningConcentrationMcgPerMl;
  const errors: FieldError[] = [
    ...doseErrors('doseMcg', 'Dose', v.doseMcg, ctx.hardLimits),
    ...concentrationErrors('concentrationMcgPerMl', concentration, ctx.hardLimits),
  ];
  const has = (f: string) => errors.some((e) => e.field === f);
  if (
    !has('concentrationMcgPerMl') &&
    concentration !== ctx.rules.screeningConcentrationMcgPerMl &&
    v.concentrationReason === null
  ) {
    errors.push({
      field: 'concentrationReason',
      message: `Concentration ${concentration} mcg/mL is not the ${ctx.rules.screeningConcentrationMcgPerMl} mcg/mL screening strength: give a reason to use it`,
    });
  }
  if (Date.parse(v.givenAt) > Date.parse(ctx.now)) {
    errors.push({ field: 'givenAt', message: 'Time given must not be in the future' });
  } else if (ctx.latestGivenAt !== null && !intervalKept(ctx.latestGivenAt, v.givenAt, ctx.rules)) {
    const earliest = earliestNextBolusAt(ctx.latestGivenAt, ctx.rules);
    errors.push({
      field: 'givenAt',
      message: `Time given must be at least ${ctx.rules.minIntervalHours} hours after the previous bolus (given at ${formatInstant(ctx.latestGivenAt, ctx.timeZone)}): the earliest allowed time is ${formatInstant(earliest, ctx.timeZone)}`,
    });
  }
  if (!has('doseMcg')) {
    const expected = nextLadderDoseMcg(ctx.rules.ladderMcg, ctx.previousDoseMcg);
    if (v.doseMcg !== expected && v.offLadderReason === null) {
      errors.push({
        field: 'offLadderReason',
        message:
          expected === null
            ? `Dose ${v.doseMcg} mcg is beyond the last step of the screening ladder (${ctx.rules.ladderMcg.join(', ')} mcg): give a reason for a dose off the ladder`
            : `Dose ${v.doseMcg} mcg is not the next step of the screening ladder (${expected} mcg): give the ladder dose, or a reason for a dose off the ladder`,
      });
    }
  }
  if (errors.length > 0) {
    return { ok: false, errors };
  }
  return { ok: true, value: { ...v, concentrationMcgPerMl: concentration } };
}
