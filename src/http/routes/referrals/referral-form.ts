import type { FieldError } from '../../../domain/field-error.ts';
import {
  AETIOLOGIES,
  AETIOLOGY_LABELS,
  CONDITION_LABELS,
  CONDITIONS,
  ORIGIN_LABELS,
  ORIGINS,
  REFERRAL_SOURCES,
  REFERRER_GRADE_LABELS,
  REFERRER_GRADES,
  SOURCE_LABELS,
  TREATMENT_LABELS,
  TREATMENTS,
  validateReferralInput,
} from '../../../domain/referral.ts';
import type { PlainDate } from '../../../domain/calendar-date.ts';
import { datePartsOf, dateFromParts, formFields, formList } from '../form.ts';

const TEXT_FIELDS = [
  'source',
  'ubrn',
  'referrerName',
  'referrerRole',
  'referrerGrade',
  'referrerOrganisation',
  'referrerOdsCode',
  'referrerEmail',
  'referrerPhone',
  'reason',
  'origin',
  'aetiology',
  'aetiologyOther',
  'treatmentsNote',
  'ersServiceName',
] as const;

/** Where the error summary links to for fields that are not a single input. */
export const REFERRAL_HREFS: Record<string, string> = {
  receivedOn: 'receivedOn-day',
  conditions: 'conditions',
  origin: 'origin',
  aetiology: 'aetiology',
  source: 'source',
  referrerGrade: 'referrerGrade',
};

/**
 * The referral form as the service's input. The date boxes become one date; when they do not
 * make a date, the other fields are still checked so the person sees every problem at once.
 */
export function referralFromForm(
  body: unknown,
  today: PlainDate,
): { readonly raw: Record<string, unknown>; readonly formErrors: FieldError[] | null } {
  const f = formFields(body);
  const raw: Record<string, unknown> = {};
  for (const k of TEXT_FIELDS) {
    if (f[k] !== undefined) {
      raw[k] = f[k];
    }
  }
  raw.conditions = formList(body, 'conditions');
  raw.treatmentsTried = formList(body, 'treatmentsTried');
  const { date, error } = dateFromParts(f, 'receivedOn', 'Date received');
  if (!error) {
    raw.receivedOn = date;
    return { raw, formErrors: null };
  }
  const others = validateReferralInput({ ...raw, receivedOn: today }, today);
  return {
    raw,
    formErrors: [...(others.ok ? [] : others.errors.filter((e) => e.field !== 'receivedOn')), error],
  };
}

/** What the form shows again after a failed save, or prefilled from an email. */
export function referralFormValues(body: unknown): Record<string, unknown> {
  const f = formFields(body);
  return {
    ...f,
    conditions: formList(body, 'conditions'),
    treatmentsTried: formList(body, 'treatmentsTried'),
    receivedOn: {
      day: f['receivedOn-day'] ?? '',
      month: f['receivedOn-month'] ?? '',
      year: f['receivedOn-year'] ?? '',
    },
  };
}

export function referralFormPrefill(values: {
  readonly source?: string;
  readonly receivedOn?: string | null;
  readonly referrerName?: string | null;
  readonly referrerEmail?: string | null;
  readonly reason?: string | null;
  readonly nhsNumber?: string | null;
  /** e-RS referrals: the configured e-RS service name, which staff may correct. */
  readonly ersServiceName?: string | null;
}): Record<string, unknown> {
  return {
    source: values.source,
    ersServiceName: values.ersServiceName ?? '',
    referrerName: values.referrerName ?? '',
    referrerEmail: values.referrerEmail ?? '',
    reason: values.reason ?? '',
    nhsNumber: values.nhsNumber ?? '',
    conditions: [],
    treatmentsTried: [],
    receivedOn: datePartsOf(values.receivedOn),
  };
}

/** The choices the form offers, with their labels. */
export const referralChoices = {
  sources: REFERRAL_SOURCES.map((v) => ({ value: v, text: SOURCE_LABELS[v] })),
  grades: REFERRER_GRADES.map((v) => ({ value: v, text: REFERRER_GRADE_LABELS[v] })),
  conditions: CONDITIONS.map((v) => ({ value: v, text: CONDITION_LABELS[v] })),
  origins: ORIGINS.map((v) => ({ value: v, text: ORIGIN_LABELS[v] })),
  aetiologies: AETIOLOGIES.map((v) => ({ value: v, text: AETIOLOGY_LABELS[v] })),
  treatments: TREATMENTS.map((v) => ({ value: v, text: TREATMENT_LABELS[v] })),
};
