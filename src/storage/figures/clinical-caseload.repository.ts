import { sql } from 'kysely';
import type { PlainDate } from '../../domain/calendar-date.ts';
import { spreadOfCounts, type ValueCount } from '../../domain/figures/figure-stats.ts';
import type { DbOrTrx } from '../database.ts';
import { dialectOf } from './clinical-dialect.ts';

const n = (v: unknown): number => Number(v ?? 0);

/**
 * The pumps in service at the end of each month up to `to` (the last month counted on `to`):
 * implanted on or before the day and not ended by it (`ended_on` empty or after the day: a pump
 * explanted, replaced, or whose patient died or moved on that day no longer counts). Paused pumps
 * count: they are still implanted and looked after. Counted as implants less ends up to each
 * month, from two GROUP BY counts by month (one pass over pumps each, by index), rather than
 * comparing every pump with every month. A pump recorded as ending on or before its implant day
 * was never in service and is in neither count.
 */
export async function pumpsInServiceByMonth(
  db: DbOrTrx,
  months: readonly string[],
  to: PlainDate,
): Promise<Map<string, number>> {
  const [implants, ends] = await Promise.all([
    sql<{ month: string; total: unknown }>`
      select substr(p.implanted_on, 1, 7) as month, count(*) as total
      from pumps p
      where p.implanted_on <= ${to} and (p.ended_on is null or p.ended_on > p.implanted_on)
      group by substr(p.implanted_on, 1, 7)
    `.execute(db),
    sql<{ month: string; total: unknown }>`
      select substr(p.ended_on, 1, 7) as month, count(*) as total
      from pumps p
      where p.ended_on <= ${to} and p.ended_on > p.implanted_on
      group by substr(p.ended_on, 1, 7)
    `.execute(db),
  ]);
  const upTo = (rows: readonly { month: string; total: unknown }[], month: string): number =>
    rows.reduce((total, r) => (r.month <= month ? total + n(r.total) : total), 0);
  return new Map(months.map((m) => [m, upTo(implants.rows, m) - upTo(ends.rows, m)]));
}

export interface DoseSummary {
  /** pumps.origin: 'spinal' or 'cerebral'. */
  readonly origin: string;
  readonly pumps: number;
  readonly medianMcgPerDay: number;
  readonly minMcgPerDay: number;
  readonly maxMcgPerDay: number;
}

/**
 * The daily dose of each pump in service on `day`, summarised by the pump's origin of spasticity
 * (`pumps.origin`). A pump's dose is the continuous daily dose (`dose_mcg_per_day`, boluses not
 * included) of its latest confirmed prescription (state active or superseded) programmed on or
 * before the day (`programmed_on`, then the time it was confirmed); a pump with none is left out.
 * The median is the middle dose, or the mean of the two middle doses, read from the count of
 * each dose by origin (spreadOfCounts). Each pump's latest prescription is read from
 * `prescriptions_dose_idx` rather than ranking every prescription of every pump.
 */
export async function dosesByOrigin(db: DbOrTrx, day: PlainDate): Promise<DoseSummary[]> {
  const inService = sql`p.implanted_on <= ${day} and (p.ended_on is null or p.ended_on > ${day})`;
  const confirmed = sql`x.state in ('active', 'superseded')
    and x.programmed_on is not null and x.programmed_on <= ${day}`;
  // Each pump's latest prescription: on SQLite one seek per pump; PostgreSQL runs a subquery per
  // row slowly, so it reads the index once backwards keeping each pump's first (DISTINCT ON).
  const dose =
    dialectOf(db) === 'postgres'
      ? sql`
      select p.origin as origin, l.dose as dose
      from (
        select distinct on (x.pump_id) x.pump_id, x.dose_mcg_per_day as dose from prescriptions x
        where ${confirmed}
        order by x.pump_id desc, x.programmed_on desc, x.decided_at desc, x.id desc
      ) l
      join pumps p on p.id = l.pump_id
      where ${inService}`
      : sql`
      select p.origin as origin, (
          select x.dose_mcg_per_day from prescriptions x
          where x.pump_id = p.id and ${confirmed}
          order by x.programmed_on desc, x.decided_at desc, x.id desc
          limit 1
        ) as dose
      from pumps p
      where ${inService}`;
  const result = await sql<Record<string, unknown>>`
    with dose as (${dose})
    select origin, dose, count(*) as pumps from dose where dose is not null group by origin, dose
  `.execute(db);
  const byOrigin = new Map<string, ValueCount[]>();
  for (const r of result.rows) {
    const counts = byOrigin.get(String(r.origin)) ?? [];
    counts.push({ value: n(r.dose), n: n(r.pumps) });
    byOrigin.set(String(r.origin), counts);
  }
  return [...byOrigin]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([origin, counts]) => {
      const doses = counts.map((c) => c.value);
      const spread = spreadOfCounts(counts);
      return {
        origin,
        pumps: spread.n,
        medianMcgPerDay: spread.median ?? 0,
        minMcgPerDay: Math.min(...doses),
        maxMcgPerDay: Math.max(...doses),
      };
    });
}
