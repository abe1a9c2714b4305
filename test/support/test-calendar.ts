/**
 * An independent calendar for the tests: a day-by-day counter over a month-length table, so the
 * expected dates never come from the Date arithmetic in calendar-date.ts. Dates are YYYY-MM-DD
 * text; the refill arithmetic's tests check their results against it.
 */

const MONTH_LENGTHS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const monthLength = (y: number, m: number) => (m === 2 && isLeap(y) ? 29 : MONTH_LENGTHS[m - 1]!);
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The date `n` days after `date` (before it when `n` is negative), counted one day at a time. */
export function countDays(date: string, n: number): string {
  let [y, m, day] = date.split('-').map(Number) as [number, number, number];
  for (let i = 0; i < n; i += 1) {
    day += 1;
    if (day > monthLength(y, m)) {
      day = 1;
      m += 1;
      if (m > 12) {
        m = 1;
        y += 1;
      }
    }
  }
  for (let i = 0; i > n; i -= 1) {
    day -= 1;
    if (day < 1) {
      m -= 1;
      if (m < 1) {
        m = 12;
        y -= 1;
      }
      day = monthLength(y, m);
    }
  }
  return `${pad(y, 4)}-${pad(m)}-${pad(day)}`;
}

/** UK clock changes 2024–2030 (last Sundays of March and October), found by counting weekdays from Monday 1 January 2024. */
export function ukClockChanges(): string[] {
  const found: string[] = [];
  let date = '2024-01-01';
  let weekday = 0; // 0 Monday … 6 Sunday
  const lastSunday = new Map<string, string>();
  while (date <= '2030-12-31') {
    const month = date.slice(5, 7);
    if (weekday === 6 && (month === '03' || month === '10')) {
      lastSunday.set(date.slice(0, 7), date);
    }
    date = countDays(date, 1);
    weekday = (weekday + 1) % 7;
  }
  for (const value of lastSunday.values()) {
    found.push(value);
  }
  return found.sort();
}

export const CLOCK_CHANGES = ukClockChanges();
