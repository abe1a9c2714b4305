import { z } from 'zod';
import { clinicalWarningSchema } from '../../../domain/clinical-warning.ts';
import { masEntrySchema } from '../../../domain/outcome-measures.ts';
import {
  abandonInputSchema,
  EPISODE_STATES,
  episodeInputSchema,
  preChecksInputSchema,
} from '../../../domain/test-dose.ts';
import { BOLUS_ROUTES, bolusInputSchema } from '../../../domain/test-dose-bolus.ts';
import {
  OVERRIDE_STATES,
  overrideInputSchema,
  withdrawOverrideInputSchema,
} from '../../../domain/test-dose-gate.ts';
import { observationInputSchema, sideEffectSchema } from '../../../domain/test-dose-observation.ts';
import { resultInputSchema, SUGGESTED_OUTCOMES, TEST_RESULTS } from '../../../domain/test-dose-result.ts';

/**
 * The test-dose API's schemas. Request bodies are the domain's own schemas, so the API checks
 * the same shapes as the forms and the OpenAPI document shows what validates; the rules that
 * need the episode (pre-checks done, the ladder, 24 hours since the patient's last bolus, one
 * observation per hour) are checked by the service. Responses take their enums and Ashworth
 * entries from the domain too.
 */

export const episodeBodySchema = episodeInputSchema.meta({
  description:
    "A new test-dose episode and its pre-checks. assessmentId is required unless overrideId is given: it must be one of the patient's selection assessments whose standing decision (the latest: the clinician's, or the MDT outcome after it) is proceed-to-test-dose and whose answers meet no absolute contraindication (such as an allergy to oral baclofen or to an ITB test dose). Otherwise a consultant records an override (POST /patients/{patientId}/test-dose-overrides) and overrideId names it: it must be used by someone other than the consultant who recorded it (and who made the linked assessment's decision), and is spent by this episode. Yes/no checks are true, false or null (not answered yet); every one must be answered, with noInfection and anticoagulantsReviewed true, before a bolus. goals is required. botulinumToxinOn is YYYY-MM-DD; with recentBotulinumToxin true give it or botulinumToxinNote. startedAt (ISO 8601 with Z or an offset, not in the future) is when the screening started, for an episode recorded afterwards; left out, it is now. No bolus or observation of the episode may be timed before it.",
});

export const preChecksBodySchema = preChecksInputSchema.meta({
  description: 'The pre-checks, answered again in full (as for a new episode, without assessmentId).',
});

export const bolusBodySchema = bolusInputSchema.meta({
  description:
    "A test bolus given by the caller (who must be a prescriber). doseMcg in micrograms (0.05 is refused as milligrams); above the ladder's top rung (100 mcg by default) it is refused with no override. concentrationMcgPerMl defaults to the screening strength, and another needs concentrationReason. givenAt is ISO 8601 with Z or an offset, not in the future, not before the episode's startedAt, and at least the configured interval (24 h) after the patient's previous bolus. The dose must be the ladder's next rung (50, 75, 100 mcg by default) unless offLadderReason is given; such a bolus is reported with a BOLUS_OFF_LADDER warning. checkedBy is required: the name of the second person who checked the dose drawn up (free text; never the caller).",
});

export const observationBodySchema = observationInputSchema.meta({
  description:
    'One observation after a bolus. hour is one of the configured hours (0 = baseline before the bolus, 2, 4, 6, 8), once per bolus. observedAt is the clock time it was taken (ISO 8601 with Z or an offset), not in the future nor before the episode started: the baseline at or before the bolus\'s givenAt, any other hour after it and within the configured tolerance (TEST_DOSE_OBSERVATION_TOLERANCE_MINUTES, 30 by default) of givenAt plus the hour; otherwise 400 naming observedAt. mas grades are the strings "0", "1", "1+", "2", "3", "4". Vital signs are whole numbers; sideEffects are ids from the list; "other" needs sideEffectNote. At least one measure.',
});

export const resultBodySchema = resultInputSchema.meta({
  description:
    "The clinician confirms the result of the latest bolus (prescribers only). reason is required when it differs from the suggestion or the suggestion is incomplete. effectHours (positive only, more than 0 and at most 48) defaults to the suggestion's only when no duration the observations allow could give the lower starting dose: it is required when the drop still held at the last observation, when no later observation shows it gone, or when it had gone by an hour beyond the long-effect setting (8 h by default); and it may not be shorter than the last hour the drop held. adverseReactions false is refused (400 naming adverseReactions) when any observation of the episode recorded a side effect. Positive closes the episode; negative at the last rung closes it as not-for-implant; negative lower down leaves it open for the next rung.",
});

export const abandonBodySchema = abandonInputSchema;

const fieldErrorSchema = z.object({ field: z.string(), message: z.string() });

const observationSchema = z.object({
  id: z.string(),
  hour: z.number(),
  observedAt: z
    .string()
    .nullable()
    .meta({ description: 'When it was taken (UTC); null on observations recorded before the time was kept' }),
  mas: z.array(masEntrySchema),
  pennFrequency: z.number().int().nullable(),
  heartRateBpm: z.number().int().nullable(),
  systolicMmHg: z.number().int().nullable(),
  diastolicMmHg: z.number().int().nullable(),
  respiratoryRatePerMin: z.number().int().nullable(),
  spo2Percent: z.number().int().nullable(),
  sideEffects: z.array(sideEffectSchema),
  sideEffectNote: z.string().nullable(),
  note: z.string().nullable(),
  recordedAt: z.string(),
  recordedBy: z.string(),
});

export const suggestionSchema = z
  .object({
    outcome: z.enum(SUGGESTED_OUTCOMES),
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
    effectGoneByHour: z.number().nullable().meta({
      description:
        'The first fully graded observation after effectHours, at which the drop no longer held: the effect ended between the two',
    }),
  })
  .meta({
    description:
      'Positive when the mean Ashworth grade of the groups graded at baseline drops by at least the configured points at the configured hour (1+ counts 1.5)',
  });

const resultSchema = z.object({
  result: z.enum(TEST_RESULTS),
  suggestedOutcome: z.enum(SUGGESTED_OUTCOMES),
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
  checkedBy: z.string().nullable().meta({
    description: 'Who checked the dose drawn up; null only on boluses recorded before it was required',
  }),
  note: z.string().nullable(),
  recordedAt: z.string(),
  warnings: z.array(clinicalWarningSchema),
  observations: z.array(observationSchema),
  suggestion: suggestionSchema,
  result: resultSchema.nullable(),
});

export const episodeSchema = z.object({
  id: z.string(),
  patientId: z.string(),
  assessmentId: z.string().nullable(),
  overrideId: z
    .string()
    .nullable()
    .meta({ description: 'The override the episode was started with, if any' }),
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
    .meta({
      description:
        'For a positive episode: the suggested starting daily dose after implant, never more than twice the largest allowed test bolus',
    }),
  startingDoseRefused: z.string().nullable().meta({
    description:
      'Why a positive episode gives no starting dose: its test dose is above the largest allowed bolus (a record from before that limit)',
  }),
  warnings: z.array(clinicalWarningSchema).meta({ description: "Every bolus's warnings, in order" }),
  abandonReason: z.string().nullable(),
  closedAt: z.string().nullable(),
  closedOn: z.string().nullable(),
  closedBy: z.string().nullable(),
  startedAt: z
    .string()
    .meta({ description: 'When the screening started (UTC): as entered, or when it was recorded' }),
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

export const overrideBodySchema = overrideInputSchema.meta({
  description:
    'A consultant records an override of the test-dose gate for this patient, with the reason: a test dose may then start without a selection decision to proceed, or despite an absolute contraindication. Someone other than its author starts that test dose, naming the override as overrideId; the override is then spent. One override may wait per patient (409 while another does).',
});

export const withdrawOverrideBodySchema = withdrawOverrideInputSchema.meta({
  description: 'A consultant withdraws an override that has not been used, with the reason.',
});

export const overrideSchema = z.object({
  id: z.string(),
  patientId: z.string(),
  reason: z.string(),
  state: z.enum(OVERRIDE_STATES),
  createdAt: z.string(),
  createdBy: z.string(),
  createdByName: z.string(),
  episodeId: z.string().nullable().meta({ description: 'The test-dose episode that used it' }),
  usedAt: z.string().nullable(),
  usedBy: z.string().nullable(),
  withdrawnAt: z.string().nullable(),
  withdrawnBy: z.string().nullable(),
  withdrawReason: z.string().nullable(),
});

export const overrideListSchema = z.object({
  patientId: z.string(),
  overrides: z.array(overrideSchema).meta({ description: 'Newest first' }),
});
