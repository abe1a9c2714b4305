import type { PlainDate } from '../../../domain/calendar-date.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import { formatNhsNumber, normaliseNhsNumber } from '../../../domain/nhs-number.ts';
import { SEX_LABELS, SEXES, validatePatientInput } from '../../../domain/patient.ts';
import type { IntakePatientDetails } from '../../../services/intake-patient-details.ts';
import type { Patient } from '../../../storage/patients.repository.ts';
import { datePartsOf, dateFromParts } from '../form.ts';

/** Where the error summary links to for fields that are not a single input. */
export const HREF_FOR: Record<string, string> = { dateOfBirth: 'dateOfBirth-day', sex: 'sex' };

/** NHS numbers are shown and filled in as 3-3-4 ("943 476 5919"); anything else as typed. */
function nhsNumberForForm(value: string | null | undefined): string {
  const digits = normaliseNhsNumber(value ?? '');
  return /^\d{10}$/.test(digits) ? formatNhsNumber(digits) : (value ?? '');
}

/** An intake item id is a UUID; anything else is never put into a link or a redirect. */
export function intakeIdFrom(value: string | undefined): string | null {
  return value !== undefined && /^[A-Za-z0-9-]{1,64}$/.test(value) ? value : null;
}

export const sexItems = SEXES.map((s) => ({ value: s, text: SEX_LABELS[s] }));

const FORM_FIELDS = [
  'nhsNumber',
  'hospitalNumber',
  'givenName',
  'familyName',
  'sex',
  'addressLine1',
  'addressLine2',
  'town',
  'postcode',
  'phone',
  'gpPracticeName',
  'gpPracticeOds',
  'nextOfKinName',
  'nextOfKinRelationship',
  'nextOfKinPhone',
  'communicationNeeds',
  'allergies',
  'alerts',
  'relevantConditions',
] as const;

/** Turns the form into the service's input; the three date boxes become one YYYY-MM-DD. */
export function patientFromForm(f: Record<string, string>): {
  raw: Record<string, unknown>;
  dateError: FieldError | null;
} {
  const raw: Record<string, unknown> = {};
  for (const k of FORM_FIELDS) {
    if (f[k] !== undefined) {
      raw[k] = f[k];
    }
  }
  const { date, error: dateError } = dateFromParts(f, 'dateOfBirth', 'Date of birth', '15 3 1984');
  if (date) {
    raw.dateOfBirth = date;
  }
  return { raw, dateError };
}

/**
 * When the date boxes do not make a date, the other fields are still checked (by the same
 * validation the service runs) so that the person sees every problem at once.
 */
export function dateErrorsWithOthers(
  raw: Record<string, unknown>,
  dateError: FieldError | null,
  today: PlainDate,
): FieldError[] | null {
  if (!dateError) {
    return null;
  }
  const others = validatePatientInput({ ...raw, dateOfBirth: '1900-01-01' }, today);
  return [...(others.ok ? [] : others.errors.filter((e) => e.field !== 'dateOfBirth')), dateError];
}

/** What was typed, to fill the form again. */
export function formValues(f: Record<string, string>) {
  return {
    ...f,
    nhsNumber: nhsNumberForForm(f.nhsNumber),
    dobDay: f['dateOfBirth-day'],
    dobMonth: f['dateOfBirth-month'],
    dobYear: f['dateOfBirth-year'],
  };
}

/** A stored record, to fill the edit form. */
export function valuesFromPatient(p: Patient) {
  const { day, month, year } = datePartsOf(p.dateOfBirth);
  return { ...p, nhsNumber: nhsNumberForForm(p.nhsNumber), dobDay: day, dobMonth: month, dobYear: year };
}

/** What an email referral says about its patient, to fill the registration form. */
export function valuesFromIntake(d: IntakePatientDetails) {
  const { day, month, year } = datePartsOf(d.dateOfBirth);
  return {
    nhsNumber: nhsNumberForForm(d.nhsNumber),
    givenName: d.givenName ?? '',
    familyName: d.familyName ?? '',
    dobDay: day,
    dobMonth: month,
    dobYear: year,
    addressLine1: d.addressLine1 ?? '',
    addressLine2: d.addressLine2 ?? '',
    town: d.town ?? '',
    postcode: d.postcode ?? '',
  };
}
