import { z } from 'zod';
import { OVERDOSE_SIGNS, WITHDRAWAL_SIGNS, type EmergencyKind } from './emergency-events.ts';
import type { FieldError, Validated } from './field-error.ts';
import { optionalText, parseInput, requiredText } from './schema-fields.ts';
import { instantField } from './test-dose-time.ts';

/**
 * Calls to the service's advice line: who called (a patient on the register, or an unknown
 * caller named in words), why, the advice given and the follow-up. The advice the reference gives
 * for each alarm and for signs of overdose or withdrawal is shown with the choice
 * (docs/clinical-reference.md sections 4 and 8, "Advice-line calls"), so the person answering
 * does not have to remember which alarm is which (hazard H-113). An urgent call (a two-tone
 * alarm, signs of overdose or withdrawal) cannot end with "no follow-up needed" (H-114).
 */

export const CALLER_KINDS = ['patient', 'carer', 'gp', 'emergency-department', 'other'] as const;
export type CallerKind = (typeof CALLER_KINDS)[number];

export const CALLER_KIND_LABELS: Readonly<Record<CallerKind, string>> = {
  patient: 'The patient',
  carer: 'A carer or family member',
  gp: 'A GP',
  'emergency-department': 'An emergency department (A&E)',
  other: 'Someone else',
};

export const CALL_REASONS = [
  'alarm-critical',
  'alarm-low-reservoir',
  'withdrawal-signs',
  'overdose-signs',
  'wound-or-pump-site',
  'refill-or-appointment',
  'medicines',
  'other',
] as const;
export type CallReason = (typeof CALL_REASONS)[number];

export const CALL_REASON_LABELS: Readonly<Record<CallReason, string>> = {
  'alarm-critical': 'Pump alarm: two tones (critical)',
  'alarm-low-reservoir': 'Pump alarm: one tone about once an hour (low reservoir or replacement due)',
  'withdrawal-signs': 'Signs of withdrawal',
  'overdose-signs': 'Signs of overdose',
  'wound-or-pump-site': 'The wound or the pump site',
  'refill-or-appointment': 'A refill or an appointment',
  medicines: 'Medicines (oral baclofen, other drugs)',
  other: 'Something else',
};

/**
 * The advice the reference gives for each reason it covers, in the reference's words shortened;
 * the source keys stay in the text (pages show them as a Sources link).
 */
export const CALL_ADVICE: Readonly<Partial<Record<CallReason, string>>> = {
  'alarm-critical':
    'Two tones is the critical alarm: the drug has stopped flowing (empty reservoir, end of the pump’s service, or a fault such as a motor stall) [MDT-ALARM], [MDT-ALARM2], [MDT-MRI]. Withdrawal can follow within hours to days [CONS], [FPN]. Tell the caller to go to A&E or call 999 now, not to wait for a call back [LTH-PIL], taking the pump ID card and the emergency card [MDT-RESP] and the oral baclofen kept at home as instructed [MDT-RESP]. The ITB team interrogates and refills the pump the same day [MDT-EMCARD].',
  'alarm-low-reservoir':
    'One tone about once an hour is not critical: the reservoir is getting low, or the pump must be replaced within 90 days [MDT-ALARM], [MDT-ALARM2]. Check the refill and replacement dates and book the refill (or the replacement) before the alarm date. Tell the caller to ring again at once, or go to A&E, if the alarm changes to two tones or signs of withdrawal appear [LTH-PIL].',
  'withdrawal-signs':
    'Withdrawal is an emergency even when mild [MDT-EMCARD], [WATVE]: itch with no rash, fever, returning spasticity, an altered mental state [MDT-EMCARD2]. Tell the caller to go to A&E or call 999 now [LTH-PIL], taking the emergency card; the pump must be interrogated, the pump and catheter X-rayed, and intrathecal delivery restored; oral baclofen and benzodiazepines only bridge the gap [NSW-WD], [WIKEM].',
  'overdose-signs':
    'Drowsiness, slow or shallow breathing, floppiness spreading upwards or reduced consciousness can be an overdose [NSN-OD], [LIO-SAFE]. Tell the caller to call 999 or go to A&E now [LTH-PIL]: airway, breathing and circulation first, then stop or reduce delivery and empty the reservoir; there is no antidote [NSN-OD], [WATVE].',
};

/** Urgent reasons: the reference sends these callers to A&E, never to wait [LTH-PIL]. */
export const URGENT_REASONS: readonly CallReason[] = ['alarm-critical', 'withdrawal-signs', 'overdose-signs'];

export const FOLLOW_UPS = ['appointment', 'emergency-department', 'none'] as const;
export type FollowUp = (typeof FOLLOW_UPS)[number];

export const FOLLOW_UP_LABELS: Readonly<Record<FollowUp, string>> = {
  appointment: 'An appointment is booked (refill, review or replacement)',
  'emergency-department': 'Sent to A&E or told to call 999',
  none: 'None needed',
};

const signValues = (signs: readonly { value: string }[]) => new Set(signs.map((s) => s.value));
const OVERDOSE = signValues(OVERDOSE_SIGNS);
const WITHDRAWAL = signValues(WITHDRAWAL_SIGNS);

const signList = z
  .array(z.string({ error: 'Each sign must be text' }), { error: 'Signs must be a list' })
  .nullish()
  .transform((v) => [...new Set(v ?? [])]);

const optionalId = z
  .string({ error: 'Must be text' })
  .trim()
  .nullish()
  .transform((v) => (v === '' || v === undefined || v === null ? null : v));

export const logCallInputSchema = z.object({
  calledAt: instantField('Date and time of the call'),
  patientId: optionalId,
  callerIdentity: optionalText('Who the caller is', 500),
  callerKind: z.enum(CALLER_KINDS, { error: 'Choose who called' }),
  callerName: optionalText('Caller’s name', 200),
  reason: z.enum(CALL_REASONS, { error: 'Choose why they called' }),
  details: optionalText('Details of the call', 4000),
  overdoseSigns: signList,
  withdrawalSigns: signList,
  adviceGiven: requiredText('Advice given', 4000),
  followUp: z.enum(FOLLOW_UPS, { error: 'Choose the follow-up' }),
  appointmentId: optionalId,
  followUpNote: optionalText('Follow-up note', 2000),
});
export type LogCallInput = z.infer<typeof logCallInputSchema>;

/** Whether the call needs someone to see the patient: an urgent reason or any sign reported. */
/** What a call reported: its reason and the signs ticked. */
export interface CallReport {
  readonly reason: CallReason;
  readonly overdoseSigns: readonly string[];
  readonly withdrawalSigns: readonly string[];
}

export function isUrgentCall(v: CallReport): boolean {
  return URGENT_REASONS.includes(v.reason) || v.overdoseSigns.length > 0 || v.withdrawalSigns.length > 0;
}

/**
 * A call as logged: when (not in the future), who (a patient's id, or the caller's identity in
 * words), why, the advice given, and the follow-up: a booked appointment (linked), A&E, or none
 * with its reason. An urgent call, or a low-reservoir alarm (the refill must be booked), cannot
 * end with none.
 */
export function validateLogCall(raw: unknown, now: string): Validated<LogCallInput> {
  const result = parseInput(logCallInputSchema, raw);
  if (!result.ok) {
    return result;
  }
  const v = result.value;
  const errors: FieldError[] = [];
  if (Date.parse(v.calledAt) > Date.parse(now)) {
    errors.push({ field: 'calledAt', message: 'Date and time of the call must be now or in the past' });
  }
  if (v.patientId === null && v.callerIdentity === null) {
    errors.push({
      field: 'callerIdentity',
      message: 'Enter who the caller is (name, and the patient they called about), or choose the patient',
    });
  }
  const badOverdose = v.overdoseSigns.filter((s) => !OVERDOSE.has(s));
  if (badOverdose.length > 0) {
    errors.push({
      field: 'overdoseSigns',
      message: `Overdose signs must come from the checklist (not ${badOverdose.join(', ')})`,
    });
  }
  const badWithdrawal = v.withdrawalSigns.filter((s) => !WITHDRAWAL.has(s));
  if (badWithdrawal.length > 0) {
    errors.push({
      field: 'withdrawalSigns',
      message: `Withdrawal signs must come from the checklist (not ${badWithdrawal.join(', ')})`,
    });
  }
  if (v.followUp === 'appointment') {
    if (v.patientId === null) {
      errors.push({
        field: 'followUp',
        message: 'An appointment can be linked only to a call about a known patient',
      });
    } else if (v.appointmentId === null) {
      errors.push({ field: 'appointmentId', message: 'Choose the appointment booked' });
    }
  }
  if (v.followUp === 'none') {
    if (isUrgentCall(v)) {
      errors.push({
        field: 'followUp',
        message:
          'An urgent call (a two-tone alarm, or signs of overdose or withdrawal) needs a follow-up: an appointment or A&E',
      });
    } else if (v.reason === 'alarm-low-reservoir') {
      errors.push({
        field: 'followUp',
        message: 'A low-reservoir alarm needs the refill or replacement booked: link the appointment',
      });
    } else if (v.followUpNote === null) {
      errors.push({ field: 'followUpNote', message: 'Enter why no follow-up is needed' });
    }
  }
  return errors.length > 0 ? { ok: false, errors } : result;
}

/**
 * The emergency events a call suggests opening, most serious first: overdose signs, then
 * withdrawal signs (or a call about either), then a two-tone alarm.
 */
export function suggestedEvents(v: CallReport): EmergencyKind[] {
  const kinds: EmergencyKind[] = [];
  if (v.overdoseSigns.length > 0 || v.reason === 'overdose-signs') {
    kinds.push('overdose');
  }
  if (v.withdrawalSigns.length > 0 || v.reason === 'withdrawal-signs') {
    kinds.push('withdrawal');
  }
  if (v.reason === 'alarm-critical') {
    kinds.push('critical-alarm');
  }
  return kinds;
}
