import { z } from 'zod';
import type { FieldError, Validated } from './field-error.ts';
import { reasonRequired, type ClinicalWarning } from './clinical-warning.ts';
import { testBolusMaxMcg, type HardLimits, type TestDoseRules } from './pump-rules.ts';
import { roundTo2 } from './rounding.ts';
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
  /**
   * The second person who checked the dose drawn up (free text: they may hold no account).
   * Required, and never the giver: an intrathecal dose is checked by two people [CMSC].
   */
  readonly checkedBy: string;
  /** Why the dose is not the ladder's next rung. */
  readonly offLadderReason: string | null;
  readonly note: string | null;
}

const CHECKED_BY_MAX = 200;
const CHECKED_BY_MISSING =
  'Enter the name of the second person who checked the dose drawn up (checked by): every test bolus is checked by two people';

/**
 * The bolus as read before the checks that need the giver and the episode. `checkedBy` is
 * optional here only so that a missing name is reported with every other problem at once.
 */
const bolusFieldsSchema = z.object({
  doseMcg: z.number({ error: 'Dose must be a number of micrograms (mcg)' }),
  concentrationMcgPerMl: nullable(
    z.number({ error: 'Concentration must be a number of micrograms per mL (mcg/mL)' }),
  ),
  concentrationReason: optionalText('Reason for the concentration', MAX_TEXT),
  route: z.enum(BOLUS_ROUTES, { error: 'Select the route: lumbar puncture or spinal catheter' }),
  givenAt: instantField('Time given'),
  checkedBy: optionalText('Checked by', CHECKED_BY_MAX),
  offLadderReason: optionalText('Reason for a dose off the ladder', MAX_TEXT),
  note: optionalText('Note', MAX_TEXT),
});

/** The bolus as the API takes it: `checkedBy` is required. */
export const bolusInputSchema = bolusFieldsSchema.extend({
  checkedBy: z
    .string({ error: CHECKED_BY_MISSING })
    .trim()
    .min(1, { error: CHECKED_BY_MISSING })
    .max(CHECKED_BY_MAX, { error: `Checked by must be ${CHECKED_BY_MAX} characters or fewer` }),
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
  /** When the episode started: a bolus of it cannot come before (null: not checked here). */
  readonly episodeStartedAt: string | null;
  /** The signed-in person recording the bolus as its giver: never their own second checker. */
  readonly giver: { readonly displayName: string; readonly username: string };
}

/**
 * A test bolus dose in mcg: below the hard minimum it is milligrams typed for micrograms; above
 * the ladder's top rung it is refused with no override (hard limit): a patient with no response
 * to the top rung (100 mcg) is not implanted [LABEL-SUM], so no larger test dose is ever given.
 */
export function testBolusErrors(
  field: string,
  label: string,
  doseMcg: number,
  limits: { readonly hardLimits: HardLimits; readonly testDose: TestDoseRules },
): FieldError[] {
  const min = limits.hardLimits.minDoseMcgPerDay;
  const max = testBolusMaxMcg(limits.testDose);
  if (!Number.isFinite(doseMcg) || doseMcg <= 0) {
    return [{ field, message: `${label} must be a number of micrograms (mcg) greater than 0` }];
  }
  if (doseMcg < min) {
    return [
      {
        field,
        message: `${label} must be in micrograms (mcg), at least ${min}: ${doseMcg} looks like milligrams (${doseMcg} mg is ${roundTo2(doseMcg * 1000)} mcg)`,
      },
    ];
  }
  if (doseMcg > max) {
    return [
      {
        field,
        message: `${label} must be ${max} mcg or less: ${max} mcg is the top of the screening ladder (${limits.testDose.ladderMcg.join(', ')} mcg) and no larger test dose is given. Check the dose and its unit`,
      },
    ];
  }
  return [];
}

/** A bolus strength in mcg/mL: below the hard minimum it is mg/mL typed for mcg/mL. */
function bolusConcentrationErrors(field: string, value: number, hardLimits: HardLimits): FieldError[] {
  if (!Number.isFinite(value) || value <= 0) {
    return [
      { field, message: 'Concentration must be a number of micrograms per mL (mcg/mL) greater than 0' },
    ];
  }
  if (value < hardLimits.minConcentrationMcgPerMl) {
    return [
      {
        field,
        message: `Concentration must be in micrograms per mL (mcg/mL), at least ${hardLimits.minConcentrationMcgPerMl}: ${value} looks like milligrams per mL (${value} mg/mL is ${roundTo2(value * 1000)} mcg/mL)`,
      },
    ];
  }
  if (value > hardLimits.maxConcentrationMcgPerMl) {
    return [
      {
        field,
        message: `Concentration must be ${hardLimits.maxConcentrationMcgPerMl} mcg/mL or less; check the strength and its unit`,
      },
    ];
  }
  return [];
}

/**
 * BOLUS_OFF_LADDER when a test bolus is not the ladder's next rung (`expectedMcg`, null beyond
 * the ladder): inside the hard limit, so accepted only with a written reason (a 25 mcg first dose
 * for a small child [CHEO], or a protocol that goes from 50 to 100 mcg [BRIS-TD]).
 */
export function offLadderWarnings(
  doseMcg: number,
  expectedMcg: number | null,
  rules: TestDoseRules,
): ClinicalWarning[] {
  if (doseMcg === expectedMcg) {
    return [];
  }
  return [
    {
      code: 'BOLUS_OFF_LADDER',
      field: 'doseMcg',
      message:
        expectedMcg === null
          ? `Dose ${doseMcg} mcg is beyond the last step of the screening ladder (${rules.ladderMcg.join(', ')} mcg)`
          : `Dose ${doseMcg} mcg is not the next step of the screening ladder (${expectedMcg} mcg)`,
    },
  ];
}

/**
 * BOLUS_OFF_LADDER for a test dose given without its episode (the starting-dose calculation):
 * any dose that is not one of the ladder's rungs, such as 60 mcg.
 */
export function notOnLadderWarnings(doseMcg: number, rules: TestDoseRules): ClinicalWarning[] {
  if (rules.ladderMcg.includes(doseMcg)) {
    return [];
  }
  return [
    {
      code: 'BOLUS_OFF_LADDER',
      field: 'testDoseMcg',
      message: `Test dose ${doseMcg} mcg is not a dose on the screening ladder (${rules.ladderMcg.join(', ')} mcg)`,
    },
  ];
}

/** Titles people put before a name, which do not make it another person's. */
/** Titles written before a name; they do not tell two people apart. */
const TITLES = new Set(['dr', 'mr', 'mrs', 'ms', 'miss', 'mx', 'prof', 'professor', 'sister', 'nurse']);

/** The words of a name that identify the person: lower case, no titles, no bracketed notes. */
function nameWords(x: string): string[] {
  return (
    x
      .toLocaleLowerCase('en-GB')
      .replace(/\([^)]*\)/g, ' ')
      // A hyphen or apostrophe keeps a name whole: Consultant-Smith is not Consultant.
      .split(/[^\p{L}\p{N}'’-]+/u)
      .map((w) => w.replace(/^['’-]+|['’-]+$/gu, ''))
      .filter((w) => w !== '' && !TITLES.has(w))
  );
}

/**
 * Whether the name given for the second checker is the giver's own, as people write a name: in
 * any case or order, with titles ("Prof. Dr"), post-nominals or a role after it ("RN", ", ST5")
 * and notes in brackets. It is the giver's when every word of the giver's display name is in it,
 * or when it is the giver's username run together. Free text cannot prove who checked; this
 * stops the giver naming themself.
 */
function isGiversName(
  checker: string,
  giver: { readonly displayName: string; readonly username: string },
): boolean {
  const checkerWords = nameWords(checker);
  const displayWords = nameWords(giver.displayName);
  const words = new Set(checkerWords);
  const byDisplayName = displayWords.length > 0 && displayWords.every((w) => words.has(w));
  const byUsername =
    checkerWords.join('') !== '' && checkerWords.join('') === nameWords(giver.username).join('');
  return byDisplayName || byUsername;
}

/**
 * Checks a bolus: dose and concentration in their units (0.05 looks like milligrams), at most the
 * ladder's top rung (hard limit), the screening strength unless a reason is given, not in the
 * future, not before the episode started, at least minIntervalHours after the patient's previous
 * bolus, the ladder's next rung unless a reason is given (BOLUS_OFF_LADDER), and the name of a
 * second person who checked it.
 */
export function validateBolusInput(raw: unknown, ctx: BolusContext): Validated<BolusInput> {
  const parsed = validated(bolusFieldsSchema, raw);
  if (!parsed.ok) {
    return parsed;
  }
  const v = parsed.value;
  const concentration = v.concentrationMcgPerMl ?? ctx.rules.screeningConcentrationMcgPerMl;
  const errors: FieldError[] = [
    ...testBolusErrors('doseMcg', 'Dose', v.doseMcg, { hardLimits: ctx.hardLimits, testDose: ctx.rules }),
    ...bolusConcentrationErrors('concentrationMcgPerMl', concentration, ctx.hardLimits),
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
  } else if (ctx.episodeStartedAt !== null && Date.parse(v.givenAt) < Date.parse(ctx.episodeStartedAt)) {
    // The pre-checks come first [KRACH]: a bolus timed before them is a slip of the date or time.
    errors.push({
      field: 'givenAt',
      message: `Time given must not be before the test dose started (${formatInstant(ctx.episodeStartedAt, ctx.timeZone)}): check the date and time, or correct when the test dose started with its pre-checks`,
    });
  } else if (ctx.latestGivenAt !== null && !intervalKept(ctx.latestGivenAt, v.givenAt, ctx.rules)) {
    const earliest = earliestNextBolusAt(ctx.latestGivenAt, ctx.rules);
    errors.push({
      field: 'givenAt',
      message: `Time given must be at least ${ctx.rules.minIntervalHours} hours after the previous bolus (given on ${formatInstant(ctx.latestGivenAt, ctx.timeZone)}): the earliest allowed time is ${formatInstant(earliest, ctx.timeZone)}`,
    });
  }
  if (v.checkedBy === null) {
    errors.push({ field: 'checkedBy', message: CHECKED_BY_MISSING });
  } else if (isGiversName(v.checkedBy, ctx.giver)) {
    errors.push({
      field: 'checkedBy',
      message: `Checked by must be a second person, not you (${ctx.giver.displayName}): enter the name of the person who checked the dose drawn up`,
    });
  }
  if (!has('doseMcg')) {
    const expected = nextLadderDoseMcg(ctx.rules.ladderMcg, ctx.previousDoseMcg);
    const needed = reasonRequired(
      'offLadderReason',
      offLadderWarnings(v.doseMcg, expected, ctx.rules),
      v.offLadderReason,
    );
    if (needed) {
      errors.push(needed);
    }
  }
  if (errors.length > 0 || v.checkedBy === null) {
    return { ok: false, errors };
  }
  return { ok: true, value: { ...v, checkedBy: v.checkedBy, concentrationMcgPerMl: concentration } };
}
