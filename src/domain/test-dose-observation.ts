import { z } from 'zod';
import type { FieldError, Validated } from './field-error.ts';
import {
  MUSCLE_GROUP_LABELS,
  MUSCLE_GROUPS,
  masEntrySchema,
  SIDES,
  type MasEntry,
} from './outcome-measures.ts';
import type { TestDoseRules } from './pump-rules.ts';
import { optionalText } from './schema-fields.ts';
import { MAX_TEXT, nullable, validated, wholeNumberIn } from './test-dose-fields.ts';
import { formatInstant, instantField, MS_PER_HOUR } from './test-dose-time.ts';

/** Observations after a test bolus at the configured hours (clinical-reference.md section 3). */

// ---------------------------------------------------------------------------------------------
// Choices

/**
 * Side effects watched for on the day: the expected transient ones [MDT-BENEFIT] and what the
 * practitioner survey monitors (hypotension, desaturation) [CMSC-SURV].
 */
export const SIDE_EFFECTS = [
  { id: 'drowsiness', label: 'Drowsiness or sleepiness' },
  { id: 'nausea-vomiting', label: 'Nausea or vomiting' },
  { id: 'headache', label: 'Headache' },
  { id: 'dizziness', label: 'Dizziness' },
  { id: 'hypotension', label: 'Low blood pressure (hypotension)' },
  { id: 'low-oxygen-saturation', label: 'Low oxygen saturation' },
  { id: 'weakness', label: 'Weakness or floppiness' },
  { id: 'other', label: 'Other (describe in the note)' },
] as const;
export type SideEffect = (typeof SIDE_EFFECTS)[number]['id'];
const SIDE_EFFECT_IDS = SIDE_EFFECTS.map((s) => s.id) as [SideEffect, ...SideEffect[]];
/** One side effect, by its id from the list. */
export const sideEffectSchema = z.enum(SIDE_EFFECT_IDS, { error: 'Select side effects from the list' });
export const SIDE_EFFECT_LABELS = Object.fromEntries(SIDE_EFFECTS.map((s) => [s.id, s.label])) as Readonly<
  Record<SideEffect, string>
>;

/**
 * Plausible ranges for vital signs, to catch typing slips (not clinical thresholds: a value in
 * range can still need action).
 */
export const VITAL_SIGNS = [
  { id: 'heartRateBpm', label: 'Heart rate', unit: 'beats a minute', min: 20, max: 250 },
  { id: 'systolicMmHg', label: 'Systolic blood pressure', unit: 'mmHg', min: 40, max: 300 },
  { id: 'diastolicMmHg', label: 'Diastolic blood pressure', unit: 'mmHg', min: 20, max: 200 },
  { id: 'respiratoryRatePerMin', label: 'Respiratory rate', unit: 'breaths a minute', min: 4, max: 60 },
  { id: 'spo2Percent', label: 'Oxygen saturation (SpO2)', unit: '%', min: 50, max: 100 },
] as const;
export type VitalSign = (typeof VITAL_SIGNS)[number]['id'];

// ---------------------------------------------------------------------------------------------
// Observations

export interface Observation {
  /** Hours after the bolus; 0 is the baseline, taken before it. */
  readonly hour: number;
  /**
   * The clock time it was taken (UTC instant), checked against the bolus time and the hour;
   * null on observations recorded before the time was kept.
   */
  readonly observedAt: string | null;
  readonly mas: readonly MasEntry[];
  readonly pennFrequency: number | null;
  readonly heartRateBpm: number | null;
  readonly systolicMmHg: number | null;
  readonly diastolicMmHg: number | null;
  readonly respiratoryRatePerMin: number | null;
  readonly spo2Percent: number | null;
  readonly sideEffects: readonly SideEffect[];
  readonly sideEffectNote: string | null;
  readonly note: string | null;
}

const vital = (id: VitalSign) => {
  const v = VITAL_SIGNS.find((s) => s.id === id) ?? VITAL_SIGNS[0];
  return nullable(wholeNumberIn(v.label, v.min, v.max, v.unit));
};

export const observationInputSchema = z.object({
  hour: z.number({ error: 'Select the observation time (hours after the bolus)' }),
  observedAt: instantField('Time observed'),
  mas: z
    .array(masEntrySchema, { error: 'Ashworth grades must be a list' })
    .max(MUSCLE_GROUPS.length * SIDES.length, { error: 'Each muscle group and side can be graded once' })
    .default([]),
  pennFrequency: nullable(wholeNumberIn('Penn spasm frequency', 0, 4, '')),
  heartRateBpm: vital('heartRateBpm'),
  systolicMmHg: vital('systolicMmHg'),
  diastolicMmHg: vital('diastolicMmHg'),
  respiratoryRatePerMin: vital('respiratoryRatePerMin'),
  spo2Percent: vital('spo2Percent'),
  sideEffects: z
    .array(sideEffectSchema, {
      error: 'Side effects must be a list',
    })
    .default([]),
  sideEffectNote: optionalText('Side effect note', MAX_TEXT),
  note: optionalText('Note', MAX_TEXT),
});

export function hourLabel(hour: number): string {
  return hour === 0 ? 'Baseline (before the bolus)' : `${hour} hours`;
}

/** What an observation's clock time is checked against. */
export interface ObservationTiming {
  /** When the bolus was given (UTC instant). */
  readonly bolusGivenAt: string;
  /** When the episode started: nothing of it, not even the baseline, comes before. */
  readonly episodeStartedAt: string;
  readonly now: string;
  readonly timeZone: string;
}

/** "30 minutes", "1 hour", "3 hours 50 minutes": a span as people say it. */
export function spanText(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const hours = h === 0 ? '' : `${h} hour${h === 1 ? '' : 's'}`;
  const mins = m === 0 && h > 0 ? '' : `${m} minute${m === 1 ? '' : 's'}`;
  return [hours, mins].filter((x) => x !== '').join(' ');
}

/**
 * The clock time of an observation against its label. The baseline is taken before the bolus
 * and after the episode started; an observation labelled h hours is taken after the bolus, within
 * the configured tolerance of the bolus time plus h hours. The effect peaks at 2–4 h and has
 * mostly gone by 8 h (clinical-reference.md 3, "Time course and monitoring" [GIL-TD]), so a
 * "4 hours" grade taken 30 minutes after the bolus would read the wrong part of the curve and
 * could make a response look absent, or present, when the criterion reads it [STROKE].
 */
export function observationTimeError(
  hour: number,
  observedAt: string,
  rules: TestDoseRules,
  t: ObservationTiming,
): FieldError | null {
  const field = 'observedAt';
  const at = Date.parse(observedAt);
  const given = Date.parse(t.bolusGivenAt);
  const when = (ms: number) => formatInstant(new Date(ms).toISOString(), t.timeZone);
  if (at > Date.parse(t.now)) {
    return { field, message: 'Time observed must not be in the future' };
  }
  if (at < Date.parse(t.episodeStartedAt)) {
    return {
      field,
      message: `Time observed must not be before the test dose started (${when(Date.parse(t.episodeStartedAt))})`,
    };
  }
  if (hour === 0) {
    return at > given
      ? {
          field,
          message: `Time observed: the baseline is taken before the bolus, given on ${when(given)}; ${when(at)} is ${spanText(at - given)} after it`,
        }
      : null;
  }
  if (at < given) {
    return {
      field,
      message: `Time observed: the ${hour}-hour observation cannot be before the bolus, given on ${when(given)}; ${when(at)} is ${spanText(given - at)} before it`,
    };
  }
  const due = given + hour * MS_PER_HOUR;
  const tolerance = rules.observationToleranceMinutes * 60_000;
  if (Math.abs(at - due) > tolerance) {
    return {
      field,
      message: `Time observed: the ${hour}-hour observation is taken ${hour} hours after the bolus, at ${when(due)}, give or take ${rules.observationToleranceMinutes} minutes; ${when(at)} is ${spanText(at - given)} after the bolus. Choose the hour it was taken at, or correct the time`,
    };
  }
  return null;
}

/**
 * Checks one observation: the hour is one of the configured ones and not yet recorded for this
 * bolus, its clock time fits the hour (observationTimeError), grades once per muscle group and
 * side, diastolic below systolic, 'other' described, and at least one measure.
 */
export function validateObservationInput(
  raw: unknown,
  ctx: {
    readonly rules: TestDoseRules;
    readonly recordedHours: readonly number[];
    readonly timing: ObservationTiming;
  },
): Validated<Observation> {
  const parsed = validated(observationInputSchema, raw);
  if (!parsed.ok) {
    return parsed;
  }
  const v = parsed.value;
  const errors: FieldError[] = [];
  if (!ctx.rules.observationHours.includes(v.hour)) {
    errors.push({
      field: 'hour',
      message: `Observation time must be one of ${ctx.rules.observationHours.join(', ')} hours after the bolus (0 is the baseline)`,
    });
  } else if (ctx.recordedHours.includes(v.hour)) {
    errors.push({
      field: 'hour',
      message: `${v.hour === 0 ? 'The baseline observation' : `The ${v.hour}-hour observation`} has already been recorded for this bolus`,
    });
  } else {
    const late = observationTimeError(v.hour, v.observedAt, ctx.rules, ctx.timing);
    if (late) {
      errors.push(late);
    }
  }
  const seen = new Set<string>();
  v.mas.forEach((e, i) => {
    const key = `${e.muscleGroup}/${e.side}`;
    if (seen.has(key)) {
      errors.push({
        field: `mas.${i}.muscleGroup`,
        message: `${MUSCLE_GROUP_LABELS[e.muscleGroup]}, ${e.side}: graded more than once in this observation`,
      });
    }
    seen.add(key);
  });
  if (v.systolicMmHg !== null && v.diastolicMmHg !== null && v.diastolicMmHg >= v.systolicMmHg) {
    errors.push({
      field: 'diastolicMmHg',
      message: 'Diastolic blood pressure must be lower than the systolic pressure',
    });
  }
  if (v.sideEffects.includes('other') && v.sideEffectNote === null) {
    errors.push({
      field: 'sideEffectNote',
      message: 'Describe the other side effect in the side effect note',
    });
  }
  const anyMeasure =
    v.mas.length > 0 ||
    v.pennFrequency !== null ||
    VITAL_SIGNS.some((s) => v[s.id] !== null) ||
    v.sideEffects.length > 0;
  if (!anyMeasure) {
    errors.push({
      field: 'observation',
      message:
        'Record at least one measure: an Ashworth grade, Penn spasm frequency, a vital sign or a side effect',
    });
  }
  if (errors.length > 0) {
    return { ok: false, errors };
  }
  return { ok: true, value: { ...v, sideEffects: [...new Set(v.sideEffects)] } };
}
