/**
 * Calendar dates are plain YYYY-MM-DD strings, never midnight timestamps, so a clock change or
 * a time zone never moves a date of birth or a due date by a day.
 */
export type PlainDate = string & { readonly __brand: 'PlainDate' };

export function parsePlainDate(input: string): PlainDate | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input.trim());
  if (!m) {
    return null;
  }
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) {
    return null;
  }
  return `${m[1]}-${m[2]}-${m[3]}` as PlainDate;
}

export function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/** Builds a date from the three boxes of the NHS date-input pattern. */
export function plainDateFromParts(day: string, month: string, year: string): PlainDate | null {
  if (!/^\d{1,2}$/.test(day.trim()) || !/^\d{1,2}$/.test(month.trim()) || !/^\d{4}$/.test(year.trim())) {
    return null;
  }
  return parsePlainDate(`${year.trim()}-${month.trim().padStart(2, '0')}-${day.trim().padStart(2, '0')}`);
}

/** Full years between two dates (age on `on` for someone born on `born`). */
export function wholeYearsBetween(born: PlainDate, on: PlainDate): number {
  const [by, bm, bd] = born.split('-').map(Number) as [number, number, number];
  const [oy, om, od] = on.split('-').map(Number) as [number, number, number];
  return oy - by - (om < bm || (om === bm && od < bd) ? 1 : 0);
}

/** "3 March 1961", the NHS style for dates shown to people. */
export function formatPlainDate(date: string): string {
  const parsed = parsePlainDate(date);
  if (!parsed) {
    return date;
  }
  const [y, m, d] = parsed.split('-').map(Number) as [number, number, number];
  const months = [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ];
  return `${d} ${months[m - 1] ?? ''} ${y}`;
}

const MS_PER_DAY = 86_400_000;

// The worklist does date arithmetic for every pump in the caseload (100,000 in the benchmark) on
// a few thousand distinct dates; remembering conversions keeps that from dominating. Bounded,
// and the values are pure functions of the keys, so a cache can never give a different answer.
const CACHE_LIMIT = 50_000;
const toNumber = new Map<string, number>();
const toDate = new Map<number, PlainDate>();

/** Days since 1970-01-01 for a calendar date: arithmetic on day numbers never meets a clock change. */
function dayNumber(date: PlainDate): number {
  let n = toNumber.get(date);
  if (n === undefined) {
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    n = Date.UTC(y, m - 1, d) / MS_PER_DAY;
    if (toNumber.size >= CACHE_LIMIT) {
      toNumber.clear();
    }
    toNumber.set(date, n);
  }
  return n;
}

function fromDayNumber(n: number): PlainDate {
  let date = toDate.get(n);
  if (date === undefined) {
    date = new Date(n * MS_PER_DAY).toISOString().slice(0, 10) as PlainDate;
    if (toDate.size >= CACHE_LIMIT) {
      toDate.clear();
    }
    toDate.set(n, date);
  }
  return date;
}

/** The date `days` calendar days after `date` (before it when negative). */
export function addDays(date: PlainDate, days: number): PlainDate {
  if (!Number.isInteger(days)) {
    throw new RangeError(`days must be a whole number, not ${days}`);
  }
  return fromDayNumber(dayNumber(date) + days);
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: PlainDate, to: PlainDate): number {
  return dayNumber(to) - dayNumber(from);
}

/** ISO day of the week: 1 Monday … 7 Sunday. */
export function isoWeekday(date: PlainDate): number {
  // Day 0, 1 January 1970, was a Thursday (ISO 4).
  return ((((dayNumber(date) + 3) % 7) + 7) % 7) + 1;
}

/**
 * The same day `months` calendar months later (earlier when negative); a day the target month
 * lacks becomes its last day (31 August + 6 months is 28 or 29 February).
 */
export function addMonths(date: PlainDate, months: number): PlainDate {
  if (!Number.isInteger(months)) {
    throw new RangeError(`months must be a whole number, not ${months}`);
  }
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const day = Math.min(d, daysInMonth(year, month));
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` as PlainDate;
}
