import { sql, type RawBuilder } from 'kysely';
import { isPostgres } from '../dialect-name.ts';
import type { Db } from '../database.ts';

/**
 * The little SQL the figures' queries need that SQLite and PostgreSQL spell differently. Dates
 * are 'YYYY-MM-DD' text in both databases (database.ts), so a month is its first seven
 * characters in both; only the number of days between two dates differs: SQLite has no date
 * type and subtracts Julian day numbers, PostgreSQL subtracts dates (an integer).
 */

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
