import { z } from 'zod';
import { CANCEL_REASONS } from '../../../domain/appointment.ts';
import {
  AETIOLOGIES,
  CONDITIONS,
  ORIGINS,
  REFERRAL_SOURCES,
  REFERRER_GRADES,
  referralInputSchema,
  TREATMENTS,
} from '../../../domain/referral.ts';
import { CHECK_REASONS } from '../../../domain/referral-check.ts';
import { NEXT_STEPS } from '../../../domain/first-appointment-outcome.ts';
import { REFERRAL_SEARCH_MAX_LENGTH } from '../../../domain/referral-search.ts';
import { PRIORITIES, REDIRECT_METHODS, TRIAGE_OUTCOMES } from '../../../domain/triage.ts';
import { WAIT_STATUSES } from '../../../domain/waiting-target.ts';
import { REFERRAL_PAGE_SIZE, REFERRAL_PAGE_SIZE_MAX } from '../../../services/referral-lists-service.ts';

/**
 * The referral API's schemas. Requests are checked for shape here and for meaning (the rules
 * between fields, today's date) by the same domain validation the pages use.
 */
export const referralBodySchema = referralInputSchema
  .extend({
    patientId: z.string().optional(),
    nhsNumber: z.string().optional(),
  })
  .meta({
    description:
      "A referral for a registered patient, named by patientId or nhsNumber. receivedOn is YYYY-MM-DD; ubrn (12 digits) is required for e-RS referrals. ersServiceName (e-RS referrals) defaults to the ERS_SERVICE_NAME setting. referrerGrade: an email referral from anyone but a consultant (or with no grade) is marked as needing a consultant's check.",
  });

export const triageBodySchema = z
  .object({
    outcome: z.enum(TRIAGE_OUTCOMES, { error: 'outcome must be accepted, not-accepted or redirected' }),
    priority: z.enum(PRIORITIES).nullish(),
    advice: z.string().nullish(),
    redirectTo: z.string().nullish(),
    redirectSent: z.boolean().nullish().meta({
      description:
        'redirected only: true when the referral has been sent on to redirectTo, false when the referrer is only advised to refer there. The letter says "we have redirected it" only when true.',
    }),
    redirectMethod: z.enum(REDIRECT_METHODS).nullish().meta({
      description: 'How it was sent on (e-rs, email, post); needed when redirectSent is true.',
    }),
    reason: z.string().nullish(),
    version: z.number().int().min(1).optional(),
  })
  .meta({
    description:
      'accepted needs priority; not-accepted needs advice; redirected needs redirectTo, advice and redirectSent (with redirectMethod when true). Changing an earlier decision needs reason. version, when given, must be the referral version you read. Refused (409 LETTERS_NEED_SERVICE_CONTACTS) while SERVICE_PHONE or SERVICE_EMAIL is unset.',
  });

export const appointmentBodySchema = z.object({
  date: z.string({ error: 'Enter the appointment date' }).meta({ description: 'YYYY-MM-DD' }),
  time: z.string({ error: 'Enter the appointment time' }).meta({ description: 'HH:MM, 24-hour' }),
  clinic: z.string({ error: 'Enter the clinic' }),
  clinician: z.string({ error: 'Enter the clinician' }),
  confirmBeyondTarget: z.boolean({ error: 'confirmBeyondTarget must be true or false' }).optional().meta({
    description:
      "true to book a date after the referral's target date (wait.targetDate); without it such a booking is refused (400, field confirmBeyondTarget). Kept with the appointment as beyondTargetDate and audited",
  }),
});

const waitSchema = z.object({
  status: z.enum(WAIT_STATUSES),
  statusText: z.string(),
  clockStartOn: z.string(),
  targetDays: z.number().int().meta({
    description:
      'Days of the target applied: WAIT_TARGET_DAYS, or WAIT_URGENT_TARGET_DAYS for an urgent referral',
  }),
  targetDate: z.string(),
  daysWaited: z.number().int(),
  daysLeft: z.number().int(),
  bookedOn: z.string().nullable(),
  seenOn: z.string().nullable(),
  outcomeOverdue: z.boolean(),
  targetDateNote: z
    .string()
    .nullable()
    .meta({ description: 'When the target date is not a working day, what the waiting list says beside it' }),
});

export const appointmentSchema = z.object({
  id: z.string(),
  referralId: z.string(),
  date: z.string(),
  time: z.string(),
  clinic: z.string(),
  clinician: z.string(),
  state: z.enum(['booked', 'cancelled', 'attended']),
  rebookedFrom: z.string().nullable(),
  cancelReason: z.enum(CANCEL_REASONS).nullable(),
  cancelNote: z.string().nullable(),
  outcomeNote: z.string().nullable(),
  createdAt: z.string(),
  version: z.number().int(),
  beyondTargetDate: z.string().nullable().meta({
    description:
      "Booked after the referral's target, confirmed by the booker: the target date then; else null",
  }),
});

export const decisionSchema = z.object({
  id: z.string(),
  outcome: z.enum(TRIAGE_OUTCOMES),
  priority: z.enum(PRIORITIES).nullable(),
  advice: z.string().nullable(),
  redirectTo: z.string().nullable(),
  redirectSent: z.boolean().nullable(),
  redirectMethod: z.enum(REDIRECT_METHODS).nullable(),
  changeReason: z.string().nullable(),
  decidedBy: z.string(),
  decidedByName: z.string(),
  decidedAt: z.string(),
});

export const referralSchema = z.object({
  id: z.string(),
  patientId: z.string(),
  source: z.enum(REFERRAL_SOURCES),
  ubrn: z.string().nullable(),
  receivedOn: z.string(),
  referrerName: z.string(),
  referrerRole: z.string(),
  referrerOrganisation: z.string(),
  referrerOdsCode: z.string().nullable(),
  referrerEmail: z.string().nullable(),
  referrerPhone: z.string().nullable(),
  reason: z.string(),
  conditions: z.array(z.enum(CONDITIONS)),
  origin: z.enum(ORIGINS),
  aetiology: z.enum(AETIOLOGIES),
  aetiologyOther: z.string().nullable(),
  treatmentsTried: z.array(z.enum(TREATMENTS)),
  treatmentsNote: z.string().nullable(),
  referrerGrade: z.enum(REFERRER_GRADES).nullable(),
  ersServiceName: z
    .string()
    .nullable()
    .meta({ description: 'e-RS referrals: the e-RS service it was made to' }),
  sourceLabel: z
    .string()
    .meta({ description: 'How it arrived, in words; only a consultant’s email is a consultant email' }),
  check: z
    .object({
      needed: z.boolean().meta({
        description: 'The mark stands: the referral cannot be accepted until a consultant clears it',
      }),
      reason: z.enum(CHECK_REASONS),
      reasonText: z.string(),
      clearedAt: z.string().nullable(),
      clearedBy: z.string().nullable(),
      clearedNote: z.string().nullable(),
    })
    .nullable()
    .meta({ description: 'An email referral not from a consultant is marked for a consultant to check' }),
  state: z.enum(['awaiting-triage', ...TRIAGE_OUTCOMES]),
  priority: z.enum(PRIORITIES).nullable(),
  acceptedOn: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});

export const referralDetailSchema = referralSchema.extend({
  decisions: z.array(decisionSchema),
  appointments: z.array(appointmentSchema),
  nextSteps: z
    .array(
      z.object({
        appointmentId: z.string(),
        nextStep: z.enum(NEXT_STEPS),
        summary: z.string(),
        referTo: z.string().nullable(),
        letterId: z.string(),
        recordedBy: z.string(),
        recordedAt: z.string(),
      }),
    )
    .meta({ description: 'The next step recorded after each attended first appointment, oldest first' }),
  documents: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      filename: z.string(),
      contentType: z.string(),
      createdAt: z.string(),
    }),
  ),
  wait: waitSchema.nullable(),
});

export const waitingListSchema = z.object({
  items: z.array(
    z.object({
      referralId: z.string(),
      patientId: z.string(),
      nhsNumber: z.string(),
      patientName: z.string(),
      priority: z.enum(PRIORITIES),
      receivedOn: z.string(),
      targetDays: z
        .number()
        .int()
        .meta({ description: 'WAIT_TARGET_DAYS, or WAIT_URGENT_TARGET_DAYS when urgent' }),
      targetDate: z.string(),
      status: z.enum(WAIT_STATUSES),
      statusText: z.string(),
      daysWaited: z.number().int(),
      daysLeft: z.number().int(),
      bookedDate: z.string().nullable(),
      outcomeOverdue: z.boolean(),
      targetDateNote: z
        .string()
        .nullable()
        .meta({ description: 'When the target date is not a working day: says so, with the day to book by' }),
    }),
  ),
});

export const clearCheckBodySchema = z
  .object({
    note: z.string({ error: 'Enter why this referral can stand' }),
    version: z.number().int().min(1).optional(),
  })
  .meta({
    description:
      'Clears the "needs checking" mark (consultants only). note says why the referral can stand. version, when given, must be the referral version you read.',
  });

const PAGE_MESSAGE = 'page must be a whole number from 1';
const PAGE_SIZE_MESSAGE = `pageSize must be a whole number from 1 to ${String(REFERRAL_PAGE_SIZE_MAX)}`;

/** The referral list's parameters: the same state, search and pages as the list page. */
export const referralListQuerySchema = z.object({
  state: z
    .enum(['awaiting-triage', ...TRIAGE_OUTCOMES], {
      error: 'state must be awaiting-triage, accepted, not-accepted or redirected',
    })
    .optional(),
  q: z
    .string()
    .max(REFERRAL_SEARCH_MAX_LENGTH, {
      error: `q must be ${String(REFERRAL_SEARCH_MAX_LENGTH)} characters or fewer`,
    })
    .optional()
    .meta({
      description:
        "Search: the patient's NHS number or the UBRN (spaces allowed), or words starting the patient's names or part of the referrer's name or organisation",
    }),
  page: z.coerce
    .number({ error: PAGE_MESSAGE })
    .int({ error: PAGE_MESSAGE })
    .min(1, { error: PAGE_MESSAGE })
    .max(1_000_000_000, { error: PAGE_MESSAGE })
    .default(1)
    .meta({ description: 'From 1; a page past the last answers the last' }),
  pageSize: z.coerce
    .number({ error: PAGE_SIZE_MESSAGE })
    .int({ error: PAGE_SIZE_MESSAGE })
    .min(1, { error: PAGE_SIZE_MESSAGE })
    .max(REFERRAL_PAGE_SIZE_MAX, { error: PAGE_SIZE_MESSAGE })
    .default(REFERRAL_PAGE_SIZE),
});

export const referralListSchema = z.object({
  items: z.array(
    referralSchema.extend({
      patientName: z.string().meta({ description: 'FAMILY, Given' }),
      nhsNumber: z.string(),
    }),
  ),
  total: z.number().int().meta({ description: 'How many referrals match, on every page' }),
  page: z.number().int().meta({ description: 'The page answered' }),
  pageSize: z.number().int(),
  pages: z.number().int(),
});
