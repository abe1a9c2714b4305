import type { PlainDate } from '../../../domain/calendar-date.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import {
  GAS_BASELINE_LABELS,
  GAS_BASELINES,
  GAS_SCORE_LABELS,
  GAS_SCORES,
  GMFCS_LABELS,
  GMFCS_LEVELS,
  MAS_GRADES,
  MAX_GAS_GOALS,
  MUSCLE_GROUPS,
  OCCASION_LABELS,
  OCCASIONS,
  PENN_FREQUENCIES,
  PENN_FREQUENCY_LABELS,
  PENN_SEVERITIES,
  PENN_SEVERITY_LABELS,
  SIDE_LABELS,
  SIDES,
  validateMeasureSetInput,
  type GasGoal,
} from '../../../domain/outcome-measures.ts';
import { datePartsOf, dateFromParts, formFields } from '../form.ts';

/**
 * The outcome measures form: one select per muscle group and side, Penn radios, five GAS goal
 * rows, GMFCS and pain. Form names are flat (`mas-hip-adductors-left`, `gas-1-achieved`); the
 * service takes the lists the API takes, and errors on those lists are mapped back to the
 * form's fields so the error summary links to the right box.
 */

const masName = (group: string, side: string) => `mas-${group}-${side}`;
const SIMPLE_FIELDS = ['occasion', 'assessmentId', 'gmfcsLevel', 'note'] as const;
const NUMBER_FIELDS = ['pennFrequency', 'pennSeverity', 'painNrs'] as const;

/**
 * A number typed or chosen in the form, or null when left empty. Anything else is passed on as
 * text, so the domain refuses it with the field's own message (1.5 is a number, and refused).
 */
function numberOrText(value: string | undefined): number | string | null {
  const v = (value ?? '').trim().replace(/^\u2212/, '-');
  if (v === '') {
    return null;
  }
  return /^[+-]?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
}

interface ParsedForm {
  readonly raw: Record<string, unknown>;
  /** Which form row each GAS goal in `raw` came from (empty rows are left out). */
  readonly gasRows: readonly number[];
}

function parse(body: unknown): ParsedForm {
  const f = formFields(body);
  const raw: Record<string, unknown> = {};
  for (const k of SIMPLE_FIELDS) {
    raw[k] = (f[k] ?? '').trim() === '' ? null : f[k];
  }
  for (const k of NUMBER_FIELDS) {
    raw[k] = numberOrText(f[k]);
  }
  raw.mas = MUSCLE_GROUPS.flatMap((g) =>
    SIDES.flatMap((side) => {
      const grade = (f[masName(g.id, side)] ?? '').trim();
      return grade === '' ? [] : [{ muscleGroup: g.id, side, grade }];
    }),
  );
  const gasRows: number[] = [];
  const goals: Record<string, unknown>[] = [];
  for (let i = 0; i < MAX_GAS_GOALS; i++) {
    const text = (f[`gas-${i}-text`] ?? '').trim();
    const achieved = numberOrText(f[`gas-${i}-achieved`]);
    // A row counts once it has a goal (or a score): clearing the text drops a carried-forward goal.
    if (text === '' && achieved === null) {
      continue;
    }
    gasRows.push(i);
    goals.push({
      text,
      weight: numberOrText(f[`gas-${i}-weight`]),
      baseline: numberOrText(f[`gas-${i}-baseline`]),
      achieved,
    });
  }
  raw.gasGoals = goals;
  return { raw, gasRows };
}

/** The form element each service field is shown against. */
function formFieldFor(field: string, parsed: ParsedForm): string {
  const mas = /^mas\.(\d+)\./.exec(field);
  if (mas) {
    const entry = (parsed.raw.mas as { muscleGroup: string; side: string }[])[Number(mas[1])];
    return entry ? masName(entry.muscleGroup, entry.side) : 'mas';
  }
  const gas = /^gasGoals\.(\d+)\.(\w+)$/.exec(field);
  if (gas) {
    return `gas-${parsed.gasRows[Number(gas[1])] ?? 0}-${gas[2] ?? 'text'}`;
  }
  return field === 'gasGoals' ? 'gas-0-text' : field;
}

/** Where the error summary links to, for fields that are not one element with their name. */
export const MEASURE_HREFS: Record<string, string> = { recordedOn: 'recordedOn-day', mas: 'mas' };

/** Service errors renamed to the form's fields, for the error summary and inline messages. */
export function measureFormErrors(errors: readonly FieldError[], body: unknown): FieldError[] {
  const parsed = parse(body);
  return errors.map((e) => ({ field: formFieldFor(e.field, parsed), message: e.message }));
}

/**
 * The form as the service's input. When the date boxes do not make a date, the other fields are
 * still checked (against today) so the person sees every problem at once.
 */
export function measureSetFromForm(
  body: unknown,
  today: PlainDate,
): { readonly raw: Record<string, unknown>; readonly formErrors: FieldError[] | null } {
  const parsed = parse(body);
  const { date, error } = dateFromParts(formFields(body), 'recordedOn', 'Date recorded');
  if (!error) {
    return { raw: { ...parsed.raw, recordedOn: date }, formErrors: null };
  }
  const others = validateMeasureSetInput({ ...parsed.raw, recordedOn: today }, { today, dateOfBirth: today });
  const rest = others.ok ? [] : others.errors.filter((e) => e.field !== 'recordedOn');
  return { raw: parsed.raw, formErrors: [error, ...measureFormErrors(rest, body)] };
}

export interface GoalRow {
  readonly text: string;
  readonly weight: string;
  readonly baseline: string;
  readonly achieved: string;
}

/** What the form shows again after a failed save. */
export function measureFormValues(body: unknown): Record<string, unknown> {
  const f = formFields(body);
  return {
    ...f,
    recordedOn: {
      day: f['recordedOn-day'] ?? '',
      month: f['recordedOn-month'] ?? '',
      year: f['recordedOn-year'] ?? '',
    },
    gas: Array.from({ length: MAX_GAS_GOALS }, (_, i): GoalRow => ({
      text: f[`gas-${i}-text`] ?? '',
      weight: f[`gas-${i}-weight`] ?? '',
      baseline: f[`gas-${i}-baseline`] ?? '',
      achieved: f[`gas-${i}-achieved`] ?? '',
    })),
  };
}

/**
 * A new form: today's date, and the goals of the patient's latest set carried forward (their
 * text, weight and baseline; the new score is for the clinician to give) [GAS].
 */
export function measureFormPrefill(
  today: PlainDate,
  latestGoals: readonly GasGoal[],
): Record<string, unknown> {
  return {
    recordedOn: datePartsOf(today),
    pennFrequency: '',
    pennSeverity: '',
    gas: Array.from({ length: MAX_GAS_GOALS }, (_, i): GoalRow => {
      const g = latestGoals[i];
      return g
        ? { text: g.text, weight: String(g.weight), baseline: String(g.baseline), achieved: '' }
        : { text: '', weight: '', baseline: '', achieved: '' };
    }),
  };
}

const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `\u2212${-n}` : '0');

/** The choices the form offers, with their labels. */
export const measureChoices = {
  occasions: OCCASIONS.map((v) => ({ value: v, text: OCCASION_LABELS[v] })),
  masGrades: MAS_GRADES.map((v) => ({ value: v, text: v })),
  muscleGroups: MUSCLE_GROUPS.map((g) => ({
    id: g.id,
    label: g.label,
    sides: SIDES.map((s) => ({ side: s, sideLabel: SIDE_LABELS[s], name: masName(g.id, s) })),
  })),
  sides: SIDES.map((s) => SIDE_LABELS[s]),
  pennFrequencies: PENN_FREQUENCIES.map((v) => ({ value: String(v), text: PENN_FREQUENCY_LABELS[v] ?? '' })),
  pennSeverities: PENN_SEVERITIES.map((v) => ({ value: String(v), text: PENN_SEVERITY_LABELS[v] ?? '' })),
  gasBaselines: GAS_BASELINES.map((v) => ({ value: String(v), text: GAS_BASELINE_LABELS[v] ?? signed(v) })),
  gasScores: GAS_SCORES.map((v) => ({ value: String(v), text: GAS_SCORE_LABELS[v] ?? signed(v) })),
  gmfcsLevels: GMFCS_LEVELS.map((v) => ({ value: v, text: GMFCS_LABELS[v] })),
  painScores: Array.from({ length: 11 }, (_, i) => ({ value: String(i), text: String(i) })),
  goalRows: Array.from({ length: MAX_GAS_GOALS }, (_, i) => i),
};
