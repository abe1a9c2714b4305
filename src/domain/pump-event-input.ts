import { z } from 'zod';
import { formatPlainDate, type PlainDate } from './calendar-date.ts';
import type { Validated } from './field-error.ts';
import { optionalText, parseInput, plainDateField } from './schema-fields.ts';

/**
 * The events recorded against a pump (revisions, alarms, scans) and the rules on recording one.
 */
export const PUMP_EVENT_KINDS = [
  'revision',
  'catheter-revision',
  'eri',
  'mri',
  'replacement',
  'explant',
  'other',
  'death',
  'transfer',
  'end-corrected',
  'paused',
  'resumed',
] as const;
export type PumpEventKind = (typeof PUMP_EVENT_KINDS)[number];
const END_BY_REQUEST =
  'Record an explant, death or transfer of care as a request to end the pump: it leaves the worklist only when a second clinician confirms it';
const OWN_FORM = 'Correct an end, pause or resume a pump with its own form, not as an event';
const MRI_WORKFLOW =
  "Record an MRI scan on the pump's MRI page: its plan for the pump model, the scan and the post-scan check";
/**
 * Kinds written by their own steps, never as a plain event, with what to do instead. Ending a
 * pump without its successor, or on one person's word, would drop the patient from the worklist
 * (H-017, H-035): a replacement is recorded by registering the new pump, and an explant, death
 * or transfer by an end request a second clinician confirms (pump-lifecycle.ts). An MRI scan is
 * recorded through its workflow (mri-plan.ts), which creates the post-scan check: a scan recorded
 * as a plain event would start none, and a SynchroMed stopped by the magnet would go unchecked.
 */
const RECORDED_ELSEWHERE: Partial<Record<PumpEventKind, string>> = {
  replacement: 'Register the new pump and say which pump it replaces: that records the replacement',
  explant: END_BY_REQUEST,
  death: END_BY_REQUEST,
  transfer: END_BY_REQUEST,
  mri: MRI_WORKFLOW,
  'end-corrected': OWN_FORM,
  paused: OWN_FORM,
  resumed: OWN_FORM,
};
/** The kinds staff record directly. */
export const RECORDABLE_EVENT_KINDS: readonly PumpEventKind[] = PUMP_EVENT_KINDS.filter(
  (k) => RECORDED_ELSEWHERE[k] === undefined,
);
export const PUMP_EVENT_LABELS: Readonly<Record<PumpEventKind, string>> = {
  revision: 'Pump revision',
  'catheter-revision': 'Catheter revision',
  eri: 'Elective replacement indicator (ERI) alarm',
  mri: 'MRI scan',
  replacement: 'Pump replaced',
  explant: 'Pump removed (explant)',
  other: 'Other',
  death: 'Patient died',
  transfer: 'Care transferred to another service',
  'end-corrected': 'End of the pump record corrected: back on the worklist',
  paused: 'Pump paused',
  resumed: 'Pump resumed',
};

export const pumpEventSchema = z.object({
  kind: z.enum(PUMP_EVENT_KINDS, { error: 'Choose what happened' }),
  occurredOn: plainDateField('Date'),
  note: optionalText('Note', 2000),
});
export type PumpEventInput = z.infer<typeof pumpEventSchema>;

export function validatePumpEventInput(
  raw: unknown,
  implantedOn: PlainDate,
  today: PlainDate,
): Validated<PumpEventInput> {
  const result = parseInput(pumpEventSchema, raw);
  if (!result.ok) {
    return result;
  }
  const v = result.value;
  if (v.occurredOn > today) {
    return { ok: false, errors: [{ field: 'occurredOn', message: 'Date must be today or in the past' }] };
  }
  if (v.occurredOn < implantedOn) {
    return {
      ok: false,
      errors: [
        {
          field: 'occurredOn',
          message: `Date must be on or after the implant date, ${formatPlainDate(implantedOn)}`,
        },
      ],
    };
  }
  const elsewhere = RECORDED_ELSEWHERE[v.kind];
  if (elsewhere !== undefined) {
    return { ok: false, errors: [{ field: 'kind', message: elsewhere }] };
  }
  if ((v.kind === 'other' || v.kind === 'revision' || v.kind === 'catheter-revision') && v.note === null) {
    return { ok: false, errors: [{ field: 'note', message: 'Describe what was done' }] };
  }
  return result;
}
