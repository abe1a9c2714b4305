import { z } from 'zod';
import type { FieldError, Validated } from './field-error.ts';
import { MUSCLE_GROUP_LABELS, SIDE_LABELS, type MasEntry, type MasGrade } from './outcome-measures.ts';
import { MAX_OBSERVATION_HOURS, type TestDoseRules } from './pump-rules.ts';
import { round2 } from './refill-arithmetic.ts';
import { optionalText } from './schema-fields.ts';
import type { EpisodeState } from './test-dose.ts';
import { isLastRung } from './test-dose-bolus.ts';
import { MAX_TEXT, nullable, validated } from './test-dose-fields.ts';
import { hourLabel, SIDE_EFFECT_LABELS, type Observation, type SideEffect } from './test-dose-observation.ts';

/**
 * The suggested result of a test bolus [STROKE] and the result the clinician confirms, with the
 * effect duration the starting dose reads (clinical-reference.md section 3).
 */

// ---------------------------------------------------------------------------------------------
// Choices

export const TEST_RESULTS = ['positive', 'negative'] as const;
export type TestResult = (typeof TEST_RESULTS)[number];
export const TEST_RESULT_LABELS: Readonly<Record<TestResult, string>> = {
  positive: 'Positive response',
  negative: 'No adequate response (negative)',
};

export const SUGGESTED_OUTCOMES = [...TEST_RESULTS, 'incomplete'] as const;
export type SuggestedOutcome = (typeof SUGGESTED_OUTCOMES)[number];
export const SUGGESTED_OUTCOME_LABELS: Readonly<Record<SuggestedOutcome, string>> = {
  positive: 'Positive',
  negative: 'Negative',
  incomplete: 'Not enough observations to suggest a result',
};

/** Longest effect a clinician may enter: the same bound as the observation hours (pump-rules.ts). */
export const MAX_EFFECT_HOURS = MAX_OBSERVATION_HOURS;

// ---------------------------------------------------------------------------------------------
// The suggestion [STROKE], configurable per clinical-reference.md 3, "Positive response"

/**
 * A grade's value for averaging. MAS grades are stored as text [MAS]; for the mean the
 * criterion needs, 1+ counts as 1.5, halfway between 1 and 2, so a drop from 1+ to 0 is 1.5.
 */
export function masPoints(grade: MasGrade): number {
  return grade === '1+' ? 1.5 : Number(grade);
}

export interface TestDoseSuggestion {
  readonly outcome: SuggestedOutcome;
  /** Why, in a sentence a clinician can check. */
  readonly explanation: string;
  /** The hour the criterion reads (positiveAtHour). */
  readonly atHour: number;
  /** Mean grade of the groups scored at baseline; null without a baseline. */
  readonly baselineMean: number | null;
  /** Mean grade of the same groups and sides at the criterion hour. */
  readonly atHourMean: number | null;
  readonly drop: number | null;
  /** How many muscle group and side pairs were compared. */
  readonly comparedPairs: number;
  /** The last observation hour at which the drop criterion still held; null when it never did. */
  readonly effectHours: number | null;
  /** The drop still held at the last configured hour: the effect may have lasted longer. */
  readonly effectOutlastedObservations: boolean;
  /**
   * The first observation after effectHours, every baseline group graded, at which the drop no
   * longer held: the effect ended between effectHours and this hour. Null when none was recorded.
   */
  readonly effectGoneByHour: number | null;
}

/** sum(baseline) − sum(at hour) over the baseline's pairs, or null when any pair is not graded then. */
function dropSum(baseline: readonly MasEntry[], later: readonly MasEntry[]): number | null {
  let sum = 0;
  for (const b of baseline) {
    const l = later.find((e) => e.muscleGroup === b.muscleGroup && e.side === b.side);
    if (!l) {
      return null;
    }
    sum += masPoints(b.grade) - masPoints(l.grade);
  }
  return sum;
}

function pairNames(pairs: readonly MasEntry[]): string {
  return pairs
    .map((p) => `${MUSCLE_GROUP_LABELS[p.muscleGroup]} (${SIDE_LABELS[p.side].toLowerCase()})`)
    .join(', ');
}

/**
 * The suggested result of one bolus: positive when the mean Ashworth grade of the muscle groups
 * scored at baseline falls by at least positiveDropPoints at the positiveAtHour observation,
 * the same groups and sides compared; incomplete when the baseline, that observation, or any
 * baseline group at that hour is missing; negative otherwise. The drop is compared as sums
 * (sum of drops ≥ points × pairs), so halves from 1+ never meet rounding.
 */
export function testDoseSuggestion(
  observations: readonly Pick<Observation, 'hour' | 'mas'>[],
  rules: TestDoseRules,
): TestDoseSuggestion {
  const atHour = rules.positiveAtHour;
  const none = {
    atHour,
    baselineMean: null,
    atHourMean: null,
    drop: null,
    comparedPairs: 0,
    effectHours: null,
    effectOutlastedObservations: false,
    effectGoneByHour: null,
  };
  const baseline = observations.find((o) => o.hour === 0);
  if (!baseline || baseline.mas.length === 0) {
    return {
      ...none,
      outcome: 'incomplete',
      explanation: 'No baseline Ashworth grades have been recorded (the observation before the bolus)',
    };
  }
  const n = baseline.mas.length;
  const baselineSum = baseline.mas.reduce((s, e) => s + masPoints(e.grade), 0);
  const baselineMean = baselineSum / n;
  const held = (o: Pick<Observation, 'mas'>) => {
    const d = dropSum(baseline.mas, o.mas);
    return d !== null && d >= rules.positiveDropPoints * n;
  };
  const heldHours = observations.filter((o) => o.hour > 0 && held(o)).map((o) => o.hour);
  const effectHours = heldHours.length > 0 ? Math.max(...heldHours) : null;
  const lastHour = Math.max(...rules.observationHours);
  // effectHours is the last hour the drop held, so every fully graded observation after it is
  // one where it no longer did; an observation missing a group tells nothing either way.
  const goneHours = observations
    .filter((o) => effectHours !== null && o.hour > effectHours && dropSum(baseline.mas, o.mas) !== null)
    .map((o) => o.hour);
  const effect = {
    effectHours,
    effectOutlastedObservations: effectHours !== null && effectHours >= lastHour,
    effectGoneByHour: goneHours.length > 0 ? Math.min(...goneHours) : null,
  };
  const at = observations.find((o) => o.hour === atHour);
  if (!at) {
    return {
      ...none,
      ...effect,
      baselineMean,
      comparedPairs: n,
      outcome: 'incomplete',
      explanation: `The ${atHour}-hour observation, which the criterion reads, has not been recorded`,
    };
  }
  const missing = baseline.mas.filter(
    (b) => !at.mas.some((e) => e.muscleGroup === b.muscleGroup && e.side === b.side),
  );
  if (missing.length > 0) {
    return {
      ...none,
      ...effect,
      baselineMean,
      comparedPairs: n,
      outcome: 'incomplete',
      explanation: `Graded at baseline but not at ${atHour} hours: ${pairNames(missing)}`,
    };
  }
  const sumDrop = dropSum(baseline.mas, at.mas) ?? 0;
  const drop = sumDrop / n;
  const positive = sumDrop >= rules.positiveDropPoints * n;
  const atHourMean = (baselineSum - sumDrop) / n;
  return {
    ...effect,
    atHour,
    baselineMean,
    atHourMean,
    drop,
    comparedPairs: n,
    outcome: positive ? 'positive' : 'negative',
    explanation: `Mean Ashworth grade of the ${n} muscle group${n === 1 ? '' : 's'} and side${n === 1 ? '' : 's'} graded at baseline fell from ${round2(baselineMean)} to ${round2(atHourMean)} at ${atHour} hours, a drop of ${round2(drop)}; a positive response needs a drop of at least ${rules.positiveDropPoints}`,
  };
}

// ---------------------------------------------------------------------------------------------
// The result, confirmed by the clinician

export interface ResultInput {
  readonly result: TestResult;
  /** Required when the result differs from the suggestion (or there was none). */
  readonly reason: string | null;
  /** For a positive result: how long the effect lasted (the starting-dose rule reads it). */
  readonly effectHours: number | null;
  readonly adverseReactions: boolean;
  readonly adverseNote: string | null;
  readonly note: string | null;
}

export const resultInputSchema = z.object({
  result: z.enum(TEST_RESULTS, { error: 'Select the result: positive or negative' }),
  reason: optionalText('Reason', MAX_TEXT),
  effectHours: nullable(z.number({ error: 'Effect duration must be a number of hours' })),
  adverseReactions: z.boolean({ error: 'Answer whether there were adverse reactions: yes or no' }),
  adverseNote: optionalText('Adverse reaction note', MAX_TEXT),
  note: optionalText('Note', MAX_TEXT),
});

export interface EffectDurationAdvice {
  /** The duration the form may offer when none is entered; null when it must be entered. */
  readonly defaultHours: number | null;
  /** Why it must be entered, in a sentence the result form shows; null when a default is offered. */
  readonly mustEnterBecause: string | null;
  /** The effect lasted at least this long: the drop still held at this observation. */
  readonly atLeastHours: number | null;
}

/**
 * What the effect duration may default to. The observations only bound it: the drop held at
 * effectHours (h) and had gone at effectGoneByHour (h'), so the effect ended between h and h'.
 * A duration over `longEffectHours` gives a starting dose equal to the test dose rather than
 * twice it [LABEL-SKY], [CHEO], so h is offered only when every duration from h to h' gives the
 * same rule (h' ≤ longEffectHours): a default must never give the higher dose when the truth
 * might give the lower one. Otherwise, or when the effect outlasted the observations, or no
 * later observation shows it gone, the clinician enters the duration.
 */
export function effectDurationAdvice(s: TestDoseSuggestion, longEffectHours: number): EffectDurationAdvice {
  const h = s.effectHours;
  if (h === null) {
    return {
      defaultHours: null,
      mustEnterBecause:
        'No observation shows the Ashworth drop holding: enter how many hours the effect lasted',
      atLeastHours: null,
    };
  }
  const enter = (because: string): EffectDurationAdvice => ({
    defaultHours: null,
    mustEnterBecause: `${because}. A duration over ${longEffectHours} hours gives a starting dose equal to the test dose, not twice it, so enter how many hours the effect lasted`,
    atLeastHours: h,
  });
  if (s.effectOutlastedObservations) {
    return enter(
      `The drop still held at ${h} hours, the last observation: the effect may have lasted longer`,
    );
  }
  const gone = s.effectGoneByHour;
  if (gone === null) {
    return enter(
      `The drop held at ${h} hours and no later observation shows it gone: the effect may have lasted longer`,
    );
  }
  if (gone > longEffectHours) {
    return enter(
      `The drop held at ${h} hours and had gone by ${gone} hours: the effect lasted between the two`,
    );
  }
  return { defaultHours: h, mustEnterBecause: null, atLeastHours: h };
}

/** Side effects observed after one bolus of the episode, at one hour. */
export interface ObservedSigns {
  /** The bolus's place in the episode: 1, 2, 3. */
  readonly sequence: number;
  readonly hour: number;
  readonly sideEffects: readonly SideEffect[];
}

/**
 * "No adverse reactions" contradicting what was observed in the episode: every side effect on
 * the watch list (drowsiness, nausea, hypotension, falling oxygen saturation … [MDT-BENEFIT],
 * [CMSC-SURV]) seen after any of its boluses. The answer feeds the starting dose (a dose after
 * adverse reactions is not doubled [LABEL-SKY]) and the record the implant team reads, so it
 * cannot say "none" over a sign someone recorded; null when nothing was observed.
 */
export function adverseReactionsContradiction(observed: readonly ObservedSigns[]): FieldError | null {
  const seen = observed.filter((o) => o.sideEffects.length > 0);
  if (seen.length === 0) {
    return null;
  }
  const listed = seen
    .map(
      (o) =>
        `${o.sideEffects.map((e) => SIDE_EFFECT_LABELS[e].toLowerCase()).join(', ')} (bolus ${o.sequence}, ${o.hour === 0 ? 'baseline' : hourLabel(o.hour)})`,
    )
    .join('; ');
  return {
    field: 'adverseReactions',
    message: `Adverse reactions cannot be "no": ${listed} ${seen.length === 1 && (seen[0]?.sideEffects.length ?? 0) === 1 ? 'was' : 'were'} observed in this test dose. Answer yes and describe them`,
  };
}

/**
 * Checks the clinician's result against the suggestion: a different result (or any result when
 * the suggestion is incomplete) needs a reason; a positive result needs the effect duration,
 * which defaults to the suggestion's only when that cannot give the higher starting dose
 * (effectDurationAdvice), and is never shorter than the observations show; adverse reactions
 * are described, and not denied after one was observed (adverseReactionsContradiction).
 */
export function validateResultInput(
  raw: unknown,
  suggestion: TestDoseSuggestion,
  ctx: { readonly longEffectHours: number; readonly observed: readonly ObservedSigns[] },
): Validated<ResultInput> {
  const parsed = validated(resultInputSchema, raw);
  if (!parsed.ok) {
    return parsed;
  }
  const v = parsed.value;
  const errors: FieldError[] = [];
  if (v.result !== suggestion.outcome && v.reason === null) {
    errors.push({
      field: 'reason',
      message:
        suggestion.outcome === 'incomplete'
          ? 'Give a reason for the result: the observations are not complete enough to suggest one'
          : `Give a reason for a result that differs from the suggestion (${SUGGESTED_OUTCOME_LABELS[suggestion.outcome].toLowerCase()})`,
    });
  }
  let effectHours: number | null = null;
  if (v.result === 'positive') {
    const advice = effectDurationAdvice(suggestion, ctx.longEffectHours);
    effectHours = v.effectHours ?? advice.defaultHours;
    if (effectHours === null) {
      errors.push({
        field: 'effectHours',
        message: advice.mustEnterBecause ?? 'Enter how many hours the effect lasted',
      });
    } else if (!Number.isFinite(effectHours) || effectHours <= 0 || effectHours > MAX_EFFECT_HOURS) {
      errors.push({
        field: 'effectHours',
        message: `Effect duration must be a number of hours greater than 0 and at most ${MAX_EFFECT_HOURS}`,
      });
    } else if (advice.atLeastHours !== null && effectHours < advice.atLeastHours) {
      // A shorter figure than the observations show could double a dose that should not be.
      errors.push({
        field: 'effectHours',
        message: `Effect duration must be at least ${advice.atLeastHours} hours: the Ashworth drop still held at the ${advice.atLeastHours}-hour observation`,
      });
    }
  }
  if (v.adverseReactions && v.adverseNote === null) {
    errors.push({ field: 'adverseNote', message: 'Describe the adverse reactions' });
  }
  const contradiction = v.adverseReactions ? null : adverseReactionsContradiction(ctx.observed);
  if (contradiction) {
    errors.push(contradiction);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: { ...v, effectHours } };
}

/**
 * Where an episode goes after a result: positive closes it; no response at the last rung (or
 * above it) means not for implant [LABEL-SUM]; no response lower down leaves it open for the
 * next rung at least minIntervalHours later.
 */
export function episodeStateAfterResult(
  result: TestResult,
  doseMcg: number,
  rules: TestDoseRules,
): EpisodeState {
  if (result === 'positive') {
    return 'positive';
  }
  return isLastRung(doseMcg, rules.ladderMcg) ? 'not-for-implant' : 'open';
}
