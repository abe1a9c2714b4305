import { z } from 'zod';
import {
  correctionInputSchema,
  END_REQUEST_KINDS,
  END_REQUEST_STATES,
  endConfirmInputSchema,
  endRejectInputSchema,
  endRequestInputSchema,
  PAUSE_REASONS,
  pauseInputSchema,
  PUMP_STATES,
  resumeInputSchema,
} from '../../../domain/pump-lifecycle.ts';
import { describeFields } from '../api/describe-fields.ts';

/**
 * Schemas of a pump's end and pauses. As in pump-schemas.ts, the request bodies are the domain's
 * input schemas (pump-lifecycle.ts) with their fields described: the services parse each body
 * with them, so what the OpenAPI document shows is what checks the request, with the same fields
 * and messages as the pages.
 */

// ---------------------------------------------------------------- request bodies

export const endRequestBodySchema = describeFields(endRequestInputSchema, {
  kind: 'explant (pump removed), death (the patient died) or transfer (care transferred to another service)',
  endedOn: 'When it happened (YYYY-MM-DD), from the implant date to today',
  reason: 'Why, in words: required',
}).meta({
  description:
    'A request to end the pump. It stays implanted and on the worklist until a different clinician confirms it',
});

export const endCorrectionBodySchema = describeFields(correctionInputSchema, {
  reason: 'Why the end was a mistake: required',
}).meta({
  description:
    'A request to reverse a mistaken explant, death or transfer; a different clinician confirms it',
});

export const endConfirmBodySchema = describeFields(endConfirmInputSchema, {
  note: 'Optional note on the check',
});

export const endRejectBodySchema = describeFields(endRejectInputSchema, {
  reason: 'Why the request is rejected (or withdrawn by its maker): required',
});

export const pauseBodySchema = describeFields(pauseInputSchema, {
  reason: 'mri, surgery or other (other needs a note)',
  emptied:
    'Required. true when the reservoir was emptied (a Prometra before an MRI scan): the next refill has no software expected residual from the fill before. false when the pump was only stopped with its drug inside (a SynchroMed in the scanner): the next refill still follows that fill, with no delivery from pausedOn to the resume date',
  pausedOn: 'When the pump was emptied or stopped (YYYY-MM-DD), from the implant date to today',
  resumeBy:
    'When it is due to resume (YYYY-MM-DD): after pausedOn, today or later, within PAUSE_MAX_DAYS (90) of pausedOn',
}).meta({ description: 'Marks the pump paused; it stays on the worklist with status paused' });

export const resumeBodySchema = describeFields(resumeInputSchema, {
  resumedOn: 'When the pump restarted (YYYY-MM-DD), from the pause date to today',
});

// ---------------------------------------------------------------- responses

export const endRequestSchema = z.object({
  id: z.string(),
  pumpId: z.string(),
  patientId: z.string(),
  kind: z.enum(END_REQUEST_KINDS).meta({
    description:
      'explant, death, transfer; replacement (made by registering the new pump, dated its implant date); correction (reverses a mistaken end)',
  }),
  endedOn: z.string().nullable().meta({ description: 'The date the pump ended; null for a correction' }),
  reason: z.string(),
  previousState: z
    .enum(PUMP_STATES)
    .nullable()
    .meta({ description: 'For a correction: the ended state it reverses' }),
  previousEndedOn: z.string().nullable(),
  replacementPumpId: z.string().nullable().meta({
    description:
      'For a replacement (asked for by registering the new pump with replacesPumpId): the new pump; null otherwise',
  }),
  state: z.enum(END_REQUEST_STATES),
  requestedAt: z.string(),
  requestedBy: z.string(),
  decidedAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decisionNote: z.string().nullable(),
});

export const pauseSchema = z.object({
  id: z.string(),
  pumpId: z.string(),
  patientId: z.string(),
  reason: z.enum(PAUSE_REASONS),
  note: z.string().nullable(),
  emptied: z.boolean().meta({
    description:
      'true when the reservoir was emptied; false when the pump was only stopped with its drug inside',
  }),
  pausedOn: z.string(),
  resumeBy: z.string(),
  recordedAt: z.string(),
  recordedBy: z.string(),
  resumedOn: z.string().nullable().meta({ description: 'Null while the pause is open' }),
  resumeNote: z.string().nullable(),
  resumedAt: z.string().nullable(),
  resumedBy: z.string().nullable(),
});

/** The lifecycle part of the pump overview. */
export const lifecycleOverviewFields = {
  endRequest: endRequestSchema.nullable().meta({
    description:
      'The request to end the pump (or correct its end) waiting for a second clinician: "ending: awaiting confirmation"',
  }),
  endRequests: z
    .array(endRequestSchema)
    .meta({ description: 'Every end and correction request, newest first' }),
  pause: pauseSchema.nullable().meta({ description: 'The open pause while the pump is paused' }),
  pauses: z.array(pauseSchema).meta({ description: 'Every pause, newest first' }),
};
