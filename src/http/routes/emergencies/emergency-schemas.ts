import { z } from 'zod';
import { CALL_REASONS, CALLER_KINDS, FOLLOW_UPS, logCallInputSchema } from '../../../domain/advice-calls.ts';
import {
  closeEventInputSchema,
  EMERGENCY_KINDS,
  EMERGENCY_OUTCOMES,
  EMERGENCY_STATES,
  OVERDOSE_SIGNS,
  recordEventInputSchema,
  WITHDRAWAL_SIGNS,
} from '../../../domain/emergency-events.ts';
import type { AdviceCallRead, EmergencyEventRead } from '../../../storage/emergency.repository.ts';
import { describeFields } from '../api/describe-fields.ts';

/**
 * Emergency events and advice-line calls as JSON. The bodies are the domain's input schemas
 * (emergency-events.ts, advice-calls.ts) with their fields described, and the services parse
 * every body with them, so the OpenAPI document shows what checks the request.
 */

const values = (signs: readonly { value: string }[]) => signs.map((s) => s.value).join(', ');

export const recordEventBodySchema = describeFields(recordEventInputSchema, {
  kind: 'overdose, withdrawal, critical-alarm (two-tone alarm) or pump-stall',
  onsetAt: 'When it started: an ISO 8601 date and time with its offset, not in the future',
  signs: `Signs seen, from the kind's checklist. Overdose: ${values(OVERDOSE_SIGNS)}. Withdrawal, critical alarm and pump stall: ${values(WITHDRAWAL_SIGNS)}. An overdose or withdrawal needs at least one sign here or in signsNote`,
  signsNote: 'Other signs, in words',
  actionsTaken: 'What was done: required',
  adviceCallId: 'The advice-line call that reported it, if any (a call logged for this patient)',
}).meta({
  description:
    'An emergency event: it stays open, shown on every page of the patient’s record and at the head of the refill worklist, until a consultant closes it',
});

export const closeEventBodySchema = describeFields(closeEventInputSchema, {
  outcome: 'resolved, admitted, not-confirmed, died or other',
  outcomeNote: 'The outcome in words: required',
});

export const logCallBodySchema = describeFields(logCallInputSchema, {
  calledAt: 'When the call came: an ISO 8601 date and time with its offset, not in the future',
  patientId:
    'The patient the call is about; leave out for a caller who cannot be matched (then callerIdentity)',
  callerIdentity: 'Who the caller is, in words: required when there is no patientId',
  callerKind: 'patient, carer, gp, emergency-department or other',
  reason:
    'alarm-critical (two tones: the drug has stopped), alarm-low-reservoir (one tone: refill or replacement due), withdrawal-signs, overdose-signs, wound-or-pump-site, refill-or-appointment, medicines or other',
  overdoseSigns: `Overdose signs reported: ${values(OVERDOSE_SIGNS)}`,
  withdrawalSigns: `Withdrawal signs reported: ${values(WITHDRAWAL_SIGNS)}`,
  adviceGiven: 'The advice given: required',
  followUp:
    'appointment (appointmentId: a booked appointment of the patient’s pump), emergency-department, or none (followUpNote says why). An urgent call (two-tone alarm, any sign of overdose or withdrawal) and a low-reservoir alarm cannot have none',
  appointmentId: 'The booked refill, review or replacement appointment, when followUp is appointment',
  followUpNote: 'Why no follow-up is needed (required for none), or a note on the follow-up',
});

export const emergencyEventSchema = z.object({
  id: z.string(),
  patientId: z.string(),
  pumpId: z.string().nullable().meta({ description: 'The patient’s implanted pump when recorded, if any' }),
  kind: z.enum(EMERGENCY_KINDS),
  onsetAt: z.string(),
  signs: z.array(z.string()),
  signsNote: z.string().nullable(),
  actionsTaken: z.string(),
  adviceCallId: z.string().nullable(),
  state: z.enum(EMERGENCY_STATES),
  recordedAt: z.string(),
  recordedBy: z.string(),
  recordedByName: z.string(),
  closedAt: z.string().nullable(),
  closedBy: z.string().nullable(),
  closedByName: z.string().nullable(),
  outcome: z.enum(EMERGENCY_OUTCOMES).nullable(),
  outcomeNote: z.string().nullable(),
});

export const adviceCallSchema = z.object({
  id: z.string(),
  calledAt: z.string(),
  patientId: z.string().nullable(),
  callerKind: z.enum(CALLER_KINDS),
  callerName: z.string().nullable(),
  callerIdentity: z.string().nullable(),
  reason: z.enum(CALL_REASONS),
  details: z.string().nullable(),
  overdoseSigns: z.array(z.string()),
  withdrawalSigns: z.array(z.string()),
  adviceGiven: z.string(),
  followUp: z.enum(FOLLOW_UPS),
  appointmentId: z.string().nullable(),
  followUpNote: z.string().nullable(),
  recordedAt: z.string(),
  recordedBy: z.string(),
  recordedByName: z.string(),
});

export const loggedCallSchema = z.object({
  call: adviceCallSchema,
  suggestedEvents: z.array(z.enum(EMERGENCY_KINDS)).meta({
    description:
      'Emergency events the call suggests opening (signs of overdose or withdrawal, a two-tone alarm): POST them to /patients/{patientId}/emergency-events with adviceCallId',
  }),
});

export function eventToApi(e: EmergencyEventRead): z.infer<typeof emergencyEventSchema> {
  return { ...e, signs: [...e.signs] };
}

export function callToApi(c: AdviceCallRead): z.infer<typeof adviceCallSchema> {
  return { ...c, overdoseSigns: [...c.overdoseSigns], withdrawalSigns: [...c.withdrawalSigns] };
}
