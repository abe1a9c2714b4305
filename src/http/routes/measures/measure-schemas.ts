import { z } from 'zod';
import {
  GMFCS_LEVELS,
  MAS_GRADES,
  MUSCLE_GROUPS,
  measureSetInputSchema,
  OCCASIONS,
  SIDES,
} from '../../../domain/outcome-measures.ts';

/**
 * The outcome measure API's schemas. The request body is the domain's own schema, so the API
 * checks the same ranges as the form; the rules between fields (Penn severity only with spasms,
 * one grade per muscle group and side, a date from birth to today) are checked by the service.
 */
export const measureSetBodySchema = measureSetInputSchema.meta({
  description:
    'One occasion\'s outcome measures. recordedOn is YYYY-MM-DD. mas grades are the strings "0", "1", "1+", "2", "3", "4" (never decimals). pennSeverity (1–3) is given only when pennFrequency (0–4) is above 0. gasGoals: text, weight 1–9 (importance × difficulty), baseline −1 or −2, achieved −2..+2 or null until scored. painNrs 0–10. At least one measure.',
});

const masEntrySchema = z.object({
  muscleGroup: z.enum(MUSCLE_GROUPS.map((g) => g.id) as [string, ...string[]]),
  side: z.enum(SIDES),
  grade: z.enum(MAS_GRADES),
});

const gasGoalSchema = z.object({
  text: z.string(),
  weight: z.number().int(),
  baseline: z.number().int(),
  achieved: z.number().int().nullable(),
});

export const measureSetSchema = z.object({
  id: z.string(),
  patientId: z.string(),
  recordedOn: z.string(),
  occasion: z.enum(OCCASIONS),
  assessmentId: z.string().nullable(),
  mas: z.array(masEntrySchema),
  pennFrequency: z.number().int().nullable(),
  pennSeverity: z.number().int().nullable(),
  gasGoals: z.array(gasGoalSchema),
  gmfcsLevel: z.enum(GMFCS_LEVELS).nullable(),
  painNrs: z.number().int().nullable(),
  note: z.string().nullable(),
  baselineTScore: z
    .number()
    .nullable()
    .meta({ description: 'GAS T-score of the baselines, to two decimals; null without goals' }),
  achievedTScore: z.number().nullable().meta({
    description: 'GAS T-score of the achieved scores, to two decimals; null until every goal is scored',
  }),
  painChange: z
    .number()
    .int()
    .nullable()
    .meta({ description: 'Change in pain since the previous set that recorded pain' }),
  painChangeMeaningful: z.boolean().meta({ description: 'A change of 2 points or more (NRS-11)' }),
  createdAt: z.string(),
  createdBy: z.string(),
});

export const measureSetListSchema = z.object({
  patientId: z.string(),
  sets: z.array(measureSetSchema).meta({ description: 'Oldest first, by the date taken' }),
});
