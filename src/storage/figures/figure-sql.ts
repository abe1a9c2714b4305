import { PostgresAdapter, sql, type RawBuilder } from 'kysely';
import type { Db } from '../database.ts';

/**
 * The little SQL the figures' queries need that SQLite and PostgreSQL spell differently. Dates
 * are 'YYYY-MM-DD' text in both databases (database.ts), so a month is its first seven
 * characters in both; only the number of days between two dates differs: SQLite has no date
 * type and subtracts Julian day numbers, PostgreSQL subtracts dates (an integer).
 */

export function isPostgres(db: Db): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** Whole calendar days from `from` to `to`, both 'YYYY-MM-DD' text expressions (dialect-specific). */
export function daysBetweenSql(
  db: Db,
  from: RawBuilder<unknown>,
  to: RawBuilder<unknown>,
): RawBuilder<number> {
  return isPostgres(db)
    ? sql<number>`(cast(${to} as date) - cast(${from} as date))`
    : sql<number>`cast(julianday(${to}) - julianday(${from}) as integer)`;
}

/** The month ('YYYY-MM') of a 'YYYY-MM-DD' text or an ISO 8601 instant: the same in both. */
export function monthSql(expression: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`substr(${expression}, 1, 7)`;
}

/**
 * PostgreSQL returns COUNT as a bigint and AVG as a numeric, which the driver hands over as
 * text; SQLite returns numbers. Every figure number goes through this.
 */
export function toNumber(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

export function toNumberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : toNumber(value);
}

/** One GROUP BY month, category row, whichever database answered. */
export interface MonthCountRow {
  readonly month: string;
  readonly category: string;
  readonly n: unknown;
}

export function monthCounts(rows: readonly MonthCountRow[]) {
  return rows.map((r) => ({ month: r.month, category: r.category, n: toNumber(r.n) }));
}

/**
 * The median and the nearest-rank 90th percentile of `value` per `bucket`, by window functions
 * over a subquery giving (bucket, value). Median: the middle row, or the mean of the two middle
 * rows (ranks ⌊(n+1)/2⌋ and ⌊(n+2)/2⌋); 90th percentile: the row of rank ⌈0.9 n⌉, which for
 * whole n is ⌊(9n + 9)/10⌋. Integer division is the same in both databases for positive whole
 * numbers (figure-stats.ts holds the same arithmetic in TypeScript).
 */
export function medianAndP90Sql(source: RawBuilder<unknown>): RawBuilder<{
  bucket: string;
  n: unknown;
  median: unknown;
  p90: unknown;
  longest: unknown;
}> {
  return sql`
    select bucket, max(n) as n,
      avg(case when rn = (n + 1) / 2 or rn = (n + 2) / 2 then value end) as median,
      max(case when rn = (9 * n + 9) / 10 then value end) as p90,
      max(value) as longest
    from (
      select bucket, value,
        row_number() over (partition by bucket order by value) as rn,
        count(*) over (partition by bucket) as n
      from (${source}) as facts
    ) as ranked
    group by bucket`;
}
