import { z } from 'zod';
import { addDays, formatPlainDate, type PlainDate } from './calendar-date.ts';
import { zodIssuesToFieldErrors, type FieldError, type Validated } from './field-error.ts';
import { optionalText, plainDateField, requiredText } from './schema-fields.ts';

/** Why a booked appointment did not go ahead (e-RS keeps the same distinction). */
export const CANCEL_REASONS = ['patient-cancelled', 'hospital-cancelled', 'did-not-attend'] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];
export const CANCEL_REASON_LABELS: Readonly<Record<CancelReason, string>> = {
  'patient-cancelled': 'Patient cancelled',
  'hospital-cancelled': 'Hospital cancelled',
  'did-not-attend': 'Did not attend',
};

/** A booking more than this far ahead is almost certainly a mistyped year. */
export const MAX_BOOKING_DAYS_AHEAD = 366;

const appointmentSchema = z.object({
  date: plainDateField('Appointment date'),
  time: z
    .string({ error: 'Enter the appointment time' })
    .trim()
    .min(1, { error: 'Enter the appointment time' })
    .refine((v) => /^([01]\d|2[0-3]):[0-5]\d$/.test(v), {
      error: 'Appointment time must be a 24-hour time, like 09:30 or 14:15',
    }),
  clinic: requiredText('Clinic', 120),
  clinician: requiredText('Clinician', 120),
});

export interface AppointmentInput {
  readonly date: PlainDate;
  readonly time: string;
  readonly clinic: string;
  readonly clinician: string;
}

/** An appointment cannot come before the referral it answers, nor be booked absurdly far ahead. */
export function validateAppointmentInput(
  raw: unknown,
  context: { readonly receivedOn: PlainDate; readonly today: PlainDate },
): Validated<AppointmentInput> {
  const parsed = appointmentSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, errors: zodIssuesToFieldErrors(parsed.error.issues) };
  }
  const v = parsed.data;
  const errors: FieldError[] = [];
  if (v.date < context.receivedOn) {
    errors.push({
      field: 'date',
      message: `Appointment date must be on or after the date the referral was received, ${formatPlainDate(context.receivedOn)}`,
    });
  } else if (v.date > addDays(context.today, MAX_BOOKING_DAYS_AHEAD)) {
    errors.push({ field: 'date', message: 'Appointment date must be within the next year' });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: v };
}

const cancelSchema = z.object({
  cancelReason: z.enum(CANCEL_REASONS, {
    error: 'Select why the appointment is cancelled: patient cancelled, hospital cancelled or did not attend',
  }),
  cancelNote: optionalText('Cancellation note', 1000),
});

export interface CancelInput {
  readonly cancelReason: CancelReason;
  readonly cancelNote: string | null;
}

export function validateCancelInput(raw: unknown): Validated<CancelInput> {
  const parsed = cancelSchema.safeParse(raw);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, errors: zodIssuesToFieldErrors(parsed.error.issues) };
}

const outcomeSchema = z.object({ outcomeNote: requiredText('Outcome', 2000) });

/** The outcome of an attended first appointment, in the clinician's words. */
export function validateOutcomeInput(raw: unknown): Validated<{ readonly outcomeNote: string }> {
  const parsed = outcomeSchema.safeParse(raw);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, errors: zodIssuesToFieldErrors(parsed.error.issues) };
}
