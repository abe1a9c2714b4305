import { sql } from 'kysely';
import type { PlainDate } from '../../domain/calendar-date.ts';
import type { DbOrTrx } from '../database.ts';
import { dialectOf, withinADaySql } from './clinical-dialect.ts';

/** One month's refill counts (the month the refill was performed in). */
export interface RefillMonthCounts {
  /** 'YYYY-MM'. */
  readonly month: string;
  /** Refills performed in the month, voided ones left out. */
  readonly refills: number;
  /** Of those, refills with a due date to judge them by (see refillMonthCounts). */
  readonly withDueDate: number;
  /** Of those, refills performed on or before that due date. */
  readonly onOrBeforeDue: number;
  /** Refills the service flagged AFTER_ALARM when they were recorded. */
  readonly afterAlarm: number;
  /** Refills the service flagged RESIDUAL_DISCREPANCY. */
  readonly discrepancy: number;
  /** Refills signed no more than 24 hours after they were recorded. */
  readonly signedWithinADay: number;
}

const n = (v: unknown): number => Number(v ?? 0);

/**
 * Refill counts by month for the refills performed in [from, to], voided (rejected) refills left
 * out everywhere. A refill's due date is the `due_by` of the refill before it on the same pump
 * (the previous refill not voided, by performed_on then recorded_at): the date that fill was
 * planned to be refilled by. A pump's first refill has none; nor has a refill whose pump was
 * paused (stopped or emptied) since that previous refill, as the pause moved or ended the plan.
 * AFTER_ALARM and RESIDUAL_DISCREPANCY are read from the flags stored with the refill.
 */
export async function refillMonthCounts(
  db: DbOrTrx,
  range: { readonly from: PlainDate; readonly to: PlainDate },
): Promise<RefillMonthCounts[]> {
  const dialect = dialectOf(db);
  const signedInDay = withinADaySql(dialect, sql.ref('r.recorded_at'), sql.ref('r.signed_at'));
  // The previous refill of the same pump, read for each refill in the range through the index
  // on (pump_id, performed_on, recorded_at, state, due_by): far cheaper than numbering every refill
  // of every pump with a window function. Its date and due date come back as one text, both
  // 'YYYY-MM-DD' (10 characters each), so the index is read once per refill. Materialised, so
  // it is read once rather than once for each place the outer queries use it.
  const previous = sql`(
    select x.performed_on || x.due_by from refills x
    where x.pump_id = r.pump_id and x.state <> 'voided'
      and (x.performed_on, x.recorded_at) < (r.performed_on, r.recorded_at)
    order by x.performed_on desc, x.recorded_at desc
    limit 1
  )`;
  const result = await sql<Record<string, unknown>>`
    with found as materialized (
      select r.pump_id, r.performed_on, r.flags, r.state, r.recorded_at, r.signed_at,
        ${previous} as prev
      from refills r
      where r.state <> 'voided' and r.performed_on >= ${range.from} and r.performed_on <= ${range.to}
    ),
    r as (
      select f.pump_id, f.performed_on, f.flags, f.state, f.recorded_at, f.signed_at,
        substr(f.prev, 11, 10) as prev_due_by, substr(f.prev, 1, 10) as prev_on
      from found f
    ),
    paused as materialized (
      select r.*,
        case when r.prev_due_by is not null and not exists (
          select 1 from pump_pauses pp
          where pp.pump_id = r.pump_id and pp.paused_on >= r.prev_on and pp.paused_on <= r.performed_on
        ) then 1 else 0 end as has_due
      from r
    ),
    judged as (
      select p.*, case when p.has_due = 1 and p.performed_on <= p.prev_due_by then 1 else 0 end as on_time
      from paused p
    )
    select substr(r.performed_on, 1, 7) as month,
      count(*) as refills,
      sum(r.has_due) as with_due,
      sum(r.on_time) as on_time,
      sum(case when r.flags like '%"AFTER_ALARM"%' then 1 else 0 end) as after_alarm,
      sum(case when r.flags like '%"RESIDUAL_DISCREPANCY"%' then 1 else 0 end) as discrepancy,
      sum(case when r.state = 'signed' and r.signed_at is not null and ${signedInDay} then 1 else 0 end) as signed_in_day
    from judged r
    group by substr(r.performed_on, 1, 7)
    order by month
  `.execute(db);
  return result.rows.map((row) => ({
    month: String(row.month),
    refills: n(row.refills),
    withDueDate: n(row.with_due),
    onOrBeforeDue: n(row.on_time),
    afterAlarm: n(row.after_alarm),
    discrepancy: n(row.discrepancy),
    signedWithinADay: n(row.signed_in_day),
  }));
}
