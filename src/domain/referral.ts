import { z } from 'zod';
import { addDays, formatPlainDate, type PlainDate } from './calendar-date.ts';
import { zodIssuesToFieldErrors, type FieldError, type Validated } from './field-error.ts';
import { EMAIL, ODS_CODE, optionalText, PHONE, plainDateField, requiredText } from './schema-fields.ts';
import { parseUbrn } from './ubrn.ts';

/**
 * A referral to the service: GPs refer through the NHS e-Referral Service (e-RS, which replaced
 * Choose and Book on 15 June 2015 [ERS]); consultants inside the trust refer by email to the
 * service mailbox [LTH-SEED]. The fields follow what services ask a referral to contain
 * (clinical-reference.md section 1: [BHAM], [CBA]).
 */
export const REFERRAL_SOURCES = ['e-rs', 'email'] as const;
export type ReferralSource = (typeof REFERRAL_SOURCES)[number];
export const SOURCE_LABELS: Readonly<Record<ReferralSource, string>> = {
  'e-rs': 'e-RS (formerly Choose and Book)',
  email: 'Consultant email',
};

/**
 * The service GP practices select in e-RS for the Leeds adult ITB service [LTH-SEED]; a setting
 * (ERS_SERVICE_NAME), recorded with each e-RS referral and correctable by staff.
 */
export const DEFAULT_ERS_SERVICE_NAME = 'Complex Neuro Rehab';
export const ERS_SERVICE_NAME_MAX = 120;

/**
 * The referrer's grade, recorded beside their role in words. Consultants in the trust refer by
 * email [LTH-SEED]; a referral by email from anyone else is marked for a consultant to check
 * (referral-check.ts) rather than filed as a consultant referral.
 */
export const REFERRER_GRADES = [
  'consultant',
  'registrar',
  'other-doctor',
  'gp',
  'nurse',
  'therapist',
  'other',
] as const;
export type ReferrerGrade = (typeof REFERRER_GRADES)[number];
export const REFERRER_GRADE_LABELS: Readonly<Record<ReferrerGrade, string>> = {
  consultant: 'Consultant',
  registrar: 'Registrar or other doctor in training',
  'other-doctor': 'Specialty doctor or other hospital doctor',
  gp: 'GP',
  nurse: 'Nurse',
  therapist: 'Therapist',
  other: 'Other',
};

export const CONDITIONS = ['spasticity', 'dystonia'] as const;
export type Condition = (typeof CONDITIONS)[number];
export const CONDITION_LABELS: Readonly<Record<Condition, string>> = {
  spasticity: 'Spasticity',
  dystonia: 'Dystonia',
};

export const ORIGINS = ['spinal', 'cerebral', 'mixed', 'not-known'] as const;
export type Origin = (typeof ORIGINS)[number];
export const ORIGIN_LABELS: Readonly<Record<Origin, string>> = {
  spinal: 'Spinal origin',
  cerebral: 'Cerebral origin',
  mixed: 'Spinal and cerebral',
  'not-known': 'Not known yet',
};

export const AETIOLOGIES = [
  'multiple-sclerosis',
  'cerebral-palsy',
  'spinal-cord-injury',
  'acquired-brain-injury',
  'stroke',
  'hereditary-spastic-paraparesis',
  'other',
] as const;
export type Aetiology = (typeof AETIOLOGIES)[number];
export const AETIOLOGY_LABELS: Readonly<Record<Aetiology, string>> = {
  'multiple-sclerosis': 'Multiple sclerosis',
  'cerebral-palsy': 'Cerebral palsy',
  'spinal-cord-injury': 'Spinal cord injury',
  'acquired-brain-injury': 'Acquired brain injury',
  stroke: 'Stroke',
  'hereditary-spastic-paraparesis': 'Hereditary spastic paraparesis',
  other: 'Other',
};

/** The less invasive treatments the selection criteria ask about (clinical-reference.md section 2). */
export const TREATMENTS = [
  'oral-baclofen',
  'tizanidine',
  'gabapentin',
  'dantrolene',
  'botulinum-toxin',
  'physiotherapy',
  'orthotics',
] as const;
export type Treatment = (typeof TREATMENTS)[number];
export const TREATMENT_LABELS: Readonly<Record<Treatment, string>> = {
  'oral-baclofen': 'Oral baclofen',
  tizanidine: 'Tizanidine',
  gabapentin: 'Gabapentin',
  dantrolene: 'Dantrolene',
  'botulinum-toxin': 'Botulinum toxin',
  physiotherapy: 'Physiotherapy',
  orthotics: 'Orthotics',
};

/**
 * How far back a received date may be entered: further back is almost certainly a typing error
 * (a year typed wrongly), and it would put a referral straight into breach.
 */
export const MAX_RECEIVED_DAYS_AGO = 366;

export const referralInputSchema = z.object({
  source: z.enum(REFERRAL_SOURCES, { error: 'Select how the referral arrived: e-RS or consultant email' }),
  ubrn: optionalText('UBRN', 20).transform((v, ctx) => {
    if (v === null) {
      return null;
    }
    const ubrn = parseUbrn(v);
    if (ubrn === null) {
      ctx.addIssue({ code: 'custom', message: 'UBRN must be 12 digits, like 0000 1234 5678' });
      return z.NEVER;
    }
    return ubrn;
  }),
  receivedOn: plainDateField('Date received'),
  referrerName: requiredText('Referrer name', 120),
  referrerRole: requiredText('Referrer role', 80),
  referrerGrade: z
    .enum(REFERRER_GRADES, {
      error: "Referrer's grade must be consultant, registrar, other doctor, GP, nurse, therapist or other",
    })
    .nullish()
    .transform((v) => v ?? null),
  referrerOrganisation: requiredText('Referrer organisation', 160),
  referrerOdsCode: optionalText('Referrer ODS code', 10)
    .transform((v) => (v === null ? null : v.toUpperCase()))
    .refine((v) => v === null || ODS_CODE.test(v), {
      error: 'Referrer ODS code must be 3 to 10 letters and numbers, like B86016',
    }),
  referrerEmail: optionalText('Referrer email address', 254).refine((v) => v === null || EMAIL.test(v), {
    error: 'Enter the referrer email address in the correct format, like name@nhs.net',
  }),
  referrerPhone: optionalText('Referrer phone number', 30).refine((v) => v === null || PHONE.test(v), {
    error:
      'Referrer phone number must contain only numbers, spaces, brackets, dashes and an optional leading +',
  }),
  reason: requiredText('Reason for referral', 5000),
  conditions: z
    .array(z.enum(CONDITIONS, { error: 'Condition must be spasticity or dystonia' }), {
      error: 'Select spasticity, dystonia or both',
    })
    .min(1, { error: 'Select spasticity, dystonia or both' })
    .transform((v) => CONDITIONS.filter((c) => v.includes(c))),
  origin: z.enum(ORIGINS, { error: 'Select the origin: spinal, cerebral, both or not known yet' }),
  aetiology: z.enum(AETIOLOGIES, { error: 'Select the cause (aetiology)' }),
  aetiologyOther: optionalText('Other cause', 200),
  treatmentsTried: z
    .array(z.enum(TREATMENTS, { error: 'Treatment tried must be one of the listed treatments' }), {
      error: 'Treatments tried must be a list',
    })
    .default([])
    .transform((v) => TREATMENTS.filter((t) => v.includes(t))),
  treatmentsNote: optionalText('Notes on treatments tried', 2000),
  ersServiceName: optionalText('e-RS service name', ERS_SERVICE_NAME_MAX),
});

export type ReferralInput = z.output<typeof referralInputSchema>;

/**
 * Validates a referral's details against each other and today's date (Europe/London). An e-RS
 * referral without an e-RS service name gets the service's configured one; other referrals
 * keep none.
 */
export function validateReferralInput(
  raw: unknown,
  today: PlainDate,
  ersServiceName: string = DEFAULT_ERS_SERVICE_NAME,
): Validated<ReferralInput> {
  const parsed = referralInputSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, errors: zodIssuesToFieldErrors(parsed.error.issues) };
  }
  const v = parsed.data;
  const errors: FieldError[] = [];
  if (v.source === 'e-rs' && v.ubrn === null) {
    errors.push({ field: 'ubrn', message: 'Enter the UBRN from e-RS' });
  }
  if (v.source === 'e-rs' && v.referrerOdsCode === null) {
    errors.push({ field: 'referrerOdsCode', message: "Enter the referrer's ODS code from e-RS" });
  }
  if (v.receivedOn > today) {
    errors.push({ field: 'receivedOn', message: 'Date received must be today or in the past' });
  } else if (v.receivedOn < addDays(today, -MAX_RECEIVED_DAYS_AGO)) {
    errors.push({
      field: 'receivedOn',
      message: `Date received must be after ${formatPlainDate(addDays(today, -MAX_RECEIVED_DAYS_AGO))}`,
    });
  }
  if (v.referrerEmail === null && v.referrerPhone === null) {
    errors.push({ field: 'referrerEmail', message: "Enter the referrer's email address or phone number" });
  }
  if (v.aetiology === 'other' && v.aetiologyOther === null) {
    errors.push({ field: 'aetiologyOther', message: 'Enter the other cause' });
  }
  return errors.length > 0
    ? { ok: false, errors }
    : {
        ok: true,
        value: {
          ...v,
          aetiologyOther: v.aetiology === 'other' ? v.aetiologyOther : null,
          ersServiceName: v.source === 'e-rs' ? (v.ersServiceName ?? ersServiceName) : null,
        },
      };
}
