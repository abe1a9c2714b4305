import { z } from 'zod';
import { checkNhsNumber, NHS_NUMBER_MESSAGES } from '../../../domain/nhs-number.ts';
import { parsePlainDate } from '../../../domain/calendar-date.ts';
import { patientInputSchema, SEXES } from '../../../domain/patient.ts';

/** The patient API's schemas: the same zod objects validate requests and generate the OpenAPI document. */
export const patientBodySchema = patientInputSchema
  .extend({
    confirmNotDuplicate: z.boolean({ error: 'confirmNotDuplicate must be true or false' }).optional().meta({
      description:
        'true once the caller has checked the possible duplicates a 409 LIKELY_DUPLICATE_PATIENT listed and this is a different person',
    }),
  })
  .meta({
    description:
      'A patient. nhsNumber may contain spaces or dashes; dateOfBirth is YYYY-MM-DD. Someone born on the same day with a similar name is refused (409 LIKELY_DUPLICATE_PATIENT) unless confirmNotDuplicate is true.',
  });

export const patientUpdateBodySchema = patientInputSchema.extend({
  version: z.number({ error: 'version must be the record version you read' }).int().min(1),
});

export const patientSchema = z.object({
  id: z.string(),
  nhsNumber: z.string(),
  hospitalNumber: z.string().nullable(),
  givenName: z.string(),
  familyName: z.string(),
  dateOfBirth: z.string(),
  sex: z.enum(SEXES),
  addressLine1: z.string().nullable(),
  addressLine2: z.string().nullable(),
  town: z.string().nullable(),
  postcode: z.string().nullable(),
  phone: z.string().nullable(),
  gpPracticeName: z.string().nullable(),
  gpPracticeOds: z.string().nullable(),
  nextOfKinName: z.string().nullable(),
  nextOfKinRelationship: z.string().nullable(),
  nextOfKinPhone: z.string().nullable(),
  communicationNeeds: z.string().nullable(),
  allergies: z.string().nullable(),
  alerts: z.string().nullable(),
  relevantConditions: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});

export const patientSearchQuerySchema = z
  .object({
    q: z.string().trim().min(1).max(200).optional().meta({
      description:
        "What a person would type in the search box: an NHS number, names or parts of them (o'brien, Brien-Smith), a date of birth (7 March 1978, 07/03/1978, 1978-03-07) or a hospital number (RR8 123456), in any combination",
    }),
    nhsNumber: z
      .string()
      .optional()
      .superRefine((v, ctx) => {
        if (v !== undefined) {
          const checked = checkNhsNumber(v);
          if (!checked.ok) {
            ctx.addIssue({ code: 'custom', message: NHS_NUMBER_MESSAGES[checked.problem] });
          }
        }
      }),
    hospitalNumber: z.string().trim().min(1).max(30).optional().meta({
      description: 'Compared without case, spaces or hyphens: RR8 123456 finds RR8123456',
    }),
    familyName: z.string().trim().min(1).max(100).optional().meta({
      description:
        'The start of the family name or of any part of it, ignoring case, accents and punctuation',
    }),
    givenName: z.string().trim().min(1).max(100).optional().meta({
      description: 'The start of a given name or of any part of it, ignoring case, accents and punctuation',
    }),
    dateOfBirth: z
      .string()
      .optional()
      .refine((v) => v === undefined || parsePlainDate(v) !== null, {
        error: 'dateOfBirth must be a real date, YYYY-MM-DD',
      }),
  })
  .refine(
    (q) =>
      [q.q, q.nhsNumber, q.hospitalNumber, q.familyName, q.givenName, q.dateOfBirth].some(
        (v) => v !== undefined,
      ),
    {
      error: 'Give at least one of q, nhsNumber, hospitalNumber, familyName, givenName, dateOfBirth',
      path: ['nhsNumber'],
    },
  );
