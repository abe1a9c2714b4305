import { PostgresAdapter, sql, type RawBuilder } from 'kysely';
import type { SqlDialectName } from '../dialect-name.ts';
import type { DbOrTrx } from '../database.ts';

/**
 * The few pieces of date arithmetic the clinical figures need, written once for each database.
 * Everything else in the figures' SQL is the same on both (dates are 'YYYY-MM-DD' text and
 * times ISO 8601 UTC text, so comparisons and substr work alike).
 */

export function dialectOf(db: DbOrTrx): SqlDialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** Whole days from one 'YYYY-MM-DD' expression to another (later minus earlier). */
export function daysBetweenSql(
  dialect: SqlDialectName,
  from: RawBuilder<unknown>,
  to: RawBuilder<unknown>,
): RawBuilder<number> {
  return dialect === 'postgres'
    ? sql<number>`(cast(${to} as date) - cast(${from} as date))`
    : sql<number>`cast(round(julianday(${to}) - julianday(${from})) as integer)`;
}

/**
 * True (1) when the instant `later` is no more than 24 hours after `earlier`, both ISO 8601 UTC
 * text, to the millisecond. SQLite compares Julian days (a double: exact to about 10 µs) with
 * half a millisecond to spare, several times faster than formatting both times with strftime.
 */
export function withinADaySql(
  dialect: SqlDialectName,
  earlier: RawBuilder<unknown>,
  later: RawBuilder<unknown>,
): RawBuilder<boolean> {
  return dialect === 'postgres'
    ? sql<boolean>`cast(${later} as timestamptz) <= cast(${earlier} as timestamptz) + interval '1 day'`
    : sql<boolean>`(julianday(${later}) - julianday(${earlier})) * 86400000.0 <= 86400000.5`;
}
