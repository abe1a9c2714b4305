import type { FieldError } from '../../../domain/field-error.ts';
import type { PreChecks } from '../../../domain/test-dose.ts';
import { AppError } from '../../../services/app-error.ts';
import { dateFromParts, datePartsOf, formFields } from '../form.ts';

/**
 * The test-dose forms: HTML fields to the service's input (the same shape the API takes), and
 * service field errors back to the form element they belong to, so the error summary links to
 * the right box. Yes/no questions are radios whose empty answer means "not answered yet". This
 * file has the pre-checks, abandoning and what the forms share; the bedside forms (bolus,
 * observation, result) are in test-dose-bedside-form.ts.
 */

/** A field's text, trimmed; null when empty. */
export const text = (f: Record<string, string>, name: string): string | null => {
  const v = (f[name] ?? '').trim();
  return v === '' ? null : v;
};

/** A number typed, or null when empty; anything else passes on as text for the domain to refuse by name. */
export function numberOrText(value: string | undefined): number | string | null {
  const v = (value ?? '').trim().replace(/^\u2212/, '-');
  if (v === '') {
    return null;
  }
  return /^[+-]?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
}

/** 'yes' → true, 'no' → false, nothing chosen → null (not answered). */
export function yesNo(value: string | undefined): boolean | string | null {
  if (value === 'yes') {
    return true;
  }
  if (value === 'no') {
    return false;
  }
  return value === undefined || value === '' ? null : value;
}

const yesNoValue = (v: boolean | null): string => (v === null ? '' : v ? 'yes' : 'no');

// ---------------------------------------------------------------------------------------------
// Pre-checks (new episode and changes)

export const PRE_CHECK_HREFS: Record<string, string> = {
  botulinumToxinOn: 'botulinumToxinOn-day',
  startedAt: 'startedAt-day',
  overrideId: 'overrideId',
};

export function preChecksFromForm(body: unknown): {
  readonly raw: Record<string, unknown>;
  readonly formErrors: FieldError[];
} {
  const f = formFields(body);
  const raw: Record<string, unknown> = {
    assessmentId: text(f, 'assessmentId'),
    overrideId: text(f, 'overrideId'),
    noInfection: yesNo(f.noInfection),
    infectionNote: text(f, 'infectionNote'),
    anticoagulantsReviewed: yesNo(f.anticoagulantsReviewed),
    anticoagulantNote: text(f, 'anticoagulantNote'),
    recentBotulinumToxin: yesNo(f.recentBotulinumToxin),
    botulinumToxinNote: text(f, 'botulinumToxinNote'),
    oralAntispasmodicPlan: text(f, 'oralAntispasmodicPlan'),
    goals: f.goals ?? '',
    botulinumToxinOn: null,
  };
  const formErrors: FieldError[] = [];
  const parts = ['day', 'month', 'year'].map((p) => (f[`botulinumToxinOn-${p}`] ?? '').trim());
  if (parts.some((p) => p !== '')) {
    const { date, error } = dateFromParts(f, 'botulinumToxinOn', 'Date of the last injection');
    if (error) {
      formErrors.push(error);
    } else {
      raw.botulinumToxinOn = date;
    }
  }
  return { raw, formErrors };
}

/** The pre-check form's values from stored answers. */
export function preCheckValues(p: PreChecks, assessmentId: string | null = null): Record<string, unknown> {
  return {
    assessmentId: assessmentId ?? '',
    noInfection: yesNoValue(p.noInfection),
    infectionNote: p.infectionNote ?? '',
    anticoagulantsReviewed: yesNoValue(p.anticoagulantsReviewed),
    anticoagulantNote: p.anticoagulantNote ?? '',
    recentBotulinumToxin: yesNoValue(p.recentBotulinumToxin),
    botulinumToxinOn: datePartsOf(p.botulinumToxinOn),
    botulinumToxinNote: p.botulinumToxinNote ?? '',
    oralAntispasmodicPlan: p.oralAntispasmodicPlan ?? '',
    goals: p.goals,
  };
}

/** What the pre-check form shows again after a refusal. */
export function preCheckFormValues(body: unknown): Record<string, unknown> {
  const f = formFields(body);
  return {
    ...f,
    botulinumToxinOn: {
      day: f['botulinumToxinOn-day'] ?? '',
      month: f['botulinumToxinOn-month'] ?? '',
      year: f['botulinumToxinOn-year'] ?? '',
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Abandon

export function abandonFromForm(body: unknown): Record<string, unknown> {
  return { reason: formFields(body).reason ?? '' };
}

// ---------------------------------------------------------------------------------------------
// Refusals

/** Refusals a form shows on its own page (as opposed to the error page). */
const FORM_ERRORS: readonly string[] = ['VALIDATION_FAILED', 'INVALID_STATE', 'STALE_EDIT'];

export function formError(err: unknown): AppError {
  if (err instanceof AppError && FORM_ERRORS.includes(err.code)) {
    return err;
  }
  throw err;
}

/** An AppError's field messages, or its message against `field` when it names none. */
export function fieldErrorsOf(err: AppError, field: string): FieldError[] {
  return err.code === 'VALIDATION_FAILED' && err.fieldErrors.length > 0
    ? [...err.fieldErrors]
    : [{ field, message: err.message }];
}
