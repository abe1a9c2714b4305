import { z } from 'zod';
import { clinicalWarningSchema } from '../../../domain/clinical-warning.ts';
import { ORIGINS, PHASES } from '../../../domain/dose-change.ts';
import { PUMP_MODELS } from '../../../domain/pump-device.ts';
import {
  APPOINTMENT_KINDS,
  APPOINTMENT_STATES,
  appointmentSchema as appointmentInputSchema,
  appointmentUpdateSchema,
} from '../../../domain/pump-appointment-input.ts';
import {
  PUMP_EVENT_KINDS,
  pumpEventSchema as pumpEventInputSchema,
} from '../../../domain/pump-event-input.ts';
import { pumpSchema as pumpInputSchema } from '../../../domain/pump-input.ts';
import { REFILL_COMPLICATIONS } from '../../../domain/refill-input.ts';
import { PUMP_STATES } from '../../../domain/pump-lifecycle.ts';
import { AMENDABLE_REFILL_FIELDS, VOLUME_AMENDMENT_FIELDS } from '../../../domain/refill-review-inputs.ts';
import { REFILL_STATUSES } from '../../../domain/refill-worklist.ts';
import { describeFields } from './pump-api-support.ts';
import { lifecycleOverviewFields } from './pump-lifecycle-schemas.ts';
import { drugSchema, prescriptionSchema, programmeSchema } from './prescription-schemas.ts';

/**
 * The pump API's schemas. The pump, event and appointment bodies are the domain's input schemas
 * (pump-input.ts, pump-event-input.ts, pump-appointment-input.ts) with their fields described:
 * the services parse each body with them, so what the OpenAPI document shows is what checks the
 * request. The refill bodies here still document what the refill services accept, which check
 * every body with the domain's own rules. Numbers are documented as JSON numbers; the services
 * also take numeric strings, as forms send.
 */

const REFILL_STATES = ['recorded', 'signed', 'voided'] as const;
const date = (description: string) => z.string().meta({ description: `${description} (YYYY-MM-DD)` });
const text = (max: number, description: string) => z.string().max(max).meta({ description });
const optional = (max: number, description: string) => text(max, description).nullish();

// ---------------------------------------------------------------- request bodies

export const pumpBodySchema = describeFields(pumpInputSchema, {
  modelId: `The pump model: ${PUMP_MODELS.map((m) => m.id).join(' or ')}`,
  reservoirMl: "Reservoir size in mL; one of the model's sizes (20 or 40 for both models)",
  serialNumber: 'Serial number; unique within the model',
  implantedOn: 'Implant date (YYYY-MM-DD), today or earlier and after the date of birth',
  surgeon: 'Implanting surgeon',
  alarmMl:
    'Low-reservoir alarm volume in mL, read off the programmer printout: above 0 and below the reservoir size',
  catheterModel: 'Catheter model',
  catheterTipLevel: 'Catheter tip level, e.g. T10',
  origin: 'Origin of the spasticity; sets the titration limits',
  replacesPumpId:
    "The patient's implanted pump this one replaces: registering asks for that pump's end (an endRequest of kind replacement, dated this pump's implantedOn). It stays implanted and on the worklist, marked as ending, until a different clinician confirms it with POST /pump-end-requests/{id}/confirm (then state replaced, a replacement event, its bookings cancelled) or rejects it (409 while another request to end it is waiting)",
}).meta({ description: 'A pump and catheter as implanted' });

export const pumpEventBodySchema = describeFields(pumpEventInputSchema, {
  kind: 'eri sets the ERI date (the first one counts). Revisions and other need a note. Refused here: replacement (register the new pump with replacesPumpId); explant, death and transfer (POST /pumps/{pumpId}/end-requests: a second clinician confirms); end-corrected, paused and resumed (their own endpoints).',
  occurredOn: 'When it happened (YYYY-MM-DD), from the implant date to today',
  note: 'What was done; required for revision, catheter-revision and other',
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

export const appointmentBodySchema = describeFields(appointmentInputSchema, {
  onDate: 'Appointment date (YYYY-MM-DD), today or later',
});

export const appointmentUpdateBodySchema = describeFields(appointmentUpdateSchema, {
  note: 'Note; the earlier note is kept when absent',
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
