import { sql } from 'kysely';
import type { PlainDate } from '../../domain/calendar-date.ts';
import type { DbOrTrx } from '../database.ts';
import { daysBetweenSql, dialectOf } from './clinical-dialect.ts';

const n = (v: unknown): number => Number(v ?? 0);

/**
 * Pump-days in [from, to]: for each pump, the days from the later of its implant day and `from`
 * up to (not including) the earlier of its end day and the day after `to`. A pump in service the
 * whole range adds every day of it; the day a pump ended is not counted.
 */
export async function pumpDaysInRange(
  db: DbOrTrx,
  range: { readonly from: PlainDate; readonly to: PlainDate },
  dayAfterTo: PlainDate,
): Promise<number> {
  const start = sql`case when p.implanted_on > ${range.from} then p.implanted_on else ${range.from} end`;
  const end = sql`case when p.ended_on is not null and p.ended_on < ${dayAfterTo} then p.ended_on else ${dayAfterTo} end`;
  const days = daysBetweenSql(dialectOf(db), start, end);
  const result = await sql<{ days: unknown }>`
    select sum(${days}) as days
    from pumps p
    where p.implanted_on <= ${range.to} and (p.ended_on is null or p.ended_on > ${range.from})
  `.execute(db);
  return n(result.rows[0]?.days);
}

/** Counts by kind: register kinds (complications.kind) and emergency event kinds. */
export interface ComplicationCounts {
  readonly register: ReadonlyMap<string, number>;
  readonly emergencies: ReadonlyMap<string, number>;
}

/**
 * Complications whose onset is in the range, of a patient who had a pump in service on the day
 * of onset (implanted on or before it, not ended before it: the day a pump was removed counts, as
 * a complication is often why). Register entries by `onset_on`; register entries of kind overdose
 * or withdrawal already linked to an emergency event are left out (the event is counted).
 * Emergency events by `onset_at` in [fromInstant, toInstant) (the range's first and last midnight
 * in the service's time zone, as UTC text), the pump checked against the UTC day of onset.
 */
export async function complicationCounts(
  db: DbOrTrx,
  range: { readonly from: PlainDate; readonly to: PlainDate },
  instants: { readonly from: string; readonly to: string },
  kinds: { readonly register: readonly string[]; readonly emergencies: readonly string[] },
): Promise<ComplicationCounts> {
  const register =
    kinds.register.length === 0
      ? { rows: [] }
      : await sql<{ kind: string; total: unknown }>`
    select c.kind as kind, count(*) as total
    from complications c
    where c.onset_on >= ${range.from} and c.onset_on <= ${range.to}
      and c.kind in (${sql.join([...kinds.register])})
      and not (c.kind in ('overdose', 'withdrawal') and c.emergency_event_id is not null)
      and exists (
        select 1 from pumps p
        where p.patient_id = c.patient_id and p.implanted_on <= c.onset_on
          and (p.ended_on is null or p.ended_on >= c.onset_on)
      )
    group by c.kind
  `.execute(db);
  const emergencies =
    kinds.emergencies.length === 0
      ? { rows: [] }
      : await sql<{ kind: string; total: unknown }>`
    select e.kind as kind, count(*) as total
    from emergency_events e
    where e.onset_at >= ${instants.from} and e.onset_at < ${instants.to}
      and e.kind in (${sql.join([...kinds.emergencies])})
      and exists (
        select 1 from pumps p
        where p.patient_id = e.patient_id and p.implanted_on <= substr(e.onset_at, 1, 10)
          and (p.ended_on is null or p.ended_on >= substr(e.onset_at, 1, 10))
      )
    group by e.kind
  `.execute(db);
  return {
    register: new Map(register.rows.map((r) => [r.kind, n(r.total)])),
    emergencies: new Map(emergencies.rows.map((r) => [r.kind, n(r.total)])),
  };
}
