import { z } from 'zod';
import { checkNhsNumber, NHS_NUMBER_MESSAGES } from './nhs-number.ts';
import { parsePlainDate, wholeYearsBetween, type PlainDate } from './calendar-date.ts';
import { zodIssuesToFieldErrors, type FieldError, type Validated } from './field-error.ts';
import { optionalText, PHONE, requiredText } from './schema-fields.ts';

/** Administrative sex as FHIR R4 `AdministrativeGender` (UK Core Patient uses the same set). */
export const SEXES = ['female', 'male', 'other', 'unknown'] as const;
export type Sex = (typeof SEXES)[number];
export const SEX_LABELS: Readonly<Record<Sex, string>> = {
  female: 'Female',
  male: 'Male',
  other: 'Other',
  unknown: 'Not known',
};

/** Oldest plausible age; an older date of birth is almost certainly a typing error. */
export const MAX_AGE_YEARS = 130;

/** UK postcode shape (the outward and inward codes); BFPO and overseas are left to free text. */
const POSTCODE = /^([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})$/;

export const patientInputSchema = z.object({
  nhsNumber: z.string({ error: NHS_NUMBER_MESSAGES.empty }).transform((raw, ctx) => {
    const checked = checkNhsNumber(raw);
    if (!checked.ok) {
      ctx.addIssue({ code: 'custom', message: NHS_NUMBER_MESSAGES[checked.problem] });
      return z.NEVER;
    }
    return checked.value;
  }),
  // Kept as entered ("RR8 123456"); search compares it without spaces (patient-search-key.ts).
  hospitalNumber: optionalText('Hospital number', 20)
    .transform((v) => (v === null ? null : v.replace(/\s+/g, ' ')))
    .refine((v) => v === null || /^[A-Za-z0-9][A-Za-z0-9 -]*$/.test(v), {
      error: 'Hospital number must contain only letters, numbers, spaces and hyphens',
    }),
  givenName: requiredText('Given name', 100),
  familyName: requiredText('Family name', 100),
  dateOfBirth: z.string({ error: 'Enter the date of birth' }).refine((v) => parsePlainDate(v) !== null, {
    error: 'Date of birth must be a real date in the format YYYY-MM-DD',
  }),
  sex: z.enum(SEXES, { error: 'Select the sex: female, male, other or not known' }),
  addressLine1: optionalText('Address line 1', 100),
  addressLine2: optionalText('Address line 2', 100),
  town: optionalText('Town or city', 100),
  postcode: optionalText('Postcode', 10)
    .transform((v) => (v === null ? null : v.toUpperCase().replace(/\s+/g, ' ')))
    .refine((v) => v === null || POSTCODE.test(v), { error: 'Enter a real postcode, like LS1 3EX' })
    .transform((v) => (v === null ? null : v.replace(POSTCODE, '$1 $2'))),
  phone: optionalText('Phone number', 30).refine((v) => v === null || PHONE.test(v), {
    error: 'Phone number must contain only numbers, spaces, brackets, dashes and an optional leading +',
  }),
  gpPracticeName: optionalText('GP practice name', 120),
  gpPracticeOds: optionalText('GP practice ODS code', 10)
    .transform((v) => (v === null ? null : v.toUpperCase()))
    .refine((v) => v === null || /^[A-Z0-9]{3,6}$/.test(v), {
      error: 'GP practice ODS code must be 3 to 6 letters and numbers, like B86016',
    }),
  nextOfKinName: optionalText('Carer or next of kin name', 120),
  nextOfKinRelationship: optionalText('Carer or next of kin relationship', 60),
  nextOfKinPhone: optionalText('Carer or next of kin phone number', 30).refine(
    (v) => v === null || PHONE.test(v),
    { error: 'Carer or next of kin phone number must contain only numbers, spaces, brackets and dashes' },
  ),
  communicationNeeds: optionalText('Communication needs', 1000),
  // Shown in the banner on every page of the patient's record.
  allergies: optionalText('Allergies', 1000),
  alerts: optionalText('Alerts', 1000),
  // What a doctor who has never met the patient must know besides the allergies (the cause of
  // spasticity, a spinal cord injury at T6 or above, epilepsy): shown on the emergency summary.
  relevantConditions: optionalText('Relevant conditions', 1000),
});

export type PatientInput = z.output<typeof patientInputSchema>;

// Kept here too for the many callers that import it from this file.

/**
 * Validates a patient's details. `today` is the calendar date in the service's time zone,
 * passed in because the domain reads no clock.
 */
export function validatePatientInput(raw: unknown, today: PlainDate): Validated<PatientInput> {
  const parsed = patientInputSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, errors: zodIssuesToFieldErrors(parsed.error.issues) };
  }
  const dob = parsed.data.dateOfBirth as PlainDate;
  const errors: FieldError[] = [];
  if (dob > today) {
    errors.push({ field: 'dateOfBirth', message: 'Date of birth must be today or in the past' });
  } else if (wholeYearsBetween(dob, today) > MAX_AGE_YEARS) {
    errors.push({
      field: 'dateOfBirth',
      message: `Date of birth must be within the last ${MAX_AGE_YEARS} years`,
    });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: parsed.data };
}
