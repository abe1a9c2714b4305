import { z } from 'zod';
import { formatPlainDate, type PlainDate } from './calendar-date.ts';
import { zodIssuesToFieldErrors, type FieldError, type Validated } from './field-error.ts';
import { gasTScore } from './gas.ts';
import { optionalText, plainDateField } from './schema-fields.ts';

/**
 * Outcome measures taken at assessment, test dose and review (clinical-reference.md section 2,
 * "Assessment and outcome measures"). One set holds whichever of them were taken that day.
 */

export const OCCASIONS = ['assessment', 'test-dose', 'review', 'other'] as const;
export type Occasion = (typeof OCCASIONS)[number];
export const OCCASION_LABELS: Readonly<Record<Occasion, string>> = {
  assessment: 'Assessment',
  'test-dose': 'Test dose',
  review: 'Review',
  other: 'Other',
};

/**
 * Modified Ashworth Scale grades [MAS]: six ordinal grades, kept as these strings. They are not
 * numbers: 1+ lies between 1 and 2 but is not 1.5, and recoding to 0–5 for analysis [MAS-NUM]
 * is a choice for a study, not a fact to store. The order here is the order on every chart.
 */
export const MAS_GRADES = ['0', '1', '1+', '2', '3', '4'] as const;
export type MasGrade = (typeof MAS_GRADES)[number];
export const MAS_GRADE_LABELS: Readonly<Record<MasGrade, string>> = {
  '0': '0: no increase in tone',
  '1': '1: catch and release, or minimal resistance at the end of the range',
  '1+': '1+: catch, then minimal resistance through less than half the range',
  '2': '2: more marked increase through most of the range, but the part moves easily',
  '3': '3: considerable increase in tone, passive movement difficult',
  '4': '4: rigid in flexion or extension',
};

/**
 * The muscle groups the service grades, as data so a service can add its own. The access
 * criteria count Ashworth grades by muscle group [CBA], and Bristol's assessment grades tone
 * group by group [BRIS-AS]; these are the groups ITB clinics commonly examine.
 */
export const MUSCLE_GROUPS = [
  { id: 'hip-adductors', label: 'Hip adductors' },
  { id: 'hip-flexors', label: 'Hip flexors' },
  { id: 'knee-extensors', label: 'Knee extensors' },
  { id: 'knee-flexors', label: 'Knee flexors' },
  { id: 'ankle-plantarflexors', label: 'Ankle plantarflexors' },
  { id: 'shoulder-adductors', label: 'Shoulder adductors' },
  { id: 'elbow-flexors', label: 'Elbow flexors' },
  { id: 'elbow-extensors', label: 'Elbow extensors' },
  { id: 'wrist-flexors', label: 'Wrist flexors' },
  { id: 'finger-flexors', label: 'Finger flexors' },
] as const;
export type MuscleGroup = (typeof MUSCLE_GROUPS)[number]['id'];
const MUSCLE_GROUP_IDS = MUSCLE_GROUPS.map((g) => g.id) as [MuscleGroup, ...MuscleGroup[]];
export const MUSCLE_GROUP_LABELS = Object.fromEntries(MUSCLE_GROUPS.map((g) => [g.id, g.label])) as Readonly<
  Record<MuscleGroup, string>
>;

export const SIDES = ['left', 'right'] as const;
export type Side = (typeof SIDES)[number];
export const SIDE_LABELS: Readonly<Record<Side, string>> = { left: 'Left', right: 'Right' };

/** Penn Spasm Frequency Scale part 1, frequency 0–4 [PSFS]. */
export const PENN_FREQUENCIES = [0, 1, 2, 3, 4] as const;
export const PENN_FREQUENCY_LABELS: Readonly<Record<number, string>> = {
  0: '0: no spasms',
  1: '1: mild spasms only on stimulation',
  2: '2: full spasms less than once an hour',
  3: '3: spasms more than once an hour',
  4: '4: spasms more than 10 times an hour',
};
/** Penn part 2, severity 1–3, asked only when frequency is above 0 [PSFS]. */
export const PENN_SEVERITIES = [1, 2, 3] as const;
export const PENN_SEVERITY_LABELS: Readonly<Record<number, string>> = {
  1: '1: mild',
  2: '2: moderate',
  3: '3: severe',
};

/** GMFCS expanded and revised levels [GMFCS], [GMFCS-HEAD]; recorded where relevant (mainly CP). */
export const GMFCS_LEVELS = ['I', 'II', 'III', 'IV', 'V'] as const;
export type GmfcsLevel = (typeof GMFCS_LEVELS)[number];
export const GMFCS_LABELS: Readonly<Record<GmfcsLevel, string>> = {
  I: 'I: walks without limitations',
  II: 'II: walks with limitations',
  III: 'III: walks using a hand-held mobility device',
  IV: 'IV: self-mobility with limitations; may use powered mobility',
  V: 'V: transported in a manual wheelchair',
};

/** Pain NRS-11 [NRS]: a change of at least this many points is clinically meaningful. */
export const PAIN_MEANINGFUL_CHANGE = 2;

/** GAS [GAS]: baselines are −1 (some function) or −2 (as bad as it could be). */
export const GAS_BASELINES = [-1, -2] as const;
export const GAS_BASELINE_LABELS: Readonly<Record<number, string>> = {
  [-1]: '−1: some function',
  [-2]: '−2: as bad as it could be',
};
export const GAS_SCORES = [2, 1, 0, -1, -2] as const;
export const GAS_SCORE_LABELS: Readonly<Record<number, string>> = {
  2: '+2: much more than expected',
  1: '+1: somewhat more than expected',
  0: '0: achieved as expected',
  [-1]: '−1: somewhat less than expected',
  [-2]: '−2: much less than expected',
};
/** Turner-Stokes suggests three to five goals per person [GAS]; the form offers five rows. */
export const MAX_GAS_GOALS = 5;
export const MAX_NOTE_LENGTH = 2000;
export const MAX_GOAL_TEXT_LENGTH = 500;

export interface MasEntry {
  readonly muscleGroup: MuscleGroup;
  readonly side: Side;
  readonly grade: MasGrade;
}

export interface GasGoal {
  readonly text: string;
  /** Importance (0–3) × difficulty (0–3) [GAS]; a goal of weight 0 is not scored, so 1–9. */
  readonly weight: number;
  readonly baseline: -1 | -2;
  /** −2 to +2 once scored; null until then. */
  readonly achieved: number | null;
}

export interface MeasureSetInput {
  readonly recordedOn: PlainDate;
  readonly occasion: Occasion;
  readonly assessmentId: string | null;
  readonly mas: readonly MasEntry[];
  readonly pennFrequency: number | null;
  readonly pennSeverity: number | null;
  readonly gasGoals: readonly GasGoal[];
  readonly gmfcsLevel: GmfcsLevel | null;
  readonly painNrs: number | null;
  readonly note: string | null;
}

const wholeNumber = (message: string, min: number, max: number) =>
  z
    .number({ error: message })
    .int({ error: message })
    .min(min, { error: message })
    .max(max, { error: message });

const nullable = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? null);

const MAS_GRADE_MESSAGE = 'Modified Ashworth grade must be one of 0, 1, 1+, 2, 3 or 4';

export const masEntrySchema = z.object({
  muscleGroup: z.enum(MUSCLE_GROUP_IDS, { error: 'Select a muscle group from the list' }),
  side: z.enum(SIDES, { error: 'Select the side: left or right' }),
  grade: z.enum(MAS_GRADES, { error: MAS_GRADE_MESSAGE }),
});

export const gasGoalSchema = z.object({
  text: z
    .string({ error: 'Enter the goal' })
    .trim()
    .min(1, { error: 'Enter the goal' })
    .max(MAX_GOAL_TEXT_LENGTH, { error: `Goal must be ${MAX_GOAL_TEXT_LENGTH} characters or fewer` }),
  weight: wholeNumber(
    'Weight must be a whole number from 1 to 9 (importance 0–3 × difficulty 0–3; a goal of weight 0 is not scored)',
    1,
    9,
  ),
  baseline: z.union([z.literal(-1), z.literal(-2)], { error: 'Baseline must be −1 or −2' }),
  achieved: nullable(wholeNumber('Achieved score must be a whole number from −2 to +2', -2, 2)),
});

/** The shape of a set of measures: the API's request body and the first check on a form. */
export const measureSetInputSchema = z.object({
  recordedOn: plainDateField('Date recorded'),
  occasion: z.enum(OCCASIONS, { error: 'Select when the measures were taken' }),
  assessmentId: optionalText('Assessment', 100),
  mas: z
    .array(masEntrySchema, { error: 'Ashworth grades must be a list' })
    .max(MUSCLE_GROUPS.length * SIDES.length, { error: 'Each muscle group and side can be graded once' })
    .default([]),
  pennFrequency: nullable(wholeNumber('Penn spasm frequency must be a whole number from 0 to 4', 0, 4)),
  pennSeverity: nullable(
    wholeNumber('Penn spasm severity must be 1 (mild), 2 (moderate) or 3 (severe)', 1, 3),
  ),
  gasGoals: z
    .array(gasGoalSchema, { error: 'GAS goals must be a list' })
    .max(MAX_GAS_GOALS, { error: `Record at most ${MAX_GAS_GOALS} GAS goals` })
    .default([]),
  gmfcsLevel: nullable(z.enum(GMFCS_LEVELS, { error: 'GMFCS level must be I, II, III, IV or V' })),
  painNrs: nullable(wholeNumber('Pain score must be a whole number from 0 to 10', 0, 10)),
  note: optionalText('Note', MAX_NOTE_LENGTH),
});

export interface MeasureSetContext {
  /** Today in the service's time zone: measures cannot be recorded for a future date. */
  readonly today: PlainDate;
  /** The patient's date of birth: measures cannot predate it. */
  readonly dateOfBirth: PlainDate;
}

function masLabel(entry: unknown): string | null {
  if (!entry || typeof entry !== 'object') {
    return null;
  }
  const { muscleGroup, side } = entry as Record<string, unknown>;
  const group = MUSCLE_GROUPS.find((g) => g.id === muscleGroup);
  const sideLabel = SIDES.find((s) => s === side);
  return group && sideLabel ? `${group.label}, ${sideLabel}` : null;
}

/** Puts what the field is in front of a row's message, so the error summary names it. */
function nameRowField(error: FieldError, raw: unknown): FieldError {
  const m = /^(mas|gasGoals)\.(\d+)\./.exec(error.field);
  if (!m) {
    return error;
  }
  const index = Number(m[2]);
  if (m[1] === 'gasGoals') {
    return { field: error.field, message: `GAS goal ${index + 1}: ${error.message}` };
  }
  const rows = raw && typeof raw === 'object' ? (raw as Record<string, unknown>).mas : undefined;
  const label = Array.isArray(rows) ? masLabel(rows[index]) : null;
  return { field: error.field, message: `${label ?? `Ashworth entry ${index + 1}`}: ${error.message}` };
}

function pennErrors(frequency: number | null, severity: number | null): FieldError[] {
  // Part 2 (severity) is asked only when part 1 (frequency) is above 0 [PSFS].
  if (frequency === null && severity !== null) {
    return [
      { field: 'pennFrequency', message: 'Enter the Penn spasm frequency: severity is recorded with it' },
    ];
  }
  if (frequency === 0 && severity !== null) {
    return [
      { field: 'pennSeverity', message: 'Penn severity is only recorded when spasm frequency is above 0' },
    ];
  }
  if (frequency !== null && frequency > 0 && severity === null) {
    return [
      {
        field: 'pennSeverity',
        message: 'Select the Penn spasm severity (mild, moderate or severe): spasm frequency is above 0',
      },
    ];
  }
  return [];
}

function duplicateMasErrors(mas: readonly MasEntry[]): FieldError[] {
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  mas.forEach((e, i) => {
    const key = `${e.muscleGroup}/${e.side}`;
    if (seen.has(key)) {
      errors.push({
        field: `mas.${i}.muscleGroup`,
        message: `${MUSCLE_GROUP_LABELS[e.muscleGroup]}, ${e.side}: graded more than once in this set`,
      });
    }
    seen.add(key);
  });
  return errors;
}

function hasAnyMeasure(v: z.infer<typeof measureSetInputSchema>): boolean {
  return (
    v.mas.length > 0 ||
    v.pennFrequency !== null ||
    v.gasGoals.length > 0 ||
    v.gmfcsLevel !== null ||
    v.painNrs !== null
  );
}

/**
 * Checks a set of measures: each scale's own range, the Penn rule between its two parts, one
 * grade per muscle group and side, at least one measure, and a date between the patient's
 * birth and today. Every problem is returned at once, each naming its field.
 */
export function validateMeasureSetInput(
  raw: unknown,
  context: MeasureSetContext,
): Validated<MeasureSetInput> {
  const parsed = measureSetInputSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      errors: zodIssuesToFieldErrors(parsed.error.issues).map((e) => nameRowField(e, raw)),
    };
  }
  const v = parsed.data;
  const errors: FieldError[] = [];
  if (v.recordedOn > context.today) {
    errors.push({ field: 'recordedOn', message: 'Date recorded must be today or in the past' });
  } else if (v.recordedOn < context.dateOfBirth) {
    errors.push({
      field: 'recordedOn',
      message: `Date recorded must be on or after the patient's date of birth, ${formatPlainDate(context.dateOfBirth)}`,
    });
  }
  errors.push(...duplicateMasErrors(v.mas));
  errors.push(...pennErrors(v.pennFrequency, v.pennSeverity));
  if (!hasAnyMeasure(v)) {
    errors.push({
      field: 'measures',
      message:
        'Record at least one measure: an Ashworth grade, Penn spasm frequency, a GAS goal, GMFCS or pain',
    });
  }
  if (errors.length > 0) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    value: {
      ...v,
      // A severity is kept only with spasms; the checks above already refuse any other pairing.
      pennSeverity: v.pennFrequency !== null && v.pennFrequency > 0 ? v.pennSeverity : null,
    },
  };
}

/** The baseline T-score (from the goals' baselines), or null with no goals. */
export function baselineTScore(goals: readonly GasGoal[]): number | null {
  return goals.length === 0 ? null : gasTScore(goals.map((g) => ({ weight: g.weight, score: g.baseline })));
}

/** The achieved T-score, only once every goal has been scored (a partial score would mislead). */
export function achievedTScore(goals: readonly GasGoal[]): number | null {
  if (goals.length === 0 || goals.some((g) => g.achieved === null)) {
    return null;
  }
  return gasTScore(goals.map((g) => ({ weight: g.weight, score: g.achieved ?? 0 })));
}

export interface PainChange {
  /** Points since the previous set that recorded pain; null for the first. */
  readonly change: number | null;
  /** A change of 2 points or more either way [NRS]. */
  readonly meaningful: boolean;
}

/**
 * Each set's change in pain NRS from the previous set that recorded pain, in the order given
 * (oldest first). A set without a pain score has no change.
 */
export function painChanges(sets: readonly { readonly painNrs: number | null }[]): PainChange[] {
  let previous: number | null = null;
  return sets.map((s) => {
    if (s.painNrs === null) {
      return { change: null, meaningful: false };
    }
    const change = previous === null ? null : s.painNrs - previous;
    previous = s.painNrs;
    return { change, meaningful: change !== null && Math.abs(change) >= PAIN_MEANINGFUL_CHANGE };
  });
}
