import { sql, type RawBuilder } from 'kysely';
import type { PlainDate } from '../../domain/calendar-date.ts';
import type { DbOrTrx } from '../database.ts';
import { dialectOf, withinADaySql } from './clinical-dialect.ts';

/**
 * The derived facts the service figures read (migration 2026-12-10-010-figure-facts), kept in the
 * transaction of whoever writes their sources so a figure never reads the whole history:
 * - referrals.first_triaged_on / first_seen_on / first_booked_on, by the triage and appointment
 *   writers;
 * - refills.prev_performed_on / prev_due_by and refill_figure_days, by the refill writers
 *   (record, sign, void, correct), the pause writer and the caseload import.
 * A writer that bypasses the repositories (a bulk load) calls refreshAllFigureFacts after.
 */

/** One day's refill counts as the database returns them (numbers or numeric text). */
export interface RefillCountsRow {
  day: string;
  refills: unknown;
  with_due: unknown;
  on_time: unknown;
  after_alarm: unknown;
  discrepancy: unknown;
  signed_in_day: unknown;
}

/**
 * The refill figures' counts by day for the refills performed in [from, to], voided ones left
 * out, from the stored previous refill: a refill has a due date when it has a previous refill
 * and its pump was not paused (stopped or emptied) between the two; it is on time when performed
 * on or before that due date. AFTER_ALARM and RESIDUAL_DISCREPANCY are the flags stored with it.
 * The columns are in refill_figure_days' order. `only`: just these days of the period.
 */
export function refillCountsSql(
  db: DbOrTrx,
  from: string,
  to: string,
  only?: readonly string[],
): RawBuilder<RefillCountsRow> {
  const onlyDays = only === undefined ? sql`` : sql`and x.performed_on in (${sql.join(only)})`;
  const signedInDay = withinADaySql(dialectOf(db), sql.ref('r.recorded_at'), sql.ref('r.signed_at'));
  return sql<RefillCountsRow>`
    select r.performed_on as day, count(*) as refills, sum(r.has_due) as with_due,
      sum(case when r.has_due = 1 and r.performed_on <= r.prev_due_by then 1 else 0 end) as on_time,
      sum(case when r.flags like '%"AFTER_ALARM"%' then 1 else 0 end) as after_alarm,
      sum(case when r.flags like '%"RESIDUAL_DISCREPANCY"%' then 1 else 0 end) as discrepancy,
      sum(case when r.state = 'signed' and r.signed_at is not null and ${signedInDay} then 1 else 0 end) as signed_in_day
    from (
      select x.performed_on, x.flags, x.state, x.recorded_at, x.signed_at, x.prev_due_by,
        case when x.prev_due_by is not null and not exists (
          select 1 from pump_pauses pp
          where pp.pump_id = x.pump_id and pp.paused_on >= x.prev_performed_on and pp.paused_on <= x.performed_on
        ) then 1 else 0 end as has_due
      from refills x
      where x.state <> 'voided' and x.performed_on >= ${from} and x.performed_on <= ${to} ${onlyDays}
    ) r
    group by r.performed_on`;
}

/**
 * Counts the given days afresh into refill_figure_days, in a few statements however many days
 * (a caseload import writes many). On PostgreSQL the days' rows are locked first, so a writer
 * counting the same day waits for this transaction and then counts with its refills committed
 * (each statement reads what is committed when it starts).
 */
export async function recountRefillDays(db: DbOrTrx, days: Iterable<string>): Promise<void> {
  const all = [...new Set(days)].sort();
  const zero = { refills: 0, with_due: 0, on_time: 0, after_alarm: 0, discrepancy: 0, signed_in_day: 0 };
  for (let i = 0; i < all.length; i += 500) {
    const list = all.slice(i, i + 500);
    await db
      .insertInto('refill_figure_days')
      .values(list.map((day) => ({ day, ...zero })))
      .onConflict((oc) => oc.column('day').doNothing())
      .execute();
    if (dialectOf(db) === 'postgres') {
      await sql`select day from refill_figure_days where day in (${sql.join(list)})
        order by day for update`.execute(db);
    }
    // A day whose refills were all voided has no row in the count: zero first.
    await db.updateTable('refill_figure_days').set(zero).where('day', 'in', list).execute();
    const counts = refillCountsSql(db, list[0] as string, list[list.length - 1] as string, list);
    // `where true`: SQLite needs it to read ON CONFLICT after a SELECT as the upsert's.
    await sql`insert into refill_figure_days
        (day, refills, with_due, on_time, after_alarm, discrepancy, signed_in_day)
      select * from (${counts}) c where true
      on conflict (day) do update set refills = excluded.refills, with_due = excluded.with_due,
        on_time = excluded.on_time, after_alarm = excluded.after_alarm,
        discrepancy = excluded.discrepancy, signed_in_day = excluded.signed_in_day`.execute(db);
  }
}

const before = (
  a: { performed_on: string; recorded_at: string },
  b: { performed_on: string; recorded_at: string },
): boolean =>
  a.performed_on < b.performed_on || (a.performed_on === b.performed_on && a.recorded_at < b.recorded_at);

/**
 * After a refill of the pump was recorded, signed, voided or corrected: sets each of the pump's
 * refills' previous refill afresh (the latest earlier one not voided) and recounts the days of
 * the refills whose previous refill changed, and `alsoDays` (the written refill's day).
 */
export async function refreshPumpRefillFacts(
  db: DbOrTrx,
  pumpId: string,
  alsoDays: readonly string[],
): Promise<void> {
  const rows = await db
    .selectFrom('refills')
    .select(['id', 'performed_on', 'recorded_at', 'state', 'due_by', 'prev_performed_on', 'prev_due_by'])
    .where('pump_id', '=', pumpId)
    .execute();
  rows.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  const days = new Set(alsoDays);
  for (const [i, r] of rows.entries()) {
    let prev: (typeof rows)[number] | undefined;
    for (let j = i - 1; j >= 0 && prev === undefined; j -= 1) {
      const x = rows[j];
      if (x !== undefined && x.state !== 'voided' && before(x, r)) {
        prev = x;
      }
    }
    const prevOn = prev?.performed_on ?? null;
    const prevDue = prev?.due_by ?? null;
    if ((r.prev_performed_on ?? null) !== prevOn || (r.prev_due_by ?? null) !== prevDue) {
      await db
        .updateTable('refills')
        .set({ prev_performed_on: prevOn, prev_due_by: prevDue })
        .where('id', '=', r.id)
        .execute();
      days.add(r.performed_on);
    }
  }
  await recountRefillDays(db, days);
}

/**
 * After a pause of the pump was recorded on `pausedOn`: the refills whose interval since their
 * previous refill holds that day lose their due date, so their days are counted afresh.
 */
export async function refreshRefillFactsAfterPause(
  db: DbOrTrx,
  pumpId: string,
  pausedOn: PlainDate,
): Promise<void> {
  const rows = await db
    .selectFrom('refills')
    .select('performed_on')
    .where('pump_id', '=', pumpId)
    .where('performed_on', '>=', pausedOn)
    .where('prev_performed_on', '<=', pausedOn)
    .execute();
  await recountRefillDays(
    db,
    rows.map((r) => r.performed_on),
  );
}

/** After refills of new pumps were written in bulk (each a pump's first, so none has a previous). */
export async function countNewPumpsRefills(
  db: DbOrTrx,
  refills: readonly { readonly performed_on: string }[],
): Promise<void> {
  await recountRefillDays(
    db,
    refills.map((r) => r.performed_on),
  );
}

const firstTriaged = sql`(select min(t.decided_on) from triage_decisions t where t.referral_id = referrals.id)`;
const firstSeen = sql`(select min(a.appointment_date) from appointments a
  where a.referral_id = referrals.id and a.state = 'attended')`;
const firstBooked = sql`(select min(a.appointment_date) from appointments a
  where a.referral_id = referrals.id and a.state = 'booked')`;

/** After a triage decision on the referral was written: the date of its first decision afresh. */
export async function refreshReferralTriageFacts(db: DbOrTrx, referralId: string): Promise<void> {
  await sql`update referrals set first_triaged_on = ${firstTriaged} where id = ${referralId}`.execute(db);
}

/**
 * After an appointment was written or ended: its referral's first attended appointment and
 * earliest appointment still booked, afresh.
 */
export async function refreshReferralAppointmentFacts(
  db: DbOrTrx,
  ref: { readonly referralId: string } | { readonly appointmentId: string },
): Promise<void> {
  const id =
    'referralId' in ref
      ? sql`${ref.referralId}`
      : sql`(select a.referral_id from appointments a where a.id = ${ref.appointmentId})`;
  await sql`update referrals set first_seen_on = ${firstSeen}, first_booked_on = ${firstBooked}
    where id = ${id}`.execute(db);
}

/**
 * Every derived fact worked out afresh from the rows: for bulk loads that write the tables
 * directly (test worlds, benchmark seeders, a restore). Run it in the loading transaction or
 * when nobody else writes.
 */
export async function refreshAllFigureFacts(db: DbOrTrx): Promise<void> {
  await sql`update referrals set first_triaged_on = ${firstTriaged}, first_seen_on = ${firstSeen},
    first_booked_on = ${firstBooked}`.execute(db);
  const previous = (column: 'performed_on' | 'due_by') => sql`(
    select ${sql.ref(`x.${column}`)} from refills x
    where x.pump_id = refills.pump_id and x.state <> 'voided'
      and (x.performed_on, x.recorded_at) < (refills.performed_on, refills.recorded_at)
    order by x.performed_on desc, x.recorded_at desc
    limit 1)`;
  await sql`update refills set prev_performed_on = ${previous('performed_on')},
    prev_due_by = ${previous('due_by')}`.execute(db);
  await db.deleteFrom('refill_figure_days').execute();
  await sql`insert into refill_figure_days
      (day, refills, with_due, on_time, after_alarm, discrepancy, signed_in_day)
    ${refillCountsSql(db, '0000-01-01', '9999-12-31')}`.execute(db);
}
