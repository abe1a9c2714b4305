import { addDays, isoWeekday, type PlainDate } from './calendar-date.ts';

/**
 * Working days are Monday to Friday except the closed days passed in (bank holidays in
 * England and any local closures); the set is worked out outside the domain so that this stays
 * a pure function.
 */
export function isWorkingDay(date: PlainDate, closedDays: ReadonlySet<string>): boolean {
  return isoWeekday(date) <= 5 && !closedDays.has(date);
}

/** Working days after `from` up to and including `to` (0 when `to` is not after `from`). */
export function workingDaysAfter(from: PlainDate, to: PlainDate, closedDays: ReadonlySet<string>): number {
  let count = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) {
    if (isWorkingDay(d, closedDays)) {
      count += 1;
    }
  }
  return count;
}

/**
 * A due date on a weekend, an England and Wales bank holiday or a service closed day moves to
 * the working day before it, so the refill is never due on a day nobody can give it.
 */
export function workingDayOnOrBefore(date: PlainDate, closedDays: ReadonlySet<string>): PlainDate {
  let d = date;
  // A year of closed days in a row is impossible; the bound stops a bad setting looping forever.
  for (let i = 0; i < 366 && !isWorkingDay(d, closedDays); i += 1) {
    d = addDays(d, -1);
  }
  return d;
}
