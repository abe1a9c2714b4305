import { sql } from 'kysely';
import type { Db } from '../database.ts';
import { monthCounts, type MonthCountRow } from './figure-sql.ts';
import type { DateRange } from './referral-figures.repository.ts';

/**
 * Procedures per month: first implants and replacements (pumps by their implant date; a pump
 * registered as replacing another is a replacement), pump and catheter revisions (the pump's
 * events), and explants (pumps whose state is explanted now, by the date removed, so an
 * explant later corrected is not counted).
 */
export async function procedureCounts(db: Db, range: DateRange) {
  // The period is applied in each part, so each reads only its period from its index.
  const { rows } = await sql<MonthCountRow>`
    select substr(day, 1, 7) as month, category, count(*) as n from (
      select implanted_on as day,
        case when replaces_pump_id is null then 'implant' else 'replacement' end as category
      from pumps where implanted_on between ${range.from} and ${range.to}
      union all
      select occurred_on as day, kind as category from pump_events
      where kind in ('revision', 'catheter-revision') and occurred_on between ${range.from} and ${range.to}
      union all
      select ended_on as day, 'explant' as category from pumps
      where state = 'explanted' and ended_on between ${range.from} and ${range.to}
    ) as p
    group by substr(day, 1, 7), category`.execute(db);
  return monthCounts(rows);
}
