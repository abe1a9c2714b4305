import { z } from 'zod';
import { formatPlainDate, parsePlainDate, type PlainDate } from './calendar-date.ts';
import type { FieldError, Validated } from './field-error.ts';
import {
  MUSCLE_GROUP_LABELS,
  MUSCLE_GROUPS,
  masEntrySchema,
  SIDE_LABELS,
  SIDES,
  type MasEntry,
  type MasGrade,
} from './outcome-measures.ts';
import { zodIssuesToFieldErrors } from './patient.ts';
import { MAX_OBSERVATION_HOURS, type HardLimits, type TestDoseRules } from './pump-rules.ts';
import { concentrationErrors, doseErrors, round2 } from './refill-arithmetic.ts';
import { optionalText, plainDateField, requiredText } from './schema-fields.ts';

/**
 * The test-dose (screening) episode (clinical-reference.md section 3): pre-checks [KRACH], each
 * intrathecal bolus on the ladder at least 24 h apart [LABEL-SUM], [BACINFO], observations at
 * the configured hours, a suggested result by the configured criterion [STROKE] and the
 * clinician's confirmation. Pure: "now", "today" and the time zone are arguments, and every
 * clinical number comes from `TestDoseRules` (pump-rules.ts).
 */

// ---------------------------------------------------------------------------------------------
// Choices

export const EPISODE_STATES = ['open', 'positive', 'not-for-implant', 'abandoned'] as const;
export type EpisodeState = (typeof EPISODE_STATES)[number];
export const EPISODE_STATE_LABELS: Readonly<Record<EpisodeState, string>> = {
  open: 'In progress',
  positive: 'Positive: suitable for implant',
  'not-for-implant': 'Not for implant: no response at the highest test dose',
  abandoned: 'Abandoned',
};

/** By lumbar puncture or through a spinal catheter [LABEL-SUM]; Bristol places a lumbar catheter [BRIS-TD]. */
export const BOLUS_ROUTES = ['lumbar-puncture', 'catheter'] as const;
export type BolusRoute = (typeof BOLUS_ROUTES)[number];
export const BOLUS_ROUTE_LABELS: Readonly<Record<BolusRoute, string>> = {
  'lumbar-puncture': 'Lumbar puncture',
  catheter: 'Spinal catheter',
};

export const TEST_RESULTS = ['positive', 'negative'] as const;
export type TestResult = (typeof TEST_RESULTS)[number];
export const TEST_RESULT_LABELS: Readonly<Record<TestResult, string>> = {
  positive: 'Positive response',
  negative: 'No adequate response (negative)',
};

export type SuggestedOutcome = TestResult | 'incomplete';
export const SUGGESTED_OUTCOME_LABELS: Readonly<Record<SuggestedOutcome, string>> = {
  positive: 'Positive',
  negative: 'Negative',
  incomplete: 'Not enough observations to suggest a result',
};

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

export const MAX_TEXT = 2000;
/** Longest effect a clinician may enter: the same bound as the observation hours (pump-rules.ts). */
export const MAX_EFFECT_HOURS = MAX_OBSERVATION_HOURS;

// ---------------------------------------------------------------------------------------------
// Shared schema pieces

const nullable = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? null);

const yesNo = (message: string) => nullable(z.boolean({ error: message }));

const wholeNumberIn = (label: string, min: number, max: number, unit: string) => {
  const message = `${label} must be a whole number from ${min} to ${max} ${unit}`;
  return z
    .number({ error: message })
    .int({ error: message })
    .min(min, { error: message })
    .max(max, { error: message });
};

function validated<T>(schema: z.ZodType<T>, raw: unknown): Validated<T> {
  const parsed = schema.safeParse(raw);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, errors: zodIssuesToFieldErrors(parsed.error.issues) };
}

// ---------------------------------------------------------------------------------------------
// Pre-checks [KRACH]

export interface PreChecks {
  /** true: the patient has no infection or wound (confirmed). false: there is one; postpone. */
  readonly noInfection: boolean | null;
  readonly infectionNote: string | null;
  /** Anticoagulant and antiplatelet status reviewed before the lumbar puncture. */
  readonly anticoagulantsReviewed: boolean | null;
  readonly anticoagulantNote: string | null;
  /** Botulinum toxin, phenol or alcohol injections recently (they can mask the test). */
  readonly recentBotulinumToxin: boolean | null;
  readonly botulinumToxinOn: PlainDate | null;
  readonly botulinumToxinNote: string | null;
  /** Whether oral antispasmodics are continued or weaned, decided in advance. */
  readonly oralAntispasmodicPlan: string | null;
  /** What the screening should show, defined beforehand. */
  readonly goals: string;
}

export const preChecksInputSchema = z.object({
  noInfection: yesNo('Answer whether the patient is free of infection and wounds: yes or no'),
  infectionNote: optionalText('Infection note', MAX_TEXT),
  anticoagulantsReviewed: yesNo('Answer whether anticoagulants and antiplatelets were reviewed: yes or no'),
  anticoagulantNote: optionalText('Anticoagulant note', MAX_TEXT),
  recentBotulinumToxin: yesNo(
    'Answer whether there were botulinum toxin, phenol or alcohol injections in the last 3 months: yes or no',
  ),
  botulinumToxinOn: nullable(plainDateField('Date of the last injection')),
  botulinumToxinNote: optionalText('Injection note', MAX_TEXT),
  oralAntispasmodicPlan: optionalText('Plan for oral antispasmodics', MAX_TEXT),
  goals: requiredText('Goals for the screening', MAX_TEXT),
});

/**
 * Checks the pre-checks. Questions may be left unanswered (null) while the episode is prepared;
 * preCheckBlockers says what must be answered before a bolus.
 */
export function validatePreChecks(
  raw: unknown,
  context: { readonly today: PlainDate },
): Validated<PreChecks> {
  const parsed = validated(preChecksInputSchema, raw);
  if (!parsed.ok) {
    return parsed;
  }
  const v = parsed.value;
  const errors: FieldError[] = [];
  if (v.recentBotulinumToxin === true && v.botulinumToxinOn === null && v.botulinumToxinNote === null) {
    errors.push({
      field: 'botulinumToxinOn',
      message: 'Enter the date of the last botulinum toxin, phenol or alcohol injection, or a note about it',
    });
  }
  if (v.recentBotulinumToxin !== true && (v.botulinumToxinOn !== null || v.botulinumToxinNote !== null)) {
    errors.push({
      field: v.botulinumToxinOn !== null ? 'botulinumToxinOn' : 'botulinumToxinNote',
      message:
        'Date and note of the last injection are only recorded when there were injections in the last 3 months: answer yes, or clear them',
    });
  }
  if (v.botulinumToxinOn !== null && v.botulinumToxinOn > context.today) {
    errors.push({
      field: 'botulinumToxinOn',
      message: 'Date of the last injection must be today or in the past',
    });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: v };
}

/** A new episode: the pre-checks, optionally linked to the selection assessment that led to it. */
export const episodeInputSchema = preChecksInputSchema.extend({
  assessmentId: optionalText('Selection assessment', 100),
});

export function validateEpisodeInput(
  raw: unknown,
  context: { readonly today: PlainDate },
): Validated<{ readonly assessmentId: string | null; readonly preChecks: PreChecks }> {
  const link = z.object({ assessmentId: episodeInputSchema.shape.assessmentId }).safeParse(raw);
  const preChecks = validatePreChecks(raw, context);
  const errors = [
    ...(link.success ? [] : zodIssuesToFieldErrors(link.error.issues)),
    ...(preChecks.ok ? [] : preChecks.errors),
  ];
  if (!link.success || !preChecks.ok) {
    return { ok: false, errors: errors.filter((e, i) => errors.findIndex((x) => x.field === e.field) === i) };
  }
  return { ok: true, value: { assessmentId: link.data.assessmentId, preChecks: preChecks.value } };
}

/**
 * What stops a bolus being given: every pre-check answered, no infection or wound, and the
 * anticoagulant and antiplatelet status reviewed before the needle goes in [KRACH]. An infection
 * means postponing the test, so it is a blocker, not a warning.
 */
export function preCheckBlockers(p: PreChecks): FieldError[] {
  const blockers: FieldError[] = [];
  if (p.noInfection === null) {
    blockers.push({ field: 'noInfection', message: 'Answer the check for infection or wounds' });
  } else if (!p.noInfection) {
    blockers.push({
      field: 'noInfection',
      message: 'The patient has an infection or a wound: postpone the test dose until it has cleared',
    });
  }
  if (p.anticoagulantsReviewed === null) {
    blockers.push({
      field: 'anticoagulantsReviewed',
      message: 'Answer whether anticoagulants and antiplatelets were reviewed',
    });
  } else if (!p.anticoagulantsReviewed) {
    blockers.push({
      field: 'anticoagulantsReviewed',
      message: 'Review anticoagulant and antiplatelet medicines before the test dose is given',
    });
  }
  if (p.recentBotulinumToxin === null) {
    blockers.push({
      field: 'recentBotulinumToxin',
      message: 'Answer whether there were recent botulinum toxin, phenol or alcohol injections',
    });
  }
  if (p.oralAntispasmodicPlan === null) {
    blockers.push({
      field: 'oralAntispasmodicPlan',
      message: 'Record the plan for oral antispasmodics (continue or wean)',
    });
  }
  return blockers;
}

// ---------------------------------------------------------------------------------------------
// Dates and times: entered as local wall time, stored as UTC instants

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    partsFormatters.set(timeZone, f);
  }
  return f;
}

interface WallTime {
  readonly date: PlainDate;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** "GMT", "BST" for Europe/London. */
  readonly zoneName: string;
}

/** The wall-clock time of an instant (milliseconds since the epoch) in a time zone. */
function wallTime(ms: number, timeZone: string): WallTime {
  const parts = Object.fromEntries(
    partsFormatter(timeZone)
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  const num = (k: string) => Number(parts[k] ?? 0);
  return {
    date: `${parts.year ?? ''}-${parts.month ?? ''}-${parts.day ?? ''}` as PlainDate,
    hour: num('hour'),
    minute: num('minute'),
    second: num('second'),
    zoneName: parts.timeZoneName ?? '',
  };
}

/** The zone's offset from UTC at an instant, in minutes (60 for BST). */
function offsetMinutes(ms: number, timeZone: string): number {
  const w = wallTime(ms, timeZone);
  const [y, m, d] = w.date.split('-').map(Number) as [number, number, number];
  const asUtc = Date.UTC(y, m - 1, d, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

const MS_PER_HOUR = 3_600_000;

/** "10:00 on 25 October 2026 (GMT)": an instant as people in the service read it. */
export function formatInstant(iso: string, timeZone: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) {
    return iso;
  }
  const w = wallTime(ms, timeZone);
  const hhmm = `${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}`;
  return `${hhmm} on ${formatPlainDate(w.date)}${w.zoneName ? ` (${w.zoneName})` : ''}`;
}

/** The local date and time (HH:MM) of an instant, to fill a form's boxes again. */
export function localDateAndTime(iso: string, timeZone: string): { date: PlainDate; time: string } {
  const w = wallTime(Date.parse(iso), timeZone);
  return { date: w.date, time: `${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}` };
}

function signedOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * A local date and time ("HH:MM", optionally with its UTC offset, "01:30+01:00") as a UTC
 * instant. A time skipped when the clocks go forward does not exist and is refused; a time
 * that happens twice when they go back is refused unless the offset says which, because
 * guessing would move the bolus an hour and break the 24-hour rule one way or the other.
 */
export function instantFromLocal(
  field: string,
  label: string,
  date: PlainDate,
  time: string,
  timeZone: string,
): { readonly instant: string } | { readonly error: FieldError } {
  const m = /^(\d{1,2})[:.](\d{2})\s*(?:([+-])(\d{2}):?(\d{2}))?$/.exec(time.trim());
  const hour = Number(m?.[1]);
  const minute = Number(m?.[2]);
  if (!m || hour > 23 || minute > 59) {
    return {
      error: { field, message: `${label} must be a time on the 24-hour clock, like 09:30 or 14:05` },
    };
  }
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, mo - 1, d, hour, minute);
  const hhmm = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
  const when = `${hhmm} on ${formatPlainDate(date)}`;
  // Every offset the zone uses around that day; keep those that give back the same wall time.
  const offsets = new Set([-36, -12, 0, 12, 36].map((h) => offsetMinutes(wall + h * MS_PER_HOUR, timeZone)));
  const candidates = [...offsets]
    .map((o) => wall - o * 60_000)
    .filter((ms) => {
      const w = wallTime(ms, timeZone);
      return w.date === date && w.hour === hour && w.minute === minute;
    })
    .sort((a, b) => a - b);
  if (m[3] !== undefined) {
    const given = (m[3] === '-' ? -1 : 1) * (Number(m[4]) * 60 + Number(m[5]));
    const match = candidates.find((ms) => offsetMinutes(ms, timeZone) === given);
    return match === undefined
      ? {
          error: {
            field,
            message: `${label}: ${hhmm}${signedOffset(given)} is not a time that happens on ${formatPlainDate(date)} here`,
          },
        }
      : { instant: new Date(match).toISOString() };
  }
  const [first, second] = candidates;
  if (first === undefined) {
    return {
      error: {
        field,
        message: `${label}: ${when} does not exist because the clocks go forward; check the time`,
      },
    };
  }
  if (second !== undefined) {
    const a = `${hhmm}${signedOffset(offsetMinutes(first, timeZone))}`;
    const b = `${hhmm}${signedOffset(offsetMinutes(second, timeZone))}`;
    return {
      error: {
        field,
        message: `${label}: ${when} happens twice because the clocks go back; add the offset: ${a} for the first (${wallTime(first, timeZone).zoneName}) or ${b} for the second (${wallTime(second, timeZone).zoneName})`,
      },
    };
  }
  return { instant: new Date(first).toISOString() };
}

/** ISO 8601 date and time with Z or an explicit offset: an instant, never a bare local time. */
const INSTANT = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** The instant as UTC ISO text (2026-10-25T09:30:00.000Z), or null when it is not one. */
export function parseInstant(text: string): string | null {
  const m = INSTANT.exec(text.trim());
  if (!m || parsePlainDate(m[1] ?? '') === null) {
    return null;
  }
  const ms = Date.parse(text.trim());
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

const instantField = (label: string) =>
  z
    .string({ error: `Enter the ${label.toLowerCase()}` })
    .trim()
    .min(1, { error: `Enter the ${label.toLowerCase()}` })
    .refine((v) => parseInstant(v) !== null, {
      error: `${label} must be a date and time with its UTC offset, like 2026-10-25T09:30:00Z or 2026-10-24T10:00:00+01:00`,
    })
    .transform((v) => parseInstant(v) ?? v);

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

// ---------------------------------------------------------------------------------------------
// Observations

export interface Observation {
  /** Hours after the bolus; 0 is the baseline, taken before it. */
  readonly hour: number;
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
    .array(z.enum(SIDE_EFFECT_IDS, { error: 'Select side effects from the list' }), {
      error: 'Side effects must be a list',
    })
    .default([]),
  sideEffectNote: optionalText('Side effect note', MAX_TEXT),
  note: optionalText('Note', MAX_TEXT),
});

export function hourLabel(hour: number): string {
  return hour === 0 ? 'Baseline (before the bolus)' : `${hour} hours`;
}

/**
 * Checks one observation: the hour is one of the configured ones and not yet recorded for this
 * bolus, grades once per muscle group and side, diastolic below systolic, 'other' described,
 * and at least one measure.
 */
export function validateObservationInput(
  raw: unknown,
  ctx: { readonly rules: TestDoseRules; readonly recordedHours: readonly number[] },
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
  const effect = {
    effectHours,
    effectOutlastedObservations: effectHours !== null && effectHours >= lastHour,
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

/**
 * Checks the clinician's result against the suggestion: a different result (or any result when
 * the suggestion is incomplete) needs a reason; a positive result needs the effect duration,
 * which defaults to the suggestion's; adverse reactions are described.
 */
export function validateResultInput(raw: unknown, suggestion: TestDoseSuggestion): Validated<ResultInput> {
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
    effectHours = v.effectHours ?? suggestion.effectHours;
    if (effectHours === null) {
      errors.push({ field: 'effectHours', message: 'Enter how many hours the effect lasted' });
    } else if (!Number.isFinite(effectHours) || effectHours <= 0 || effectHours > MAX_EFFECT_HOURS) {
      errors.push({
        field: 'effectHours',
        message: `Effect duration must be a number of hours greater than 0 and at most ${MAX_EFFECT_HOURS}`,
      });
    }
  }
  if (v.adverseReactions && v.adverseNote === null) {
    errors.push({ field: 'adverseNote', message: 'Describe the adverse reactions' });
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

export const abandonInputSchema = z.object({
  reason: requiredText('Reason for abandoning the test dose', MAX_TEXT),
});

export function validateAbandonInput(raw: unknown): Validated<{ readonly reason: string }> {
  return validated(abandonInputSchema, raw);
}
