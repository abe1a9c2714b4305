import type { PlainDate } from '../domain/calendar-date.ts';

/** The one place the wall clock is read; tests pass a fixed or stepping clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Today's calendar date in the service's time zone (Europe/London by default). */
export function todayIn(clock: Clock, timeZone: string): PlainDate {
  return dateIn(clock.now(), timeZone);
}

/**
 * One formatter per time zone: toLocaleDateString builds a new one on every call, which costs
 * more than the rest of a short request's date work (docs/performance.md). The Canadian English
 * short date is the ISO calendar date.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar date of an instant in the given time zone. */
export function dateIn(instant: Date, timeZone: string): PlainDate {
  let format = formatters.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone });
    formatters.set(timeZone, format);
  }
  return format.format(instant) as PlainDate;
}

/** Today in the service's time zone, for any service's dependencies. */
export function today(deps: {
  readonly clock: Clock;
  readonly config: { readonly timeZone: string };
}): PlainDate {
  return todayIn(deps.clock, deps.config.timeZone);
}
