import { formatPlainDate, type PlainDate } from './calendar-date.ts';
import type { FieldError } from './field-error.ts';

/** The form's checkbox and the API's field that confirm a booking after the target. */
export const CONFIRM_BEYOND_TARGET_FIELD = 'confirmBeyondTarget';
export const CONFIRM_BEYOND_TARGET_LABEL = 'Confirm booking beyond the target';

export type BeyondTargetCheck =
  /** On or before the target date: nothing to confirm. */
  | { readonly kind: 'within' }
  /** After the target and confirmed: booked, the target date kept with the appointment. */
  | { readonly kind: 'confirmed'; readonly targetDate: PlainDate }
  /** After the target and not confirmed: refused, naming the field that confirms it. */
  | { readonly kind: 'unconfirmed'; readonly error: FieldError };

/**
 * A first appointment after the referral's target date (waiting-target.ts: 42 days routine,
 * WAIT_URGENT_TARGET_DAYS urgent) means the patient will wait longer than the service promised.
 * That can be right (the patient's choice, no clinic sooner), but it must never happen unnoticed
 * (hazard log): the booker confirms it, and the confirmation is kept with the appointment and
 * audited.
 */
export function checkBeyondTarget(
  date: PlainDate,
  targetDate: PlainDate,
  confirmed: boolean,
): BeyondTargetCheck {
  if (date <= targetDate) {
    return { kind: 'within' };
  }
  if (confirmed) {
    return { kind: 'confirmed', targetDate };
  }
  return {
    kind: 'unconfirmed',
    error: {
      field: CONFIRM_BEYOND_TARGET_FIELD,
      message: `${formatPlainDate(date)} is after this referral's target date, ${formatPlainDate(targetDate)}. Select "${CONFIRM_BEYOND_TARGET_LABEL}" to book it anyway, or choose an earlier date`,
    },
  };
}
