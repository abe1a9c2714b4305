/**
 * The arithmetic the figures state in their definitions, as pure functions: the SQL computes
 * the same things with window functions, and the tests check one against the other.
 */

/**
 * The median: the middle value, or the mean of the two middle values of an even count; null
 * for no values.
 */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) {
    return null;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const lower = sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
  const upper = sorted[Math.ceil((sorted.length - 1) / 2)] ?? 0;
  return (lower + upper) / 2;
}

/**
 * The nearest-rank percentile: the smallest value with at least `percent`% of the values at or
 * below it (rank ⌈percent × n / 100⌉), so it is always a value that occurred; null for none.
 */
export function nearestRankPercentile(values: readonly number[], percent: number): number | null {
  if (values.length === 0) {
    return null;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((percent * sorted.length) / 100));
  return sorted[rank - 1] ?? null;
}

/** A share as a whole-number-and-one-decimal percentage; null when there is nothing to divide by. */
export function percentOf(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : Math.round((numerator / denominator) * 1000) / 10;
}

/** The headline of a rate: "87.5% (7 of 8)", or "None in the period" with no denominator. */
export function rateHeadline(numerator: number, denominator: number): string {
  const percent = percentOf(numerator, denominator);
  return percent === null ? 'None in the period' : `${percent}% (${numerator} of ${denominator})`;
}

/** "1 referral", "3 referrals". */
export function countOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** How many times a value occurred (a GROUP BY value, count(*) row). */
export interface ValueCount {
  readonly value: number;
  readonly n: number;
}

/** Median, nearest-rank 90th percentile and largest of values given as counts, as median() and nearestRankPercentile() would give them for the values listed out. */
export function spreadOfCounts(counts: readonly ValueCount[]): {
  readonly n: number;
  readonly median: number | null;
  readonly p90: number | null;
  readonly longest: number | null;
} {
  const sorted = counts.filter((c) => c.n > 0).sort((a, b) => a.value - b.value);
  const n = sorted.reduce((total, c) => total + c.n, 0);
  if (n === 0) {
    return { n: 0, median: null, p90: null, longest: null };
  }
  /** The value at 1-based rank `rank` in order. */
  const at = (rank: number): number => {
    let seen = 0;
    for (const c of sorted) {
      seen += c.n;
      if (seen >= rank) {
        return c.value;
      }
    }
    return sorted[sorted.length - 1]?.value ?? 0;
  };
  return {
    n,
    median: (at(Math.floor((n + 1) / 2)) + at(Math.floor((n + 2) / 2))) / 2,
    p90: at(Math.max(1, Math.ceil((90 * n) / 100))),
    longest: sorted[sorted.length - 1]?.value ?? null,
  };
}
