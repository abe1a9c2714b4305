import { sql } from 'kysely';
import type { PlainDate } from '../../domain/calendar-date.ts';
import type { DbOrTrx } from '../database.ts';

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
 *
 * Summed from refill_figure_days: each day's counts, kept by every refill writer in its own
 * transaction (figure-facts.repository.ts refillCountsSql), so any period reads at most one row
 * a day and never the refills themselves.
 */
export async function refillMonthCounts(
  db: DbOrTrx,
  range: { readonly from: PlainDate; readonly to: PlainDate },
): Promise<RefillMonthCounts[]> {
  const { rows } = await sql<Record<string, unknown>>`
    select substr(d.day, 1, 7) as month, sum(d.refills) as refills, sum(d.with_due) as with_due,
      sum(d.on_time) as on_time, sum(d.after_alarm) as after_alarm,
      sum(d.discrepancy) as discrepancy, sum(d.signed_in_day) as signed_in_day
    from refill_figure_days d
    where d.day >= ${range.from} and d.day <= ${range.to} and d.refills > 0
    group by substr(d.day, 1, 7)
    order by month
  `.execute(db);
  return rows.map((row) => ({
    month: String(row.month),
    refills: n(row.refills),
    withDueDate: n(row.with_due),
    onOrBeforeDue: n(row.on_time),
    afterAlarm: n(row.after_alarm),
    discrepancy: n(row.discrepancy),
    signedWithinADay: n(row.signed_in_day),
  }));
}
