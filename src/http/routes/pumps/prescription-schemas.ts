import { z } from 'zod';
import { clinicalWarningSchema } from '../../../domain/clinical-warning.ts';
import { PHASES } from '../../../domain/dose-change.ts';
import { doseProgrammeSchema, MAX_FLEX_STEPS, PROGRAMME_MODES } from '../../../domain/dose-programme.ts';
import {
  DRUGS,
  prescriptionDecisionSchema,
  prescriptionSchema as prescriptionInputSchema,
} from '../../../domain/prescription-input.ts';
import { describeFields } from '../api/describe-fields.ts';

/**
 * The prescription API's schemas. The bodies are the domain's input schemas
 * (prescription-input.ts, dose-programme.ts) with their fields described: the services parse
 * each body with them, so what the OpenAPI document shows is what checks the request. The
 * responses are the stored prescription.
 */

// ---------------------------------------------------------------- request bodies

export const programmeSchema = describeFields(doseProgrammeSchema, {
  mode: 'simple: one continuous daily dose; flex: steps over the day, per set of weekdays',
  doseMcgPerDay: 'Simple mode: the daily dose in micrograms (mcg), never milligrams',
  schedules: `Flex mode: one schedule per set of weekdays (1 Monday … 7 Sunday), every weekday exactly once. Each has up to ${String(MAX_FLEX_STEPS)} steps {start, end, rateMcgPerHour} joining end to start over exactly 24 h: times HH:MM, an end earlier than the start runs past midnight, 24:00 ends a step at midnight; the rate in mcg per hour, above 0. A step giving more than the usual share of the day (FLEX_STEP_MAX_SHARE_PCT, 25 %) needs a reason`,
  bolus:
    'Patient-activated boluses, planned as if every one is taken: doseMcg (more than the usual share of the continuous daily dose, BOLUS_MAX_SHARE_PCT 10 %, needs a reason), maxPerDay 1 to 24 (more than BOLUS_MAX_PER_DAY, 6, needs a reason), lockoutMinutes 0 to 1440 (shorter than BOLUS_MIN_LOCKOUT_MINUTES, 60, needs a reason)',
}).meta({ description: 'The pump programme' });

export const drugSchema = z.enum(DRUGS.map((d) => d.id));

export const prescriptionBodySchema = describeFields(
  prescriptionInputSchema.extend({ programme: programmeSchema }),
  {
    concentrationMcgPerMl:
      'Concentration in micrograms per mL (mcg/mL): one of the strengths the service stocks (500, 1000 or 2000 by default; 50 is for test doses only). The daily volume must be one the pump model can deliver',
    phase:
      "The phase this prescription puts the pump into. The change is held to the limits of the pump's own phase: titration until a maintenance prescription has been confirmed",
    reason:
      "Required when the prescription has any warning (400 naming reason, with error.details.warnings): a dose outside the usual range, a programme limit, a change beyond the titration limit against the dose 24 h ago (or the replaced pump's dose); for the first prescription, more than the starting dose from the test dose or no positive test dose recorded. Hard limits (a tenfold change, an unstocked strength, a volume the pump cannot deliver) are refused whatever the reason",
  },
);

export const decisionBodySchema = describeFields(prescriptionDecisionSchema, {
  note: 'Required to reject; optional to confirm (up to 2000 characters are kept)',
  programmedOn:
    'Confirm only: the day the pump was reprogrammed (YYYY-MM-DD), today when absent; not in the future, not before the last signed refill or the proposal',
});

// ---------------------------------------------------------------- responses

const stepSchema = z.object({ start: z.string(), end: z.string(), rateMcgPerHour: z.number() });

const programmeOutSchema = z.object({
  mode: z.enum(PROGRAMME_MODES),
  doseMcgPerDay: z.number().nullable(),
  schedules: z.array(z.object({ weekdays: z.array(z.number().int()), steps: z.array(stepSchema) })),
  bolus: z.object({ doseMcg: z.number(), maxPerDay: z.number(), lockoutMinutes: z.number() }).nullable(),
});

export const prescriptionSchema = z.object({
  id: z.string(),
  pumpId: z.string(),
  patientId: z.string(),
  previousId: z.string().nullable(),
  drug: z.string(),
  concentrationMcgPerMl: z.number(),
  programme: programmeOutSchema,
  description: z.string().meta({ description: 'The programme in one line' }),
  doseMcgPerDay: z.number().meta({ description: 'Continuous daily dose (flex: the largest day)' }),
  planningDoseMcgPerDay: z.number().meta({ description: 'Continuous dose plus every permitted bolus' }),
  phase: z.enum(PHASES),
  comparedDoseMcgPerDay: z.number().nullable().meta({ description: 'The confirmed dose 24 h before' }),
  changePercent: z.number().nullable(),
  limitPercent: z.number().nullable(),
  withinLimit: z.boolean().nullable(),
  limitPhase: z.enum(PHASES).nullable().meta({
    description:
      "Whose titration limits the change was held to, from the pump's history; null when compared with the test dose or not recorded",
  }),
  warnings: z
    .array(clinicalWarningSchema)
    .meta({ description: 'The warnings the prescription was accepted with; the reason explains them' }),
  reason: z.string().nullable(),
  state: z.enum(['pending', 'active', 'superseded', 'rejected']),
  refillId: z.string().nullable().meta({ description: 'Set when the change was made at a refill' }),
  proposedAt: z.string(),
  proposedBy: z.string(),
  decidedAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decisionNote: z.string().nullable(),
  version: z.number().int(),
  programmedOn: z.string().nullable().meta({ description: 'The day the pump was programmed with it' }),
});

/** A prescription as the pump's read shows it: with who proposed and confirmed it, and since when. */
export const prescriptionReadSchema = prescriptionSchema.extend({
  proposedByName: z.string().meta({ description: 'The display name of the clinician who proposed it' }),
  decidedByName: z.string().nullable().meta({
    description:
      'The display name of the second clinician who confirmed (or rejected) it; for a change made at a refill, the one who signed the refill',
  }),
  activeSince: z.string().nullable().meta({
    description:
      'Confirmed prescriptions (active or superseded): the day the pump was programmed with it, from which it counts; null while pending or when rejected',
  }),
});
