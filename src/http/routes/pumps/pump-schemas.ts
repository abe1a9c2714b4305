import { z } from 'zod';
import { ORIGINS } from '../../../domain/dose-change.ts';
import { PUMP_MODELS } from '../../../domain/pump-device.ts';
import {
  APPOINTMENT_KINDS,
  APPOINTMENT_STATES,
  appointmentSchema as appointmentInputSchema,
  appointmentUpdateSchema,
  reviewHeldSchema,
} from '../../../domain/pump-appointment-input.ts';
import {
  PUMP_EVENT_KINDS,
  pumpEventSchema as pumpEventInputSchema,
} from '../../../domain/pump-event-input.ts';
import { pumpSchema as pumpInputSchema } from '../../../domain/pump-input.ts';
import { PUMP_STATES } from '../../../domain/pump-lifecycle.ts';
import { REFILL_STATES } from '../../../domain/refill-actions.ts';
import { REFILL_STATUSES } from '../../../domain/refill-worklist.ts';
import { describeFields } from '../api/describe-fields.ts';
import { lifecycleOverviewFields } from './pump-lifecycle-schemas.ts';
import { prescriptionReadSchema } from './prescription-schemas.ts';

/**
 * The pump API's schemas. The pump, event and appointment bodies are the domain's input schemas
 * (pump-input.ts, pump-event-input.ts, pump-appointment-input.ts) with their fields described:
 * the services parse each body with them, so what the OpenAPI document shows is what checks the
 * request. The refill schemas are in routes/refills/refill-schemas.ts. Numbers are documented as JSON numbers; the services
 * also take numeric strings, as forms send.
 */

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

export const appointmentBodySchema = describeFields(appointmentInputSchema, {
  onDate: 'Appointment date (YYYY-MM-DD), today or later',
});

export const appointmentUpdateBodySchema = describeFields(appointmentUpdateSchema, {
  note: 'Note; the earlier note is kept when absent',
});

export const reviewHeldBodySchema = describeFields(reviewHeldSchema, {
  heldOn:
    'The day the review was held (YYYY-MM-DD): today or up to REVIEW_RECORD_DAYS_BACK (30) days back, not before the implant, never in the future',
  note: 'Optional, up to 500 characters',
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
  active: prescriptionReadSchema.nullable(),
  pending: prescriptionReadSchema
    .extend({
      previous: prescriptionReadSchema
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
  nextReview: z.object({
    dueOn: z.string(),
    label: z.string(),
    daysLeft: z.number().int().meta({ description: 'Days from today to dueOn; negative once overdue' }),
    daysOverdue: z
      .number()
      .int()
      .meta({ description: 'Days past dueOn with the review not yet recorded as held; 0 when not overdue' }),
    bookedOn: z.string().nullable().meta({ description: 'The earliest review booked from today' }),
  }),
  prescriptions: z
    .array(prescriptionReadSchema)
    .meta({ description: 'Every prescription of the pump, newest proposal first' }),
  refills: z.array(refillSummarySchema).meta({ description: 'Newest first' }),
  appointments: z.array(appointmentSchema).meta({ description: 'Latest date first' }),
  events: z.array(pumpEventSchema).meta({ description: 'Newest first' }),
  ...lifecycleOverviewFields,
});
