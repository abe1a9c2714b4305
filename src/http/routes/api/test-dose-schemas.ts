import { z } from 'zod';
import { MAS_GRADES, MUSCLE_GROUPS, SIDES } from '../../../domain/outcome-measures.ts';
import {
  abandonInputSchema,
  BOLUS_ROUTES,
  bolusInputSchema,
  EPISODE_STATES,
  episodeInputSchema,
  observationInputSchema,
  preChecksInputSchema,
  resultInputSchema,
  SIDE_EFFECTS,
  TEST_RESULTS,
} from '../../../domain/test-dose.ts';

/**
 * The test-dose API's schemas. Request bodies are the domain's own schemas, so the API checks
 * the same shapes as the forms; the rules that need the episode (pre-checks done, the ladder,
 * 24 hours since the patient's last bolus, one observation per hour) are checked by the service.
 */

export const episodeBodySchema = episodeInputSchema.meta({
  description:
    "A new test-dose episode and its pre-checks. Yes/no checks are true, false or null (not answered yet); every one must be answered, with noInfection and anticoagulantsReviewed true, before a bolus. goals is required. botulinumToxinOn is YYYY-MM-DD; with recentBotulinumToxin true give it or botulinumToxinNote. assessmentId links one of the patient's selection assessments.",
});

export const preChecksBodySchema = preChecksInputSchema.meta({
  description: 'The pre-checks, answered again in full (as for a new episode, without assessmentId).',
});

export const bolusBodySchema = bolusInputSchema.meta({
  description:
    "A test bolus given by the caller (who must be a prescriber). doseMcg in micrograms (0.05 is refused as milligrams); concentrationMcgPerMl defaults to the screening strength, and another needs concentrationReason. givenAt is ISO 8601 with Z or an offset, not in the future, and at least the configured interval (24 h) after the patient's previous bolus. The dose must be the ladder's next rung (50, 75, 100 mcg by default) unless offLadderReason is given.",
});

export const observationBodySchema = observationInputSchema.meta({
  description:
    'One observation after a bolus. hour is one of the configured hours (0 = baseline before the bolus, 2, 4, 6, 8), once per bolus. mas grades are the strings "0", "1", "1+", "2", "3", "4". Vital signs are whole numbers; sideEffects are ids from the list; "other" needs sideEffectNote. At least one measure.',
});

export const resultBodySchema = resultInputSchema.meta({
  description:
    "The clinician confirms the result of the latest bolus (prescribers only). reason is required when it differs from the suggestion or the suggestion is incomplete. effectHours (positive only) defaults to the suggestion's. Positive closes the episode; negative at the last rung closes it as not-for-implant; negative lower down leaves it open for the next rung.",
});

export const abandonBodySchema = abandonInputSchema;

const fieldErrorSchema = z.object({ field: z.string(), message: z.string() });

const masEntrySchema = z.object({
  muscleGroup: z.enum(MUSCLE_GROUPS.map((g) => g.id) as [string, ...string[]]),
  side: z.enum(SIDES),
  grade: z.enum(MAS_GRADES),
});

const observationSchema = z.object({
  id: z.string(),
  hour: z.number(),
  mas: z.array(masEntrySchema),
  pennFrequency: z.number().int().nullable(),
  heartRateBpm: z.number().int().nullable(),
  systolicMmHg: z.number().int().nullable(),
  diastolicMmHg: z.number().int().nullable(),
  respiratoryRatePerMin: z.number().int().nullable(),
  spo2Percent: z.number().int().nullable(),
  sideEffects: z.array(z.enum(SIDE_EFFECTS.map((s) => s.id) as [string, ...string[]])),
  sideEffectNote: z.string().nullable(),
  note: z.string().nullable(),
  recordedAt: z.string(),
  recordedBy: z.string(),
});

export const suggestionSchema = z
  .object({
    outcome: z.enum(['positive', 'negative', 'incomplete']),
    explanation: z.string(),
    atHour: z.number(),
    baselineMean: z.number().nullable(),
    atHourMean: z.number().nullable(),
    drop: z.number().nullable(),
    comparedPairs: z.number().int(),
    effectHours: z
      .number()
      .nullable()
      .meta({ description: 'The last observation hour at which the drop criterion still held' }),
    effectOutlastedObservations: z.boolean(),
  })
  .meta({
    description:
      'Positive when the mean Ashworth grade of the groups graded at baseline drops by at least the configured points at the configured hour (1+ counts 1.5)',
  });

const resultSchema = z.object({
  result: z.enum(TEST_RESULTS),
  suggestedOutcome: z.enum(['positive', 'negative', 'incomplete']),
  reason: z.string().nullable(),
  effectHours: z.number().nullable(),
  adverseReactions: z.boolean(),
  adverseNote: z.string().nullable(),
  note: z.string().nullable(),
  decidedAt: z.string(),
  decidedOn: z.string(),
  decidedBy: z.string(),
});

const bolusSchema = z.object({
  id: z.string(),
  sequence: z.number().int(),
  doseMcg: z.number(),
  concentrationMcgPerMl: z.number(),
  concentrationReason: z.string().nullable(),
  volumeMl: z.number().meta({ description: 'Dose ÷ concentration, to 0.01 mL' }),
  ladderDoseMcg: z.number().nullable().meta({ description: "The ladder's next rung when it was given" }),
  offLadderReason: z.string().nullable(),
  route: z.enum(BOLUS_ROUTES),
  givenAt: z.string(),
  givenBy: z.string(),
  checkedBy: z.string().nullable(),
  note: z.string().nullable(),
  recordedAt: z.string(),
  observations: z.array(observationSchema),
  suggestion: suggestionSchema,
  result: resultSchema.nullable(),
});

export const episodeSchema = z.object({
  id: z.string(),
  patientId: z.string(),
  assessmentId: z.string().nullable(),
  state: z.enum(EPISODE_STATES),
  preChecks: z.object({
    noInfection: z.boolean().nullable(),
    infectionNote: z.string().nullable(),
    anticoagulantsReviewed: z.boolean().nullable(),
    anticoagulantNote: z.string().nullable(),
    recentBotulinumToxin: z.boolean().nullable(),
    botulinumToxinOn: z.string().nullable(),
    botulinumToxinNote: z.string().nullable(),
    oralAntispasmodicPlan: z.string().nullable(),
    goals: z.string(),
  }),
  boluses: z.array(bolusSchema),
  nextBolus: z
    .object({
      ladderDoseMcg: z.number().nullable(),
      ladderVolumeMl: z.number().nullable(),
      earliestAt: z.string().nullable(),
      blockers: z.array(fieldErrorSchema),
    })
    .nullable()
    .meta({
      description: 'For an open episode: the next rung, the earliest time, and what stops a bolus now',
    }),
  startingDose: z
    .object({
      testDoseMcg: z.number(),
      effectHours: z.number(),
      adverseReactions: z.boolean(),
      dailyDoseMcg: z.number(),
      rule: z.enum(['double', 'same']),
    })
    .nullable()
    .meta({ description: 'For a positive episode: the suggested starting daily dose after implant' }),
  abandonReason: z.string().nullable(),
  closedAt: z.string().nullable(),
  closedOn: z.string().nullable(),
  closedBy: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});

export const episodeListSchema = z.object({
  patientId: z.string(),
  episodes: z
    .array(
      z.object({
        id: z.string(),
        state: z.enum(EPISODE_STATES),
        createdAt: z.string(),
        closedAt: z.string().nullable(),
        dosesMcg: z.array(z.number()),
      }),
    )
    .meta({ description: 'Newest first' }),
});
