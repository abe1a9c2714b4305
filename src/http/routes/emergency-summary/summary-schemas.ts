import { z } from 'zod';
import { breakGlassRequestSchema } from '../../../domain/break-glass.ts';

/** The emergency summary and break-glass API's schemas (one zod object: validation and OpenAPI). */

export const breakGlassBodySchema = breakGlassRequestSchema.meta({
  description:
    'Break-glass: the patient’s NHS number and date of birth (YYYY-MM-DD), both of which must match, and why the summary is needed (10 to 500 characters). For emergency clinicians only.',
});

export const breakGlassGrantSchema = z.object({
  id: z.string(),
  patientId: z.string(),
  grantedAt: z.string(),
  expiresAt: z
    .string()
    .meta({ description: 'After this the summary is refused (403) until a new reason is given' }),
});

const contactRow = z.object({ label: z.string(), value: z.string(), notSet: z.boolean() });
const statement = z.object({ text: z.string(), sources: z.array(z.string()) });
const section = z.object({ heading: z.string(), items: z.array(statement) });

export const emergencySummarySchema = z.object({
  patient: z.object({
    id: z.string(),
    nhsNumber: z.string(),
    givenName: z.string(),
    familyName: z.string(),
    dateOfBirth: z.string(),
    sex: z.string(),
    allergies: z.string().nullable(),
    relevantConditions: z.string().nullable(),
    communicationNeeds: z.string().nullable(),
    alerts: z.string().nullable(),
  }),
  today: z.string(),
  generatedAt: z.string(),
  pump: z
    .object({
      model: z.string(),
      serialNumber: z.string(),
      implantedOn: z.string(),
      reservoirMl: z.number(),
      alarmMl: z.number(),
      catheterModel: z.string().nullable(),
      catheterTipLevel: z.string().nullable(),
      drug: z.string().nullable(),
      concentrationMcgPerMl: z.number().nullable(),
      doseMcgPerDay: z.number().nullable(),
      programme: z.string().nullable(),
      programmedOn: z.string().nullable(),
      pendingDoseMcgPerDay: z.number().nullable(),
      lastRefill: z
        .object({ performedOn: z.string(), instilledMl: z.number(), concentrationMcgPerMl: z.number() })
        .nullable(),
      unsignedRefillOn: z.string().nullable(),
      reservoirToday: z.object({
        kind: z.enum(['estimated', 'emptied', 'unknown']),
        continuousMl: z.number().nullable(),
        withBolusesMl: z.number().nullable(),
        ranDryOn: z.string().nullable(),
        emptiedOn: z.string().nullable(),
      }),
      alarmOn: z.string().nullable(),
      refillDueBy: z.string().nullable(),
      paused: z
        .object({ since: z.string(), reason: z.string(), emptied: z.boolean(), resumeBy: z.string() })
        .nullable(),
    })
    .nullable()
    .meta({
      description:
        'The implanted pump; null when the patient has none (then lastPumpEndedOn says when the last one ended)',
    }),
  lastPumpEndedOn: z.string().nullable(),
  latestTestDose: z.object({ givenAt: z.string(), doseMcg: z.number(), result: z.string() }).nullable(),
  contacts: z.object({
    service: z.string(),
    inHours: z.array(contactRow),
    outOfHours: z.array(contactRow),
    outOfHoursNotSet: z.boolean(),
  }),
  guidance: z.object({ overdose: z.array(section), withdrawal: z.array(section) }),
  access: z.object({ kind: z.enum(['team', 'break-glass']), expiresAt: z.string().nullable() }),
  openAlerts: z.array(z.string()),
});
