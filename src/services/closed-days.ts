import Holidays from 'date-holidays';

/**
 * England's bank holidays (substitute days included) from date-holidays, which computes them
 * offline, plus the service's own closed days (SERVICE_CLOSED_DAYS). Working-day counts for the
 * triage alert skip them. One-off holidays proclaimed after the library's release go in
 * SERVICE_CLOSED_DAYS until the library is updated.
 */
let england: Holidays | null = null;
const cache = new Map<number, readonly string[]>();

function bankHolidays(year: number): readonly string[] {
  let days = cache.get(year);
  if (!days) {
    // Made on first use, so start-up does not pay for the holiday data.
    england ??= new Holidays('GB', 'ENG');
    days = england
      .getHolidays(year)
      .filter((h) => h.type === 'public' || h.type === 'bank')
      .map((h) => h.date.slice(0, 10));
    cache.set(year, days);
  }
  return days;
}

export function closedDaysBetween(
  fromYear: number,
  toYear: number,
  extra: readonly string[],
): ReadonlySet<string> {
  const set = new Set<string>(extra);
  for (let y = fromYear; y <= toYear; y += 1) {
    for (const d of bankHolidays(y)) {
      set.add(d);
    }
  }
  return set;
}
