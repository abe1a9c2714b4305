import { z } from 'zod';
import { addDays, formatPlainDate, type PlainDate } from './calendar-date.ts';
import type { FieldError, Validated } from './field-error.ts';
import { optionalText, parseInput, plainDateField, requiredText } from './schema-fields.ts';

/**
 * Life events around a pump: pregnancy, surgery at another hospital, death and transfer of care
 * (hazards H-150 to H-159). Each is recorded with the actions it needs, as a checklist kept on
 * the patient's overview until every action is done or the event is ended. None of them takes a
 * pump off the refill worklist: a pregnancy or an operation elsewhere leaves the pump running and
 * due; a death or a transfer asks for each implanted pump's end, which only a second clinician's
 * confirmation carries out (pump-lifecycle.ts, hazards H-035, H-036).
 */

export const LIFE_EVENT_KINDS = ['pregnancy', 'surgery-elsewhere', 'death', 'transfer'] as const;
export type LifeEventKind = (typeof LIFE_EVENT_KINDS)[number];

export const LIFE_EVENT_KIND_LABELS: Readonly<Record<LifeEventKind, string>> = {
  pregnancy: 'Pregnancy',
  'surgery-elsewhere': 'Surgery at another hospital',
  death: 'Death',
  transfer: 'Transfer of care',
};

/** open: actions outstanding; completed: every action done; ended: closed early with a reason. */
export const LIFE_EVENT_STATES = ['open', 'completed', 'ended'] as const;
export type LifeEventState = (typeof LIFE_EVENT_STATES)[number];

/** The longest a pregnancy's expected date of delivery can be ahead: 42 weeks, rounded up. */
export const DELIVERY_DATE_MAX_DAYS_AHEAD = 300;
/** The longest expected stay in another hospital the form accepts. */
export const STAY_MAX_DAYS = 365;

// ---------------------------------------------------------------- inputs

export const pregnancyInputSchema = z.object({
  expectedDeliveryOn: plainDateField('Expected date of delivery'),
  obstetricTeam: requiredText('Obstetric team', 500),
  notes: optionalText('Notes', 2000),
});
export type PregnancyInput = z.infer<typeof pregnancyInputSchema>;

const stayDays = z.preprocess(
  (v) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v),
  z
    .number({ error: 'Expected stay must be a whole number of days' })
    .int({ error: 'Expected stay must be a whole number of days' })
    .min(0, { error: 'Expected stay must be 0 days or more' })
    .max(STAY_MAX_DAYS, { error: `Expected stay must be ${String(STAY_MAX_DAYS)} days or fewer` }),
);

export const surgeryInputSchema = z.object({
  surgeryOn: plainDateField('Date of surgery'),
  hospital: requiredText('Hospital', 500),
  procedure: requiredText('Procedure', 1000),
  teamContact: requiredText('Team contact', 500),
  expectedStayDays: stayDays,
  notes: optionalText('Notes', 2000),
});
export type SurgeryInput = z.infer<typeof surgeryInputSchema>;

export const deathInputSchema = z.object({
  diedOn: plainDateField('Date of death'),
  source: requiredText('How the service learned of the death', 1000),
  notes: optionalText('Notes', 2000),
});
export type DeathInput = z.infer<typeof deathInputSchema>;

export const transferInputSchema = z.object({
  receivingService: requiredText('Receiving service', 500),
  contact: requiredText('Contact at the receiving service', 500),
  transferOn: plainDateField('Date of transfer'),
  notes: optionalText('Notes', 2000),
});
export type TransferInput = z.infer<typeof transferInputSchema>;

export const endEventInputSchema = z.object({ reason: requiredText('Reason', 2000) });
export const actionDoneInputSchema = z.object({ note: optionalText('Note', 2000) });

/** What each kind stores beside its date (the rest of its input). */
export type LifeEventDetails =
  | { readonly kind: 'pregnancy'; readonly input: PregnancyInput }
  | { readonly kind: 'surgery-elsewhere'; readonly input: SurgeryInput }
  | { readonly kind: 'death'; readonly input: DeathInput }
  | { readonly kind: 'transfer'; readonly input: TransferInput };

function dateError(field: string, message: string): Validated<never> {
  return { ok: false, errors: [{ field, message }] };
}

export function validatePregnancyInput(raw: unknown, today: PlainDate): Validated<PregnancyInput> {
  const result = parseInput(pregnancyInputSchema, raw);
  if (!result.ok) {
    return result;
  }
  const edd = result.value.expectedDeliveryOn;
  if (edd < today) {
    return dateError('expectedDeliveryOn', 'Expected date of delivery must be today or later');
  }
  const latest = addDays(today, DELIVERY_DATE_MAX_DAYS_AHEAD);
  if (edd > latest) {
    return dateError(
      'expectedDeliveryOn',
      `Expected date of delivery must be within 42 weeks, by ${formatPlainDate(latest)}`,
    );
  }
  return result;
}

export function validateSurgeryInput(raw: unknown, today: PlainDate): Validated<SurgeryInput> {
  const result = parseInput(surgeryInputSchema, raw);
  if (!result.ok) {
    return result;
  }
  // Planned surgery: recorded ahead, so the letter and any refill can go before admission.
  if (result.value.surgeryOn < today) {
    return dateError('surgeryOn', 'Date of surgery must be today or later');
  }
  return result;
}

export function validateDeathInput(
  raw: unknown,
  today: PlainDate,
  earliestImplantOn: PlainDate | null,
): Validated<DeathInput> {
  const result = parseInput(deathInputSchema, raw);
  if (!result.ok) {
    return result;
  }
  const diedOn = result.value.diedOn;
  if (diedOn > today) {
    return dateError('diedOn', 'Date of death must be today or in the past');
  }
  // The end request of each implanted pump is dated the day of death (pump-lifecycle.ts).
  if (earliestImplantOn !== null && diedOn < earliestImplantOn) {
    return dateError(
      'diedOn',
      `Date of death must be on or after the implant date, ${formatPlainDate(earliestImplantOn)}`,
    );
  }
  return result;
}

export function validateTransferInput(
  raw: unknown,
  earliestImplantOn: PlainDate | null,
): Validated<TransferInput> {
  const result = parseInput(transferInputSchema, raw);
  if (!result.ok) {
    return result;
  }
  if (earliestImplantOn !== null && result.value.transferOn < earliestImplantOn) {
    return dateError(
      'transferOn',
      `Date of transfer must be on or after the implant date, ${formatPlainDate(earliestImplantOn)}`,
    );
  }
  return result;
}

/** The date an event is filed under: delivery, surgery, death or transfer. */
export function eventDate(details: LifeEventDetails): PlainDate {
  switch (details.kind) {
    case 'pregnancy':
      return details.input.expectedDeliveryOn;
    case 'surgery-elsewhere':
      return details.input.surgeryOn;
    case 'death':
      return details.input.diedOn;
    case 'transfer':
      return details.input.transferOn;
  }
}

/** The field whose date the event is filed under, for errors about that date. */
export const DATE_FIELD: Readonly<Record<LifeEventKind, string>> = {
  pregnancy: 'expectedDeliveryOn',
  'surgery-elsewhere': 'surgeryOn',
  death: 'diedOn',
  transfer: 'transferOn',
};

/** Field errors with the end request's date field renamed to the life event's. */
export function renameEndedOn(errors: readonly FieldError[], field: string): FieldError[] {
  return errors.map((e) => (e.field === 'endedOn' ? { ...e, field } : e));
}
