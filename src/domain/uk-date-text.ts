import { formatPlainDate, parsePlainDate, plainDateFromParts, type PlainDate } from './calendar-date.ts';
import { offsetMinutes } from './test-dose-time.ts';

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/**
 * A date as people in the UK type it: "7 March 2026", "7 Mar 2026", "07/03/2026", "7/3/2026",
 * "7-3-2026", or the ISO "2026-03-07" an older link carries. Day first, always (never the
 * US month-first reading); a two-digit year is refused rather than guessed.
 */
export function parseUkDateText(input: string): PlainDate | null {
  const text = input.trim().replace(/\s+/g, ' ');
  const iso = parsePlainDate(text);
  if (iso) {
    return iso;
  }
  const numeric = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
  if (numeric) {
    return plainDateFromParts(numeric[1] ?? '', numeric[2] ?? '', numeric[3] ?? '');
  }
  const named = /^(\d{1,2})(?:st|nd|rd|th)? ([A-Za-z]+),? (\d{4})$/.exec(text);
  if (named) {
    const word = (named[2] ?? '').toLowerCase();
    const month = word.length >= 3 ? MONTHS.findIndex((m) => m.startsWith(word)) : -1;
    return month < 0 ? null : plainDateFromParts(named[1] ?? '', String(month + 1), named[3] ?? '');
  }
  return null;
}

/** The UK date as shown back in a filter box: "7 March 2026". */
export function ukDateText(date: PlainDate): string {
  return formatPlainDate(date);
}

/** The instant a calendar day starts in the zone (its local midnight), as epoch milliseconds. */
function localDayStartMs(date: PlainDate, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d);
  // Two passes: the offset at the first guess may differ from the offset at local midnight
  // when a clock change falls between them.
  let guess = wall - offsetMinutes(wall, timeZone) * 60_000;
  guess = wall - offsetMinutes(guess, timeZone) * 60_000;
  return guess;
}

/**
 * The UTC bounds (inclusive, ISO 8601 with milliseconds, as the audit trail stores times) of
 * the local calendar days from `from` to `to` in the service's time zone: a day in British
 * Summer Time starts at 23:00 UTC the day before.
 */
export function localDaysAsUtc(
  from: PlainDate | null,
  to: PlainDate | null,
  timeZone: string,
): { from?: string; to?: string } {
  const bounds: { from?: string; to?: string } = {};
  if (from) {
    bounds.from = new Date(localDayStartMs(from, timeZone)).toISOString();
  }
  if (to) {
    const [y, m, d] = to.split('-').map(Number) as [number, number, number];
    const next = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10) as PlainDate;
    bounds.to = new Date(localDayStartMs(next, timeZone) - 1).toISOString();
  }
  return bounds;
}
