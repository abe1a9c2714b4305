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
