import { sql } from 'kysely';
import type { PlainDate } from '../../domain/calendar-date.ts';
import type { DbOrTrx } from '../database.ts';

const n = (v: unknown): number => Number(v ?? 0);

/**
 * The pumps in service on each of the given days: implanted on or before the day and not ended
 * by it (`ended_on` empty or after the day: a pump explanted, replaced, or whose patient died or
 * moved on that day no longer counts). Paused pumps count: they are still implanted and looked
 * after.
 */
export async function pumpsInServiceOn(
  db: DbOrTrx,
  days: readonly PlainDate[],
): Promise<Map<PlainDate, number>> {
  if (days.length === 0) {
    return new Map();
  }
  const values = sql.join(days.map((d) => sql`(cast(${d} as text))`));
  const result = await sql<{ day: string; pumps: unknown }>`
    with m(day) as (values ${values})
    select m.day as day, count(p.id) as pumps
    from m left join pumps p
      on p.implanted_on <= m.day and (p.ended_on is null or p.ended_on > m.day)
    group by m.day
  `.execute(db);
  return new Map(result.rows.map((r) => [r.day as PlainDate, n(r.pumps)]));
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
 * The median is the middle dose, or the mean of the two middle doses, found with window
 * functions.
 */
export async function dosesByOrigin(db: DbOrTrx, day: PlainDate): Promise<DoseSummary[]> {
  const result = await sql<Record<string, unknown>>`
    with dose as (
      select p.origin as origin, x.dose_mcg_per_day as dose,
        row_number() over (
          partition by x.pump_id order by x.programmed_on desc, x.decided_at desc, x.id desc
        ) as latest
      from prescriptions x
      join pumps p on p.id = x.pump_id
      where x.state in ('active', 'superseded')
        and x.programmed_on is not null and x.programmed_on <= ${day}
        and p.implanted_on <= ${day} and (p.ended_on is null or p.ended_on > ${day})
    ),
    ranked as (
      select origin, dose,
        row_number() over (partition by origin order by dose) as k,
        count(*) over (partition by origin) as total
      from dose where latest = 1
    )
    select origin, max(total) as pumps, min(dose) as min_dose, max(dose) as max_dose,
      avg(case when k = (total + 1) / 2 or k = (total + 2) / 2 then dose end) as median_dose
    from ranked
    group by origin
    order by origin
  `.execute(db);
  return result.rows.map((r) => ({
    origin: String(r.origin),
    pumps: n(r.pumps),
    medianMcgPerDay: n(r.median_dose),
    minMcgPerDay: n(r.min_dose),
    maxMcgPerDay: n(r.max_dose),
  }));
}
