import type { FieldError } from '../../../domain/field-error.ts';
import {
  MAS_GRADES,
  MUSCLE_GROUPS,
  PENN_FREQUENCIES,
  PENN_FREQUENCY_LABELS,
  SIDE_LABELS,
  SIDES,
} from '../../../domain/outcome-measures.ts';
import type { HardLimits, TestDoseRules } from '../../../domain/pump-rules.ts';
import { BOLUS_ROUTE_LABELS, BOLUS_ROUTES, validateBolusInput } from '../../../domain/test-dose-bolus.ts';
import { hourLabel, SIDE_EFFECTS, VITAL_SIGNS } from '../../../domain/test-dose-observation.ts';
import { TEST_RESULT_LABELS, TEST_RESULTS } from '../../../domain/test-dose-result.ts';
import { instantFromLocal, localDateAndTime } from '../../../domain/test-dose-time.ts';
import { dateFromParts, datePartsOf, formFields, formList } from '../form.ts';
import { numberOrText, text, yesNo } from './test-dose-form.ts';

/**
 * The bedside forms of a test dose (bolus, observation, result): HTML fields to the service's
 * input, the same shape the API takes, and the service's field errors back to the form's boxes.
 */

/**
 * A date and time entered as London wall time in the boxes `<name>-day`, `-month`, `-year` and
 * `-time`, as an instant; `what` completes "Date …" and "Time …" in the messages.
 */
export function instantFromForm(
  f: Record<string, string>,
  name: string,
  what: string,
  timeZone: string,
): { readonly instant: string } | { readonly error: FieldError } {
  const { date, error } = dateFromParts(f, name, `Date ${what}`);
  if (error || !date) {
    return { error: { field: name, message: error?.message ?? `Enter the date ${what}` } };
  }
  if ((f[`${name}-time`] ?? '').trim() === '') {
    return { error: { field: name, message: `Enter the time ${what}, like 09:30` } };
  }
  return instantFromLocal(name, `Time ${what}`, date, f[`${name}-time`] ?? '', timeZone);
}

/** The four boxes of a date and time, to fill the form again with what was entered. */
export function instantBoxes(f: Record<string, string>, name: string): Record<string, string> {
  return {
    day: f[`${name}-day`] ?? '',
    month: f[`${name}-month`] ?? '',
    year: f[`${name}-year`] ?? '',
    time: f[`${name}-time`] ?? '',
  };
}

// ---------------------------------------------------------------------------------------------
// Bolus

export const BOLUS_HREFS: Record<string, string> = { givenAt: 'givenAt-day', route: 'route' };

export interface BolusFormContext {
  readonly rules: TestDoseRules;
  readonly hardLimits: HardLimits;
  readonly timeZone: string;
  readonly now: string;
  readonly previousDoseMcg: number | null;
  /** The signed-in person recording the bolus as its giver. */
  readonly giver: { readonly displayName: string; readonly username: string };
}

/**
 * The bolus form as the service's input. The date and time are London wall time, turned into an
 * instant here; when they do not make one, the other fields are still checked (against now and
 * no previous bolus) so every problem shows at once, and the service is not called.
 */
export function bolusFromForm(
  body: unknown,
  ctx: BolusFormContext,
): { readonly raw: Record<string, unknown>; readonly formErrors: FieldError[] | null } {
  const f = formFields(body);
  const raw: Record<string, unknown> = {
    doseMcg: numberOrText(f.doseMcg),
    concentrationMcgPerMl: numberOrText(f.concentrationMcgPerMl),
    concentrationReason: text(f, 'concentrationReason'),
    route: text(f, 'route'),
    checkedBy: text(f, 'checkedBy'),
    offLadderReason: text(f, 'offLadderReason'),
    note: text(f, 'note'),
  };
  const given = instantFromForm(f, 'givenAt', 'given', ctx.timeZone);
  if ('instant' in given) {
    return { raw: { ...raw, givenAt: given.instant }, formErrors: null };
  }
  const error = given.error;
  const others = validateBolusInput(
    { ...raw, givenAt: ctx.now },
    {
      rules: ctx.rules,
      hardLimits: ctx.hardLimits,
      now: ctx.now,
      timeZone: ctx.timeZone,
      previousDoseMcg: ctx.previousDoseMcg,
      latestGivenAt: null,
      episodeStartedAt: null,
      giver: ctx.giver,
    },
  );
  const rest = others.ok ? [] : others.errors.filter((e) => e.field !== 'givenAt');
  return { raw, formErrors: [error, ...rest] };
}

/** A new bolus form: the ladder's next dose at the screening strength, given now. */
export function bolusPrefill(
  ladderDoseMcg: number | null,
  rules: TestDoseRules,
  now: string,
  timeZone: string,
): Record<string, unknown> {
  const local = localDateAndTime(now, timeZone);
  return {
    doseMcg: ladderDoseMcg === null ? '' : String(ladderDoseMcg),
    concentrationMcgPerMl: String(rules.screeningConcentrationMcgPerMl),
    givenAt: { ...datePartsOf(local.date), time: local.time },
  };
}

export function bolusFormValues(body: unknown): Record<string, unknown> {
  const f = formFields(body);
  return { ...f, givenAt: instantBoxes(f, 'givenAt') };
}

export const routeChoices = BOLUS_ROUTES.map((r) => ({ value: r, text: BOLUS_ROUTE_LABELS[r] }));

// ---------------------------------------------------------------------------------------------
// Observation

const masName = (group: string, side: string) => `mas-${group}-${side}`;

export const OBSERVATION_HREFS: Record<string, string> = {
  hour: 'hour',
  observation: 'hour',
  observedAt: 'observedAt-day',
  sideEffects: 'sideEffects',
};

/**
 * The observation form as the service's input; the time observed is London wall time, turned
 * into an instant here. When it does not make one, its error is returned and the service is not
 * called.
 */
export function observationFromForm(
  body: unknown,
  timeZone: string,
): { readonly raw: Record<string, unknown>; readonly formErrors: FieldError[] | null } {
  const f = formFields(body);
  const raw = observationFields(body);
  const observed = instantFromForm(f, 'observedAt', 'observed', timeZone);
  return 'instant' in observed
    ? { raw: { ...raw, observedAt: observed.instant }, formErrors: null }
    : { raw, formErrors: [observed.error] };
}

function observationFields(body: unknown): Record<string, unknown> {
  const f = formFields(body);
  const raw: Record<string, unknown> = {
    hour: numberOrText(f.hour) ?? undefined,
    mas: MUSCLE_GROUPS.flatMap((g) =>
      SIDES.flatMap((side) => {
        const grade = (f[masName(g.id, side)] ?? '').trim();
        return grade === '' ? [] : [{ muscleGroup: g.id, side, grade }];
      }),
    ),
    pennFrequency: numberOrText(f.pennFrequency),
    sideEffects: formList(body, 'sideEffects'),
    sideEffectNote: text(f, 'sideEffectNote'),
    note: text(f, 'note'),
  };
  for (const v of VITAL_SIGNS) {
    raw[v.id] = numberOrText(f[v.id]);
  }
  return raw;
}

/** Service errors on the observation renamed to the form's fields. */
export function observationFormErrors(errors: readonly FieldError[], body: unknown): FieldError[] {
  const raw = observationFields(body);
  const mas = raw.mas as { muscleGroup: string; side: string }[];
  return errors.map((e) => {
    const m = /^mas\.(\d+)\./.exec(e.field);
    const entry = m ? mas[Number(m[1])] : undefined;
    if (entry) {
      return { field: masName(entry.muscleGroup, entry.side), message: e.message };
    }
    return { field: /^sideEffects/.test(e.field) ? 'sideEffects' : e.field, message: e.message };
  });
}

export function observationFormValues(body: unknown): Record<string, unknown> {
  const f = formFields(body);
  return { ...f, observedAt: instantBoxes(f, 'observedAt'), sideEffects: formList(body, 'sideEffects') };
}

/** A new observation form: the hour asked for, and today's date with the time left to enter. */
export function observationPrefill(hour: string, now: string, timeZone: string): Record<string, unknown> {
  const local = localDateAndTime(now, timeZone);
  return { hour, observedAt: { ...datePartsOf(local.date), time: '' }, sideEffects: [] };
}

export function observationChoices(rules: TestDoseRules, recordedHours: readonly number[]) {
  return {
    hours: rules.observationHours.map((h) => ({
      value: String(h),
      text: hourLabel(h),
      recorded: recordedHours.includes(h),
    })),
    masGrades: MAS_GRADES.map((v) => ({ value: v, text: v })),
    muscleGroups: MUSCLE_GROUPS.map((g) => ({
      id: g.id,
      label: g.label,
      sides: SIDES.map((s) => ({ side: s, sideLabel: SIDE_LABELS[s], name: masName(g.id, s) })),
    })),
    sides: SIDES.map((s) => SIDE_LABELS[s]),
    pennFrequencies: PENN_FREQUENCIES.map((v) => ({
      value: String(v),
      text: PENN_FREQUENCY_LABELS[v] ?? '',
    })),
    vitals: VITAL_SIGNS.map((v) => ({ id: v.id, label: `${v.label} (${v.unit})` })),
    sideEffects: SIDE_EFFECTS.map((s) => ({ value: s.id, text: s.label })),
  };
}

// ---------------------------------------------------------------------------------------------
// Result

export const RESULT_HREFS: Record<string, string> = {
  result: 'result',
  adverseReactions: 'adverseReactions',
};

export function resultFromForm(body: unknown): Record<string, unknown> {
  const f = formFields(body);
  return {
    result: text(f, 'result') ?? undefined,
    reason: text(f, 'reason'),
    effectHours: numberOrText(f.effectHours),
    adverseReactions: yesNo(f.adverseReactions) ?? undefined,
    adverseNote: text(f, 'adverseNote'),
    note: text(f, 'note'),
  };
}

export const resultChoices = TEST_RESULTS.map((r) => ({ value: r, text: TEST_RESULT_LABELS[r] }));

/** What the result form shows again after a refusal. */
export function resultFromFormValues(body: unknown): Record<string, unknown> {
  const raw = resultFromForm(body);
  const f = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  return { ...raw, effectHours: f.effectHours ?? '', adverseReactions: f.adverseReactions ?? '' };
}
