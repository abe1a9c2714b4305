import { sql } from 'kysely';
import type { Db } from '../database.ts';
import { monthCounts, type MonthCountRow } from './figure-sql.ts';
import type { DateRange } from './referral-figures.repository.ts';

/**
 * The selection and test-dose figures' aggregates. Decisions and boluses are stamped with a UTC
 * instant; their day is the instant's UTC date (the first ten characters), the same text in
 * both databases.
 */

/** Selection decisions of one kind ('clinician' or 'mdt') per month and decision. */
export async function selectionDecisions(db: Db, range: DateRange, kind: 'clinician' | 'mdt') {
  // An MDT decision counts on the day of its meeting when one was given.
  const day =
    kind === 'mdt' ? sql`coalesce(meeting_on, substr(decided_at, 1, 10))` : sql`substr(decided_at, 1, 10)`;
  const { rows } = await sql<MonthCountRow>`
    select substr(day, 1, 7) as month, decision as category, count(*) as n
    from (select ${day} as day, decision from selection_decisions where kind = ${kind}) as d
    where day between ${range.from} and ${range.to}
    group by substr(day, 1, 7), decision`.execute(db);
  return monthCounts(rows);
}

/** Test boluses given per month, by their confirmed result ('pending' until one is confirmed). */
export async function testBolusResults(db: Db, range: DateRange) {
  const { rows } = await sql<MonthCountRow>`
    select substr(given_at, 1, 7) as month, coalesce(result, 'pending') as category, count(*) as n
    from test_dose_boluses
    where substr(given_at, 1, 10) between ${range.from} and ${range.to}
    group by substr(given_at, 1, 7), coalesce(result, 'pending')`.execute(db);
  return monthCounts(rows);
}

/** Test-dose (screening) episodes closed per month, by how they closed. */
export async function screeningOutcomes(db: Db, range: DateRange) {
  const { rows } = await sql<MonthCountRow>`
    select substr(closed_on, 1, 7) as month, state as category, count(*) as n
    from test_dose_episodes
    where state <> 'open' and closed_on between ${range.from} and ${range.to}
    group by substr(closed_on, 1, 7), state`.execute(db);
  return monthCounts(rows);
}
