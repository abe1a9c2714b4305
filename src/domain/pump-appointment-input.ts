import { z } from 'zod';
import type { PlainDate } from './calendar-date.ts';
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
