import { formatPlainDate, parsePlainDate, type PlainDate } from './calendar-date.ts';
import type { Validated } from './field-error.ts';

/**
 * The day the pump was reprogrammed with a change confirmed outside a refill. The software's
 * expected residual and the pump's plan count each programme from this day, not from when the
 * check was recorded (a change programmed on Monday and confirmed on Wednesday ran from Monday).
 */
export interface ProgrammedOnContext {
  readonly today: PlainDate;
  /** The date of the pump's last signed refill; the change cannot predate the fill it runs from. */
  readonly lastSignedRefillOn: PlainDate | null;
  /** The day the change was proposed, in the service's time zone. */
  readonly proposedOn: PlainDate;
}

/**
 * Reads the date (YYYY-MM-DD; absent or empty means today) and checks it: never in the future,
 * never before the last signed refill, never before the change was proposed.
 */
export function validateProgrammedOn(raw: unknown, ctx: ProgrammedOnContext): Validated<PlainDate> {
  const field = 'programmedOn';
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
    return { ok: true, value: ctx.today };
  }
  const date = typeof raw === 'string' ? parsePlainDate(raw.trim()) : null;
  if (date === null) {
    return {
      ok: false,
      errors: [
        { field, message: 'Date the pump was reprogrammed must be a real date in the format YYYY-MM-DD' },
      ],
    };
  }
  if (date > ctx.today) {
    return {
      ok: false,
      errors: [{ field, message: 'Date the pump was reprogrammed must be today or in the past' }],
    };
  }
  if (ctx.lastSignedRefillOn !== null && date < ctx.lastSignedRefillOn) {
    return {
      ok: false,
      errors: [
        {
          field,
          message: `Date the pump was reprogrammed must be on or after the last signed refill, ${formatPlainDate(ctx.lastSignedRefillOn)}`,
        },
      ],
    };
  }
  if (date < ctx.proposedOn) {
    return {
      ok: false,
      errors: [
        {
          field,
          message: `Date the pump was reprogrammed must be on or after the day the change was proposed, ${formatPlainDate(ctx.proposedOn)}`,
        },
      ],
    };
  }
  return { ok: true, value: date };
}
