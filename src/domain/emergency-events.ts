import { z } from 'zod';
import type { FieldError, Validated } from './field-error.ts';
import { optionalText, parseInput, requiredText } from './schema-fields.ts';
import { instantField } from './test-dose-time.ts';

/**
 * Emergency events: a suspected overdose or withdrawal, a critical pump alarm or a pump stall,
 * recorded against the patient (and the pump, when there is one). An open event is shown on every
 * page of the patient's record and heads the refill worklist until a consultant closes it with
 * its outcome (hazards H-110 to H-119). The signs to tick come from docs/clinical-reference.md
 * section 8; the reference says withdrawal is an emergency even when mild [MDT-EMCARD], [WATVE],
 * and that a two-tone alarm or a motor stall means the drug has stopped flowing [MDT-ALARM],
 * [MDT-MRI], so withdrawal signs are the ones to look for after either.
 */

export const EMERGENCY_KINDS = ['overdose', 'withdrawal', 'critical-alarm', 'pump-stall'] as const;
export type EmergencyKind = (typeof EMERGENCY_KINDS)[number];

export const EMERGENCY_KIND_LABELS: Readonly<Record<EmergencyKind, string>> = {
  overdose: 'Suspected overdose',
  withdrawal: 'Suspected withdrawal',
  'critical-alarm': 'Critical pump alarm (two tones)',
  'pump-stall': 'Pump stall (the motor stopped, for example in an MRI scanner)',
};

/** What each kind means for the patient, shown beside the choice and on the banner. */
export const EMERGENCY_KIND_HINTS: Readonly<Record<EmergencyKind, string>> = {
  overdose: 'Too much baclofen: drowsiness, slow or shallow breathing, floppiness, coma.',
  withdrawal: 'Too little baclofen: itch, fever, rebound spasticity; an emergency even when mild.',
  'critical-alarm': 'The drug has stopped flowing: watch for withdrawal.',
  'pump-stall': 'No drug is delivered until the pump restarts: watch for withdrawal.',
};

export interface Sign {
  readonly value: string;
  readonly text: string;
}

/** Overdose signs, early then severe [NSN-OD], [LIO-SAFE], [MDT-UNDOVER], [BACLOSAN]. */
export const OVERDOSE_SIGNS: readonly Sign[] = [
  { value: 'drowsiness', text: 'Drowsiness or sleepiness' },
  { value: 'dizziness', text: 'Lightheaded or dizzy' },
  { value: 'nausea-vomiting', text: 'Nausea or vomiting' },
  { value: 'floppiness', text: 'Floppiness beyond what is wanted, spreading upwards' },
  { value: 'respiratory-depression', text: 'Slow or shallow breathing (respiratory depression)' },
  { value: 'low-temperature', text: 'Low body temperature' },
  { value: 'excess-saliva', text: 'Too much saliva' },
  { value: 'seizures', text: 'Seizures' },
  { value: 'reduced-consciousness', text: 'Loss of consciousness or coma' },
];

/** Withdrawal signs, early then severe [MDT-EMCARD2], [LIO-SAFE], [MDT-UNDOVER], [NSW-WD], [WIKEM]. */
export const WITHDRAWAL_SIGNS: readonly Sign[] = [
  { value: 'itch', text: 'Itching with no rash' },
  { value: 'fever', text: 'Fever' },
  { value: 'rebound-spasticity', text: 'Spasticity returning, or rebounding beyond its former level' },
  {
    value: 'autonomic-instability',
    text: 'Autonomic instability: blood pressure low or swinging, fast heart rate, goosebumps',
  },
  { value: 'altered-mental-state', text: 'Altered mental state (confusion, hallucinations)' },
  { value: 'pins-and-needles', text: 'Pins and needles' },
  { value: 'seizures', text: 'Seizures' },
  { value: 'rhabdomyolysis', text: 'Rhabdomyolysis (muscle breakdown, a raised CK)' },
];

/** The checklist for a kind: overdose signs for an overdose, withdrawal signs for the rest. */
export function signsFor(kind: EmergencyKind): readonly Sign[] {
  return kind === 'overdose' ? OVERDOSE_SIGNS : WITHDRAWAL_SIGNS;
}

/** A sign's words, for a kind's checklist; the stored value when this version does not know it. */
export function signText(kind: EmergencyKind, value: string): string {
  return signsFor(kind).find((s) => s.value === value)?.text ?? value;
}

export const EMERGENCY_OUTCOMES = ['resolved', 'admitted', 'not-confirmed', 'died', 'other'] as const;
export type EmergencyOutcome = (typeof EMERGENCY_OUTCOMES)[number];

export const EMERGENCY_OUTCOME_LABELS: Readonly<Record<EmergencyOutcome, string>> = {
  resolved: 'Resolved: delivery restored or the patient recovered',
  admitted: 'Admitted to hospital and handed over',
  'not-confirmed': 'Not confirmed: it was not an overdose, withdrawal or pump fault',
  died: 'The patient died',
  other: 'Other (say what in the outcome)',
};

export const EMERGENCY_STATES = ['open', 'closed'] as const;
export type EmergencyState = (typeof EMERGENCY_STATES)[number];

const signList = z
  .array(z.string({ error: 'Each sign must be text' }), { error: 'Signs must be a list' })
  .nullish()
  .transform((v) => [...new Set(v ?? [])]);

export const recordEventInputSchema = z.object({
  kind: z.enum(EMERGENCY_KINDS, {
    error: 'Choose what happened: suspected overdose, suspected withdrawal, critical alarm or pump stall',
  }),
  onsetAt: instantField('Date and time of onset'),
  signs: signList,
  signsNote: optionalText('Other signs', 2000),
  actionsTaken: requiredText('Actions taken', 4000),
  adviceCallId: z
    .string({ error: 'adviceCallId must be text' })
    .trim()
    .nullish()
    .transform((v) => (v === '' || v === undefined || v === null ? null : v)),
});
export type RecordEventInput = z.infer<typeof recordEventInputSchema>;

/**
 * An event as recorded: a known kind; onset no later than now; signs from the kind's checklist;
 * a suspected overdose or withdrawal names at least one sign (ticked or in words), since it is
 * the signs that make it suspected. An alarm or a stall may be recorded before any sign shows.
 */
export function validateRecordEvent(raw: unknown, now: string): Validated<RecordEventInput> {
  const result = parseInput(recordEventInputSchema, raw);
  if (!result.ok) {
    return result;
  }
  const v = result.value;
  const errors: FieldError[] = [];
  if (Date.parse(v.onsetAt) > Date.parse(now)) {
    errors.push({ field: 'onsetAt', message: 'Date and time of onset must be now or in the past' });
  }
  const known = new Set(signsFor(v.kind).map((s) => s.value));
  const unknown = v.signs.filter((s) => !known.has(s));
  if (unknown.length > 0) {
    errors.push({
      field: 'signs',
      message: `Signs must come from the ${EMERGENCY_KIND_LABELS[v.kind].toLowerCase()} checklist (not ${unknown.join(', ')})`,
    });
  } else if (
    (v.kind === 'overdose' || v.kind === 'withdrawal') &&
    v.signs.length === 0 &&
    v.signsNote === null
  ) {
    errors.push({ field: 'signs', message: 'Tick the signs seen, or describe them in other signs' });
  }
  return errors.length > 0 ? { ok: false, errors } : result;
}

export const closeEventInputSchema = z.object({
  outcome: z.enum(EMERGENCY_OUTCOMES, { error: 'Choose the outcome' }),
  outcomeNote: requiredText('Outcome details', 4000),
});
export type CloseEventInput = z.infer<typeof closeEventInputSchema>;

export function validateCloseEvent(raw: unknown): Validated<CloseEventInput> {
  return parseInput(closeEventInputSchema, raw);
}

/**
 * One open event as the emergency summary lists it, for a doctor who has never met the patient:
 * what is suspected and since when, the signs seen, and what has been done so far.
 */
export function emergencyAlertText(
  event: {
    readonly kind: EmergencyKind;
    readonly signs: readonly string[];
    readonly signsNote: string | null;
    readonly actionsTaken: string;
  },
  onsetText: string,
): string {
  const labels = signsFor(event.kind)
    .filter((s) => event.signs.includes(s.value))
    .map((s) => s.text);
  const note = event.signsNote?.trim() ?? '';
  const signs = [...labels, ...(note === '' ? [] : [note])];
  const parts = [`${emergencyHeadline(event.kind)} since ${onsetText}`];
  if (signs.length > 0) {
    parts.push(`Signs: ${signs.join('; ')}`);
  }
  const actions = event.actionsTaken.trim();
  if (actions !== '') {
    parts.push(`Actions taken: ${actions}`);
  }
  return `${parts.join('. ')}.`;
}

/** "Suspected withdrawal" or "Critical pump alarm (two tones)": the banner's short name. */
export function emergencyHeadline(kind: EmergencyKind): string {
  return kind === 'pump-stall' ? 'Pump stall' : EMERGENCY_KIND_LABELS[kind];
}
