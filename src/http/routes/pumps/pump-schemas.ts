import { z } from 'zod';
import { clinicalWarningSchema } from '../../../domain/clinical-warning.ts';
import { ORIGINS, PHASES } from '../../../domain/dose-change.ts';
import { MAX_FLEX_STEPS, PROGRAMME_MODES } from '../../../domain/dose-programme.ts';
import { PUMP_MODELS } from '../../../domain/pump-device.ts';
import { DRUGS } from '../../../domain/prescription-input.ts';
import { APPOINTMENT_KINDS, APPOINTMENT_STATES } from '../../../domain/pump-appointment-input.ts';
import { PUMP_EVENT_KINDS } from '../../../domain/pump-event-input.ts';
import { REFILL_COMPLICATIONS } from '../../../domain/refill-input.ts';
import { PUMP_STATES } from '../../../domain/pump-lifecycle.ts';
import { AMENDABLE_REFILL_FIELDS, VOLUME_AMENDMENT_FIELDS } from '../../../domain/refill-review-inputs.ts';
import { REFILL_STATUSES } from '../../../domain/refill-worklist.ts';
import { lifecycleOverviewFields } from './pump-lifecycle-schemas.ts';

/**
 * The pump API's schemas. The request bodies here document what the services accept; they are
 * not what checks the request. The services check every body with the domain's own rules (the
 * same ones the pages use), so a 400 names the same fields with the same messages whichever way
 * the data came in: `programme.doseMcgPerDay`, `newPrescription.programme.schedules.0.steps`.
 * Numbers are documented as JSON numbers; the services also take numeric strings, as forms send.
 */

const REFILL_STATES = ['recorded', 'signed', 'voided'] as const;
const date = (description: string) => z.string().meta({ description: `${description} (YYYY-MM-DD)` });
const text = (max: number, description: string) => z.string().max(max).meta({ description });
const optional = (max: number, description: string) => text(max, description).nullish();

// ---------------------------------------------------------------- request bodies

export const pumpBodySchema = z
  .object({
    modelId: z.enum(PUMP_MODELS.map((m) => m.id) as [string, ...string[]]),
    reservoirMl: z
      .number()
      .meta({ description: "Reservoir size in mL; one of the model's sizes (20 or 40 for both models)" }),
    serialNumber: text(40, 'Serial number; unique within the model'),
    implantedOn: date('Implant date, today or earlier and after the date of birth'),
    surgeon: text(100, 'Implanting surgeon'),
    alarmMl: z.number().meta({
      description:
        'Low-reservoir alarm volume in mL, read off the programmer printout: above 0 and below the reservoir size',
    }),
    catheterModel: optional(100, 'Catheter model'),
    catheterTipLevel: optional(40, 'Catheter tip level, e.g. T10'),
    origin: z.enum(ORIGINS).meta({ description: 'Origin of the spasticity; sets the titration limits' }),
    replacesPumpId: z.string().nullish().meta({
      description:
        "The patient's implanted pump this one replaces: registering asks for that pump's end (an endRequest of kind replacement, dated this pump's implantedOn). It stays implanted and on the worklist, marked as ending, until a different clinician confirms it with POST /pump-end-requests/{id}/confirm (then state replaced, a replacement event, its bookings cancelled) or rejects it (409 while another request to end it is waiting)",
    }),
  })
  .meta({ description: 'A pump and catheter as implanted' });

export const pumpEventBodySchema = z.object({
  kind: z.enum(PUMP_EVENT_KINDS).meta({
    description:
      'eri sets the ERI date (the first one counts). Revisions and other need a note. Refused here: replacement (register the new pump with replacesPumpId); explant, death and transfer (POST /pumps/{pumpId}/end-requests: a second clinician confirms); end-corrected, paused and resumed (their own endpoints).',
  }),
  occurredOn: date('When it happened, from the implant date to today'),
  note: optional(2000, 'What was done; required for revision, catheter-revision and other'),
});

const stepSchema = z.object({
  start: z.string().meta({ description: 'HH:MM, local time the rate starts, 00:00 to 23:59' }),
  end: z.string().meta({
    description:
      'HH:MM; earlier than start when the step runs past midnight, equal for one 24 h step; 24:00 ends a step at midnight (00:00-24:00 is a whole day)',
  }),
  rateMcgPerHour: z.number().meta({ description: 'Rate in micrograms per hour, above 0' }),
});

export const programmeSchema = z
  .object({
    mode: z.enum(PROGRAMME_MODES),
    doseMcgPerDay: z
      .number()
      .nullish()
      .meta({ description: 'Simple mode: the daily dose in micrograms (mcg), never milligrams' }),
    schedules: z
      .array(
        z.object({
          weekdays: z.array(z.number().int().min(1).max(7)).meta({ description: '1 Monday … 7 Sunday' }),
          steps: z.array(stepSchema).meta({
            description: `Flex mode: up to ${MAX_FLEX_STEPS} steps joining end to start over exactly 24 h. A step giving more than the usual share of the day (FLEX_STEP_MAX_SHARE_PCT, 25 %) needs a reason`,
          }),
        }),
      )
      .optional()
      .meta({ description: 'Flex mode: one schedule per set of weekdays; every weekday exactly once' }),
    bolus: z
      .object({
        doseMcg: z.number().meta({
          description:
            'Bolus dose in mcg; more than the usual share of the continuous daily dose (BOLUS_MAX_SHARE_PCT, 10 %) needs a reason',
        }),
        maxPerDay: z
          .number()
          .int()
          .min(1)
          .max(24)
          .meta({ description: 'Boluses a day; more than the usual (BOLUS_MAX_PER_DAY, 6) needs a reason' }),
        lockoutMinutes: z.number().int().min(0).max(1440).meta({
          description:
            'Minutes between boluses; shorter than the usual (BOLUS_MIN_LOCKOUT_MINUTES, 60) needs a reason',
        }),
      })
      .nullish()
      .meta({ description: 'Patient-activated boluses, planned as if every one is taken' }),
  })
  .meta({ description: 'The pump programme' });

const drugSchema = z.enum(DRUGS.map((d) => d.id) as [string, ...string[]]);

export const prescriptionBodySchema = z.object({
  drug: drugSchema.optional(),
  concentrationMcgPerMl: z.number().meta({
    description:
      'Concentration in micrograms per mL (mcg/mL): one of the strengths the service stocks (500, 1000 or 2000 by default; 50 is for test doses only). The daily volume must be one the pump model can deliver',
  }),
  programme: programmeSchema,
  phase: z.enum(PHASES).meta({
    description:
      "The phase this prescription puts the pump into. The change is held to the limits of the pump's own phase: titration until a maintenance prescription has been confirmed",
  }),
  reason: optional(
    2000,
    "Required when the prescription has any warning (400 naming reason, with error.details.warnings): a dose outside the usual range, a programme limit, a change beyond the titration limit against the dose 24 h ago (or the replaced pump's dose); for the first prescription, more than the starting dose from the test dose or no positive test dose recorded. Hard limits (a tenfold change, an unstocked strength, a volume the pump cannot deliver) are refused whatever the reason",
  ),
});

export const decisionBodySchema = z.object({
  note: z.string().max(2000).nullish().meta({ description: 'Required to reject; optional to confirm' }),
  programmedOn: date(
    'Confirm only: the day the pump was reprogrammed, today when absent; not in the future, not before the last signed refill or the proposal',
  ).nullish(),
});

export const refillBodySchema = z.object({
  performedOn: date('Refill date, on or after the last refill and not in the future'),
  expectedResidualMl: z.number().meta({ description: 'Residual volume the programmer expects, mL' }),
  withdrawnMl: z.number().meta({ description: 'Volume withdrawn, mL' }),
  drug: drugSchema.optional(),
  concentrationMcgPerMl: z.number().meta({
    description:
      "Concentration instilled, mcg/mL; must equal the active prescription's unless newPrescription is given",
  }),
  batch: text(40, 'Batch number'),
  expiresOn: date('Expiry date of the drug, after the refill date'),
  instilledMl: z
    .number()
    .meta({ description: 'Volume instilled, mL: above the alarm volume, within the reservoir' }),
  alarmMl: z.number().meta({ description: 'Low-reservoir alarm volume set, mL' }),
  complications: z.array(z.enum(REFILL_COMPLICATIONS)).optional(),
  complicationNote: optional(2000, 'Required with the complication "other"'),
  patientNote: optional(1000, "A note for the patient's summary"),
  newPrescription: z
    .object({
      programme: programmeSchema,
      phase: z.enum(PHASES),
      reason: optional(2000, 'Required when the change is beyond the titration limit'),
    })
    .nullish()
    .meta({
      description:
        "A programme set at this refill (its concentration is the refill's); confirmed when the refill is signed",
    }),
});

export const reviewBodySchema = z.object({
  note: text(
    2000,
    "The review of the refill's flags or the suspected pocket fill; never by the person who did the refill",
  ),
  withdrawalSignsChecked: z.boolean().optional().meta({
    description:
      'Required true when the refill is flagged RAN_DRY or AFTER_ALARM: the patient was checked for signs of withdrawal',
  }),
  withdrawalSignsFound: optional(
    2000,
    'Required with withdrawalSignsChecked: what the check found, e.g. "none found"',
  ),
});

export const rejectRefillBodySchema = z.object({
  reason: text(2000, 'Why the refill is rejected; the refill is voided and kept'),
});

export const amendmentDecisionBodySchema = z.object({
  note: z.string().max(2000).nullish().meta({ description: 'Required to reject; optional to confirm' }),
});

export const signBodySchema = z.object({
  version: z.number().int().meta({
    description: 'The refill version the checker saw; a different one (e.g. a review added since) gives 409',
  }),
});

export const amendBodySchema = z
  .object({
    reason: text(2000, 'Why the signed record is corrected'),
    batch: optional(40, 'Corrected batch number'),
    expiresOn: date('Corrected expiry date').nullish(),
    complicationNote: optional(2000, 'Corrected complication details'),
    patientNote: optional(1000, 'Corrected note for the patient'),
    alarmMl: z.number().nullish().meta({ description: 'Corrected low-reservoir alarm volume, mL' }),
    instilledMl: z.number().nullish().meta({ description: 'Corrected volume instilled, mL' }),
  })
  .meta({
    description: `At least one of ${AMENDABLE_REFILL_FIELDS.join(', ')} (applied at once), or of ${VOLUME_AMENDMENT_FIELDS.join(', ')} on their own (pending until a different clinician confirms it; then the refill's plan, and the pump's when it is the last signed refill, is worked out again)`,
  });

export const appointmentBodySchema = z.object({
  kind: z.enum(APPOINTMENT_KINDS),
  onDate: date('Appointment date, today or later'),
  note: optional(500, 'Note'),
});

export const appointmentUpdateBodySchema = z.object({
  state: z.enum(['attended', 'missed', 'cancelled']),
  note: optional(500, 'Note; the earlier note is kept when absent'),
});

// ---------------------------------------------------------------- responses

export const pumpSchema = z.object({
  id: z.string(),
  patientId: z.string(),
  modelId: z.string(),
  reservoirMl: z.number(),
  serialNumber: z.string(),
  implantedOn: z.string(),
  surgeon: z.string(),
  alarmMl: z.number(),
  catheterModel: z.string().nullable(),
  catheterTipLevel: z.string().nullable(),
  origin: z.enum(ORIGINS),
  state: z.enum(PUMP_STATES),
  eriOn: z.string().nullable(),
  endedOn: z.string().nullable(),
  replacesPumpId: z.string().nullable(),
  lastRefillId: z.string().nullable().meta({ description: 'The last signed refill' }),
  alarmOn: z.string().nullable().meta({ description: 'Date the low-reservoir alarm is expected' }),
  refillDueBy: z.string().nullable().meta({ description: 'Refill due by (before any working-day move)' }),
  reviewsHeld: z.number().int(),
  pausedOn: z.string().nullable().meta({ description: 'While paused: the date the pause began' }),
  resumeBy: z.string().nullable().meta({ description: 'While paused: the date the pump is due to resume' }),
  updatedAt: z.string(),
  updatedBy: z.string(),
  version: z.number().int(),
});

export const pumpListSchema = z.object({ patientId: z.string(), pumps: z.array(pumpSchema) });

export const pumpEventSchema = z.object({
  id: z.string(),
  pumpId: z.string(),
  kind: z.enum(PUMP_EVENT_KINDS),
  occurredOn: z.string(),
  note: z.string().nullable(),
  recordedAt: z.string(),
  recordedBy: z.string(),
});

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

export const refillSchema = z.object({
  id: z.string(),
  pumpId: z.string(),
  patientId: z.string(),
  performedOn: z.string(),
  expectedResidualMl: z.number(),
  withdrawnMl: z.number(),
  discrepancyMl: z.number().meta({ description: 'Withdrawn − expected, mL; negative when less came out' }),
  discrepancyPercent: z.number().nullable(),
  thresholdMl: z.number(),
  flagged: z
    .boolean()
    .meta({ description: 'Any flag (or beyond the threshold either way): needs review before signing' }),
  reviewNote: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  reviewedBy: z.string().nullable(),
  drug: z.string(),
  concentrationMcgPerMl: z.number(),
  batch: z.string(),
  expiresOn: z.string(),
  instilledMl: z.number(),
  prescriptionId: z.string(),
  alarmMl: z.number(),
  dailyVolumeMl: z.number(),
  alarmOn: z.string(),
  dueBy: z.string(),
  limitedBy: z.enum(['alarm', 'stability']),
  complications: z.array(z.enum(REFILL_COMPLICATIONS)),
  complicationNote: z.string().nullable(),
  patientSummary: z.string().nullable(),
  state: z
    .enum(REFILL_STATES)
    .meta({ description: 'voided: rejected by the checker, kept with every value' }),
  recordedAt: z.string(),
  performedBy: z.string(),
  signedAt: z.string().nullable(),
  checkedBy: z.string().nullable(),
  version: z.number().int(),
  flags: z.array(clinicalWarningSchema).meta({
    description:
      'What the refill found: RAN_DRY, AFTER_ALARM, RESIDUAL_DISCREPANCY, EXPECTED_RESIDUAL_MISMATCH',
  }),
  warnings: z.array(clinicalWarningSchema).meta({ description: 'The same as flags' }),
  ranDryOn: z
    .string()
    .nullable()
    .meta({ description: 'The day the pump ran dry (or may have, every bolus taken)' }),
  softwareExpectedMl: z.number().nullable().meta({
    description:
      "The software's expected residual from the last signed fill and the programmes since; null at a first refill",
  }),
  softwareExpectedWithBolusesMl: z.number().nullable(),
  withdrawalSignsChecked: z.boolean().nullable(),
  withdrawalSignsFound: z.string().nullable(),
  voidedAt: z.string().nullable(),
  voidedBy: z.string().nullable(),
  voidReason: z.string().nullable(),
});

export const refillSummarySchema = z.object({
  id: z.string(),
  performedOn: z.string(),
  state: z.enum(REFILL_STATES),
  concentrationMcgPerMl: z.number(),
  instilledMl: z.number(),
  discrepancyMl: z.number(),
  flagged: z.boolean(),
  needsReview: z.boolean(),
  reviewed: z.boolean(),
  alarmOn: z.string(),
  dueBy: z.string(),
  performedBy: z.string(),
  checkedBy: z.string().nullable(),
});

export const appointmentSchema = z.object({
  id: z.string(),
  pumpId: z.string(),
  patientId: z.string(),
  kind: z.enum(APPOINTMENT_KINDS),
  onDate: z.string(),
  state: z.enum(APPOINTMENT_STATES),
  note: z.string().nullable(),
  createdBy: z.string(),
  version: z.number().int(),
});

export const pumpOverviewSchema = z.object({
  today: z.string(),
  pump: pumpSchema,
  model: z.object({
    id: z.string(),
    name: z.string(),
    manufacturer: z.string(),
    mriRule: z.enum(['interrogate-after', 'empty-before']),
    mriAdvice: z.string(),
  }),
  life: z.object({
    endOfService: z.string(),
    replaceBy: z.string(),
    stopsAfterEri: z.string().nullable(),
  }),
  active: prescriptionSchema.nullable(),
  pending: prescriptionSchema
    .extend({
      previous: prescriptionSchema
        .nullable()
        .meta({ description: 'The prescription the change replaces, for the side-by-side check' }),
    })
    .nullable(),
  refillStanding: z.object({
    status: z.enum(REFILL_STATUSES),
    escalated: z.boolean(),
    dueOn: z.string().nullable().meta({ description: 'The due date moved to a working day' }),
    daysLeft: z.number().int().nullable(),
    alarmOn: z.string().nullable(),
    daysToAlarm: z.number().int().nullable(),
    bookedRefillOn: z.string().nullable(),
    resumeBy: z
      .string()
      .nullable()
      .meta({ description: 'A paused pump: its resume date (daysLeft counts to it); null when running' }),
  }),
  nextReview: z.object({ dueOn: z.string(), label: z.string() }),
  prescriptions: z
    .array(prescriptionSchema)
    .meta({ description: 'Every prescription of the pump, newest proposal first' }),
  refills: z.array(refillSummarySchema).meta({ description: 'Newest first' }),
  appointments: z.array(appointmentSchema).meta({ description: 'Latest date first' }),
  events: z.array(pumpEventSchema).meta({ description: 'Newest first' }),
  ...lifecycleOverviewFields,
});

export const amendmentSchema = z.object({
  id: z.string(),
  refillId: z.string(),
  reason: z.string(),
  changes: z.array(z.object({ field: z.string(), old: z.string().nullable(), new: z.string().nullable() })),
  amendedAt: z.string(),
  amendedBy: z.string(),
  state: z.enum(['applied', 'pending', 'confirmed', 'rejected']).meta({
    description:
      'applied at once; a volume correction is pending until a different clinician confirms or rejects it',
  }),
  decidedAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decisionNote: z.string().nullable(),
});

export const refillViewSchema = z.object({
  refill: refillSchema,
  prescription: prescriptionSchema.nullable(),
  previousPrescription: prescriptionSchema
    .nullable()
    .meta({ description: "The prescription before this refill's change; null when unchanged" }),
  amendments: z.array(
    amendmentSchema.extend({ amendedByName: z.string().nullable(), decidedByName: z.string().nullable() }),
  ),
  pendingAmendment: amendmentSchema
    .nullable()
    .meta({ description: 'A volume correction waiting to be confirmed' }),
  effective: z
    .object({
      batch: z.string().nullable(),
      expiresOn: z.string().nullable(),
      complicationNote: z.string().nullable(),
      patientNote: z.string().nullable(),
    })
    .meta({ description: 'The amendable fields as they stand after every amendment' }),
  performedByName: z.string().nullable(),
  reviewedByName: z.string().nullable(),
  checkedByName: z.string().nullable(),
  voidedByName: z.string().nullable(),
  needsReview: z.boolean(),
  needsWithdrawalCheck: z.boolean().meta({
    description: 'RAN_DRY or AFTER_ALARM: the review must record that withdrawal signs were checked',
  }),
  dueOn: z.string().meta({ description: 'The due date moved to a working day' }),
});
