import { z } from 'zod';
import { checkNhsNumber, NHS_NUMBER_MESSAGES } from '../../../domain/nhs-number.ts';
import { parsePlainDate } from '../../../domain/calendar-date.ts';
import { patientInputSchema, SEXES } from '../../../domain/patient.ts';

/** The patient API's schemas: the same zod objects validate requests and generate the OpenAPI document. */
export const patientBodySchema = patientInputSchema.meta({
  description: 'A patient. nhsNumber may contain spaces or dashes; dateOfBirth is YYYY-MM-DD.',
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
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});

export const patientSearchQuerySchema = z
  .object({
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
    familyName: z.string().trim().min(1).max(100).optional(),
    givenName: z.string().trim().min(1).max(100).optional(),
    dateOfBirth: z
      .string()
      .optional()
      .refine((v) => v === undefined || parsePlainDate(v) !== null, {
        error: 'dateOfBirth must be a real date, YYYY-MM-DD',
      }),
  })
  .refine((q) => [q.nhsNumber, q.familyName, q.givenName, q.dateOfBirth].some((v) => v !== undefined), {
    error: 'Give at least one of nhsNumber, familyName, givenName, dateOfBirth',
    path: ['nhsNumber'],
  });
