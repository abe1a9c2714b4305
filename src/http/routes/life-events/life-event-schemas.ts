import { z } from 'zod';
import { ACTION_CODES } from '../../../domain/life-event-actions.ts';
import {
  actionDoneInputSchema,
  deathInputSchema,
  endEventInputSchema,
  LIFE_EVENT_KINDS,
  LIFE_EVENT_STATES,
  pregnancyInputSchema,
  surgeryInputSchema,
  transferInputSchema,
} from '../../../domain/life-events.ts';
import type { LifeEvent } from '../../../storage/life-events.repository.ts';
import { describeFields } from '../api/describe-fields.ts';

/**
 * Schemas of life events. The request bodies are the domain's input schemas with their fields
 * described (as pump-lifecycle-schemas.ts): the service parses each body with the same schema,
 * so the OpenAPI document shows what checks the request.
 */

export const pregnancyBodySchema = describeFields(pregnancyInputSchema, {
  expectedDeliveryOn: 'Expected date of delivery (YYYY-MM-DD): today or later, within 42 weeks',
  obstetricTeam: 'The obstetric team and how to reach them',
  notes: 'Optional notes',
}).meta({ description: 'A pregnancy: the pump stays on the refill worklist' });

export const surgeryBodySchema = describeFields(surgeryInputSchema, {
  surgeryOn: 'Date of the operation (YYYY-MM-DD): today or later',
  hospital: 'The hospital where it happens',
  procedure: 'The operation planned',
  teamContact: 'Who to write to in the operating team, and how to reach them',
  expectedStayDays:
    'Expected length of stay in days, 0 to 365: a refill due before discharge is planned before admission',
  notes: 'Optional notes',
}).meta({ description: 'Surgery at another hospital: the pump stays on the refill worklist' });

export const deathBodySchema = describeFields(deathInputSchema, {
  diedOn: 'Date of death (YYYY-MM-DD): today or earlier, on or after the implant of every implanted pump',
  source: 'How the service learned of the death (for example a letter from the GP)',
  notes: 'Optional notes',
}).meta({
  description:
    "A death: asks for each implanted pump's end (kind death); the pumps stay implanted, booked and on the worklist until a different clinician confirms each request",
});

export const transferBodySchema = describeFields(transferInputSchema, {
  receivingService: 'The service taking over the pump',
  contact: 'Who to contact there, and how',
  transferOn:
    'Date care passes over (YYYY-MM-DD). Today or earlier asks for each pump’s end (kind transfer) now; a later date leaves an ask-end action',
  notes: 'Optional notes for the letter',
}).meta({
  description:
    'A transfer of care: makes the transfer letter; the pumps stay on the worklist until a different clinician confirms each end request',
});

export const actionDoneBodySchema = describeFields(actionDoneInputSchema, { note: 'Optional note' });
export const endEventBodySchema = describeFields(endEventInputSchema, {
  reason: 'Why the checklist ends early: required',
});

const actionSchema = z.object({
  code: z.enum(ACTION_CODES),
  label: z.string(),
  detail: z.string().meta({ description: 'What the action means here, with its sources or the GAP' }),
  dueOn: z.string().nullable(),
  doneAt: z.string().nullable(),
  doneBy: z.string().nullable(),
  doneNote: z.string().nullable(),
});

export const lifeEventSchema = z.object({
  id: z.string(),
  patientId: z.string(),
  kind: z.enum(LIFE_EVENT_KINDS),
  eventOn: z.string().meta({ description: 'Delivery, surgery, death or transfer date' }),
  details: z.record(z.string(), z.unknown()).meta({ description: "The kind's fields as recorded" }),
  state: z.enum(LIFE_EVENT_STATES),
  recordedAt: z.string(),
  recordedBy: z.string(),
  closedAt: z.string().nullable(),
  closedBy: z.string().nullable(),
  endReason: z.string().nullable(),
  actions: z.array(actionSchema),
});

export const recordedSchema = z.object({
  event: lifeEventSchema,
  endRequestIds: z.array(z.string()).meta({
    description: 'The pump end requests asked for (death, transfer): each waits for a different clinician',
  }),
});

export const lifeEventListSchema = z.object({ patientId: z.string(), events: z.array(lifeEventSchema) });

export function lifeEventToApi(e: LifeEvent): z.infer<typeof lifeEventSchema> {
  return {
    id: e.id,
    patientId: e.patientId,
    kind: e.kind,
    eventOn: e.eventOn,
    details: { ...e.details.input },
    state: e.state,
    recordedAt: e.recordedAt,
    recordedBy: e.recordedBy,
    closedAt: e.closedAt,
    closedBy: e.closedBy,
    endReason: e.endReason,
    actions: e.actions.map((a) => ({
      code: a.code,
      label: a.label,
      detail: a.detail,
      dueOn: a.dueOn,
      doneAt: a.doneAt,
      doneBy: a.doneBy,
      doneNote: a.doneNote,
    })),
  };
}
