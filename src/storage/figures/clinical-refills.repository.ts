import type { PlainDate } from '../../domain/calendar-date.ts';
import { monthsInRange } from '../../domain/figures/months.ts';
import type { DbOrTrx } from '../database.ts';
import { refillCountsSql, type RefillCountsRow } from './figure-facts.repository.ts';

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

function toCounts(row: RefillCountsRow): RefillMonthCounts {
  return {
    month: row.month,
    refills: n(row.refills),
    withDueDate: n(row.with_due),
    onOrBeforeDue: n(row.on_time),
    afterAlarm: n(row.after_alarm),
    discrepancy: n(row.discrepancy),
    signedWithinADay: n(row.signed_in_day),
  };
}

/** The last day of a 'YYYY-MM' month. */
function lastDayOf(month: string): string {
  const [year, mon] = month.split('-').map(Number) as [number, number];
  return `${month}-${String(new Date(Date.UTC(year, mon, 0)).getUTCDate()).padStart(2, '0')}`;
}

/**
 * Refill counts by month for the refills performed in [from, to], voided (rejected) refills left
 * out everywhere. A refill's due date is the `due_by` of the refill before it on the same pump
 * (the previous refill not voided, by performed_on then recorded_at): the date that fill was
 * planned to be refilled by. A pump's first refill has none; nor has a refill whose pump was
 * paused (stopped or emptied) since that previous refill, as the pause moved or ended the plan.
 * AFTER_ALARM and RESIDUAL_DISCREPANCY are read from the flags stored with the refill.
 *
 * The months the range covers whole are read from refill_figure_months, kept by every refill
 * writer in its own transaction (figure-facts.repository.ts); a month the range covers only in
 * part is counted from its refills, through the previous refill stored on each.
 */
export async function refillMonthCounts(
  db: DbOrTrx,
  range: { readonly from: PlainDate; readonly to: PlainDate },
): Promise<RefillMonthCounts[]> {
  const months = monthsInRange(range);
  const whole = months.filter((m) => range.from <= `${m}-01` && lastDayOf(m) <= range.to);
  const partial = months.filter((m) => !whole.includes(m));
  const [stored, ...live] = await Promise.all([
    whole.length === 0
      ? []
      : db
          .selectFrom('refill_figure_months')
          .selectAll()
          .where('month', '>=', whole[0] as string)
          .where('month', '<=', whole[whole.length - 1] as string)
          .execute(),
    ...partial.map(async (m) => {
      const from = range.from > `${m}-01` ? range.from : `${m}-01`;
      const to = range.to < lastDayOf(m) ? range.to : lastDayOf(m);
      return (await refillCountsSql(db, from, to).execute(db)).rows;
    }),
  ]);
  return [...stored, ...live.flat()]
    .filter((row) => n(row.refills) > 0)
    .map(toCounts)
    .sort((a, b) => (a.month < b.month ? -1 : 1));
}
