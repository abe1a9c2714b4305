import { z } from 'zod';
import { addDays, formatPlainDate, type PlainDate } from './calendar-date.ts';
import type { Validated } from './field-error.ts';
import { optionalText, parseInput, plainDateField } from './schema-fields.ts';

/**
 * Refill, review and replacement appointments on a pump: booking one and recording how it went.
 */
export const APPOINTMENT_KINDS = ['refill', 'review', 'replacement'] as const;
export type AppointmentKind = (typeof APPOINTMENT_KINDS)[number];
export const APPOINTMENT_STATES = ['booked', 'attended', 'missed', 'cancelled'] as const;
export type PumpAppointmentState = (typeof APPOINTMENT_STATES)[number];

export const appointmentSchema = z.object({
  kind: z.enum(APPOINTMENT_KINDS, { error: 'Choose refill, review or replacement' }),
  onDate: plainDateField('Appointment date'),
  note: optionalText('Note', 500),
});
export type PumpAppointmentInput = z.infer<typeof appointmentSchema>;
export function validateAppointmentInput(raw: unknown, today: PlainDate): Validated<PumpAppointmentInput> {
  const result = parseInput(appointmentSchema, raw);
  if (result.ok && result.value.onDate < today) {
    return { ok: false, errors: [{ field: 'onDate', message: 'Appointment date must be today or later' }] };
  }
  return result;
}

export const appointmentUpdateSchema = z.object({
  state: z.enum(['attended', 'missed', 'cancelled'], { error: 'Choose attended, missed or cancelled' }),
  note: optionalText('Note', 500),
});
export function validateAppointmentUpdate(
  raw: unknown,
): Validated<{ state: 'attended' | 'missed' | 'cancelled'; note: string | null }> {
  return parseInput(appointmentUpdateSchema, raw);
}

/**
 * A review recorded as held on the day it happened, which may be today or a day in the past
 * within `daysBack` days (pump-rules.ts reviewRecordDaysBack), never in the future nor before
 * the implant. Each review held moves the schedule on by one (review-schedule.ts), so a review
 * dated wrongly would move it on wrongly (hazard H-070).
 */
export const reviewHeldSchema = z.object({
  heldOn: plainDateField('Date of the review'),
  note: optionalText('Note', 500),
});
export type ReviewHeldInput = z.infer<typeof reviewHeldSchema>;

export interface ReviewHeldLimits {
  readonly today: PlainDate;
  readonly implantedOn: PlainDate;
  readonly daysBack: number;
}

/** The earliest day a review may be recorded as held today. */
export function earliestReviewDay(limits: ReviewHeldLimits): PlainDate {
  const back = addDays(limits.today, -limits.daysBack);
  return back > limits.implantedOn ? back : limits.implantedOn;
}

export function validateReviewHeld(raw: unknown, limits: ReviewHeldLimits): Validated<ReviewHeldInput> {
  const result = parseInput(reviewHeldSchema, raw);
  if (!result.ok) {
    return result;
  }
  const { heldOn } = result.value;
  const fail = (message: string): Validated<ReviewHeldInput> => ({
    ok: false,
    errors: [{ field: 'heldOn', message }],
  });
  if (heldOn > limits.today) {
    return fail('Date of the review must be today or in the past: a review is recorded once it has happened');
  }
  if (heldOn < limits.implantedOn) {
    return fail(`Date of the review must be on or after the implant, ${formatPlainDate(limits.implantedOn)}`);
  }
  if (heldOn < earliestReviewDay(limits)) {
    return fail(
      `Date of the review must be within the last ${String(limits.daysBack)} days, on or after ${formatPlainDate(earliestReviewDay(limits))}`,
    );
  }
  return result;
}
