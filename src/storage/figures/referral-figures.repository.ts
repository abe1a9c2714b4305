import { sql } from 'kysely';
import type { Db } from '../database.ts';
import { spreadOfCounts, type ValueCount } from '../../domain/figures/figure-stats.ts';
import { daysBetweenSql, monthCounts, toNumber, toNumberOrNull, type MonthCountRow } from './figure-sql.ts';

/**
 * The referral figures' aggregates: referrals received, time to triage, triage outcomes and
 * first appointments against the waiting-time target. Counts only; no row leaves with anything
 * that identifies a patient. Dates are 'YYYY-MM-DD' text; the range is inclusive.
 */

export interface DateRange {
  readonly from: string;
  readonly to: string;
}

/** Referrals received per month and source (e-RS, email), by the date received. */
export async function referralsBySource(db: Db, range: DateRange) {
  const { rows } = await sql<MonthCountRow>`
    select substr(received_on, 1, 7) as month, source as category, count(*) as n
    from referrals
    where received_on between ${range.from} and ${range.to}
    group by substr(received_on, 1, 7), source`.execute(db);
  return monthCounts(rows);
}

/**
 * Each referral first triaged in the range, with its first decision's date: the date kept on the
 * referral by the triage writer (first_triaged_on, figure-facts.repository.ts), read by its index.
 */
function firstTriagedIn(range: DateRange) {
  return sql`
    select r.id, r.received_on, r.state, r.first_triaged_on as triaged_on
    from referrals r
    where r.first_triaged_on between ${range.from} and ${range.to}`;
}

export interface Spread {
  /** 'YYYY-MM', or 'all' for the whole period. */
  readonly bucket: string;
  readonly n: number;
  readonly median: number | null;
  readonly p90: number | null;
  readonly longest: number | null;
}

/**
 * The spread per month and for the whole period of `facts` (a query giving month, value): the
 * database counts each value by month (one GROUP BY, no sorting of every row twice), and the
 * median, 90th percentile and longest are read from those counts (spreadOfCounts, the same
 * arithmetic as the figures' definitions state).
 */
async function spreadByMonth(db: Db, facts: ReturnType<typeof sql>): Promise<Spread[]> {
  const { rows } = await sql<{ month: string; value: unknown; n: unknown }>`
    select month, value, count(*) as n from (${facts}) as f group by month, value`.execute(db);
  return spreadsOf(rows.map((r) => ({ month: r.month, value: toNumber(r.value), n: toNumber(r.n) })));
}

/** The spread per month and, as 'all', for every month together, of values given as counts. */
function spreadsOf(rows: readonly { month: string; value: number; n: number }[]): Spread[] {
  const byMonth = new Map<string, ValueCount[]>();
  const whole = new Map<number, number>();
  for (const { month, value, n } of rows) {
    const counts = byMonth.get(month) ?? [];
    counts.push({ value, n });
    byMonth.set(month, counts);
    whole.set(value, (whole.get(value) ?? 0) + n);
  }
  const spreads: Spread[] = [...byMonth].map(([bucket, counts]) => ({ bucket, ...spreadOfCounts(counts) }));
  if (rows.length > 0) {
    const all = [...whole].map(([value, n]) => ({ value, n }));
    spreads.push({ bucket: 'all', ...spreadOfCounts(all) });
  }
  return spreads;
}

/** Referrals first triaged in the range, counted by month of that decision, outcome and days taken. */
export interface TriageCount {
  readonly month: string;
  readonly state: string;
  readonly days: number;
  readonly n: number;
}

/**
 * The referrals first triaged in the range, counted by the month of their first decision, their
 * outcome as it stands now and the calendar days from receipt to that decision: one GROUP BY
 * that both the time-to-triage and the triage-outcome figures read (timeToTriage, triageOutcomes).
 */
export async function triageCounts(db: Db, range: DateRange): Promise<TriageCount[]> {
  const days = daysBetweenSql(db, sql.ref('received_on'), sql.ref('triaged_on'));
  const { rows } = await sql<{ month: string; state: string; days: unknown; n: unknown }>`
    select substr(triaged_on, 1, 7) as month, state, ${days} as days, count(*) as n
    from (${firstTriagedIn(range)}) as f
    group by 1, 2, 3`.execute(db); // By position: the days are worked out once a row.
  return rows.map((r) => ({ month: r.month, state: r.state, days: toNumber(r.days), n: toNumber(r.n) }));
}

/**
 * Calendar days from receipt to the first triage decision, for referrals first triaged in the
 * range: median, 90th percentile and longest per month of the decision, and for the period.
 */
export function timeToTriage(counts: readonly TriageCount[]): Spread[] {
  return spreadsOf(counts.map((c) => ({ month: c.month, value: c.days, n: c.n })));
}

/** Triaged referrals per month of their first decision, by their outcome as it stands now. */
export function triageOutcomes(counts: readonly TriageCount[]) {
  const totals = new Map<string, { month: string; category: string; n: number }>();
  for (const c of counts) {
    const key = `${c.month} ${c.state}`;
    const t = totals.get(key) ?? { month: c.month, category: c.state, n: 0 };
    totals.set(key, { ...t, n: t.n + c.n });
  }
  return [...totals.values()];
}

/** The waiting-time rules the first-appointment figures apply (config.waiting). */
export interface WaitTargetSql {
  readonly targetDays: number;
  readonly urgentTargetDays: number;
  readonly clockStart: 'received' | 'accepted';
}

function clockStartColumn(rules: WaitTargetSql) {
  return rules.clockStart === 'received' ? sql.ref('r.received_on') : sql.ref('r.accepted_on');
}

function targetDaysSql(rules: WaitTargetSql) {
  // Cast: PostgreSQL would otherwise type the parameters of a CASE as text.
  return sql<number>`(case when r.priority = 'urgent' then cast(${rules.urgentTargetDays} as integer) else cast(${rules.targetDays} as integer) end)`;
}

export interface FirstSeenMonth {
  readonly month: string;
  readonly seen: number;
  readonly within: number;
}

/**
 * Accepted referrals first seen in the range (their earliest attended appointment, kept on the
 * referral by the appointment writer: first_seen_on, figure-facts.repository.ts), with the days
 * waited and the target.
 */
function firstSeenIn(db: Db, range: DateRange, rules: WaitTargetSql) {
  const waited = daysBetweenSql(db, sql`${clockStartColumn(rules)}`, sql.ref('r.first_seen_on'));
  return sql`
    select r.first_seen_on as seen_on, ${waited} as waited, ${targetDaysSql(rules)} as target_days
    from referrals r
    where r.first_seen_on between ${range.from} and ${range.to} and r.state = 'accepted'`;
}

/**
 * Accepted referrals whose first attended appointment fell in the range, per month of that
 * appointment: how many were seen, and how many on or before their target date.
 */
export async function firstAppointmentsAgainstTarget(
  db: Db,
  range: DateRange,
  rules: WaitTargetSql,
): Promise<FirstSeenMonth[]> {
  const { rows } = await sql<{ month: string; seen: unknown; within: unknown }>`
    select substr(seen_on, 1, 7) as month, count(*) as seen,
      sum(case when waited <= target_days then 1 else 0 end) as within
    from (${firstSeenIn(db, range, rules)}) as f group by substr(seen_on, 1, 7)`.execute(db);
  return rows.map((r) => ({ month: r.month, seen: toNumber(r.seen), within: toNumber(r.within) }));
}

/** Days beyond target of those first seen in the range after their target date: the spread by month. */
export async function firstAppointmentBreaches(
  db: Db,
  range: DateRange,
  rules: WaitTargetSql,
): Promise<Spread[]> {
  return spreadByMonth(
    db,
    sql`select substr(seen_on, 1, 7) as month, waited - target_days as value
      from (${firstSeenIn(db, range, rules)}) as f where waited > target_days`,
  );
}

/**
 * Accepted referrals still waiting beyond their target on `on` (the period's last day): accepted
 * by then, not seen by then, the target date passed, and no appointment booked on or before the
 * target date (which the waiting list counts as booked within target until an outcome is
 * recorded: waiting-target.ts assessWait). Their number and the longest days beyond target.
 */
export async function waitingBeyondTarget(
  db: Db,
  on: string,
  rules: WaitTargetSql,
): Promise<{ readonly n: number; readonly longest: number | null }> {
  const start = clockStartColumn(rules);
  const target = targetDaysSql(rules);
  const waited = daysBetweenSql(db, sql`${start}`, sql`${on}`);
  const bookedBy = daysBetweenSql(db, sql`${start}`, sql.ref('r.first_booked_on'));
  // The first attended appointment and the earliest still booked, as kept on the referral
  // (first_seen_on, first_booked_on): booked on or before the target date when the earliest is.
  const { rows } = await sql<{ n: unknown; longest: unknown }>`
    select count(*) as n, max(${waited} - ${target}) as longest
    from referrals r
    where r.state = 'accepted' and r.accepted_on <= ${on} and r.received_on <= ${on}
      and (r.first_seen_on is null or r.first_seen_on > ${on})
      and ${waited} > ${target}
      and not (r.first_booked_on is not null and ${bookedBy} <= ${target})`.execute(db);
  const row = rows[0];
  return { n: toNumber(row?.n ?? 0), longest: toNumberOrNull(row?.longest) };
}
