import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * Derived facts the service figures read instead of working them out from the whole history on
 * every request (bench/figures.bench.ts), kept by the repositories that write their sources, in
 * the writer's own transaction (src/storage/figures/figure-facts.repository.ts):
 * - referrals.first_triaged_on: the date of the referral's first triage decision;
 * - referrals.first_seen_on: the date of its first attended appointment;
 * - referrals.first_booked_on: the date of its earliest appointment still booked;
 * - refills.prev_performed_on / prev_due_by: the previous refill of the same pump (the latest
 *   earlier one not voided, by performed_on then recorded_at): its date and the due date it set;
 * - refill_figure_days: the refill figures' counts for the refills performed on each day.
 * Each is backfilled here from the rows already written. Then the indexes the figures read their
 * period from, each holding every column its query needs. Written against Kysely<unknown> with
 * its own SQL so it stays frozen in time. Never edit once released: add a new file.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema.alterTable('referrals').addColumn('first_triaged_on', 'text').execute();
  await db.schema.alterTable('referrals').addColumn('first_seen_on', 'text').execute();
  await db.schema.alterTable('referrals').addColumn('first_booked_on', 'text').execute();
  await db.schema.alterTable('refills').addColumn('prev_performed_on', 'text').execute();
  await db.schema.alterTable('refills').addColumn('prev_due_by', 'text').execute();
  await db.schema
    .createTable('refill_figure_days')
    .addColumn('day', 'text', (c) => c.primaryKey())
    .addColumn('refills', 'integer', (c) => c.notNull())
    .addColumn('with_due', 'integer', (c) => c.notNull())
    .addColumn('on_time', 'integer', (c) => c.notNull())
    .addColumn('after_alarm', 'integer', (c) => c.notNull())
    .addColumn('discrepancy', 'integer', (c) => c.notNull())
    .addColumn('signed_in_day', 'integer', (c) => c.notNull())
    .execute();

  await sql`update referrals set
    first_triaged_on = (select min(t.decided_on) from triage_decisions t where t.referral_id = referrals.id),
    first_seen_on = (select min(a.appointment_date) from appointments a
                     where a.referral_id = referrals.id and a.state = 'attended'),
    first_booked_on = (select min(a.appointment_date) from appointments a
                       where a.referral_id = referrals.id and a.state = 'booked')`.execute(db);
  const previous = (column: string) => sql`(
    select ${sql.ref(`x.${column}`)} from refills x
    where x.pump_id = refills.pump_id and x.state <> 'voided'
      and (x.performed_on, x.recorded_at) < (refills.performed_on, refills.recorded_at)
    order by x.performed_on desc, x.recorded_at desc
    limit 1)`;
  await sql`update refills set prev_performed_on = ${previous('performed_on')},
    prev_due_by = ${previous('due_by')}`.execute(db);
  const signedInDay = postgres
    ? sql`cast(r.signed_at as timestamptz) <= cast(r.recorded_at as timestamptz) + interval '1 day'`
    : sql`(julianday(r.signed_at) - julianday(r.recorded_at)) * 86400000.0 <= 86400000.5`;
  await sql`insert into refill_figure_days
      (day, refills, with_due, on_time, after_alarm, discrepancy, signed_in_day)
    select r.performed_on, count(*), sum(r.has_due),
      sum(case when r.has_due = 1 and r.performed_on <= r.prev_due_by then 1 else 0 end),
      sum(case when r.flags like '%"AFTER_ALARM"%' then 1 else 0 end),
      sum(case when r.flags like '%"RESIDUAL_DISCREPANCY"%' then 1 else 0 end),
      sum(case when r.state = 'signed' and r.signed_at is not null and ${signedInDay} then 1 else 0 end)
    from (select x.*, case when x.prev_due_by is not null and not exists (
            select 1 from pump_pauses pp where pp.pump_id = x.pump_id
              and pp.paused_on >= x.prev_performed_on and pp.paused_on <= x.performed_on)
          then 1 else 0 end as has_due
          from refills x where x.state <> 'voided') r
    group by r.performed_on`.execute(db);

  // Each figure reads only its period, from an index holding every column it needs.
  const index = (name: string, table: string, columns: string[]) =>
    db.schema.createIndex(name).on(table).columns(columns).execute();
  await index('referrals_received_idx', 'referrals', ['received_on', 'source']);
  await index('referrals_first_triaged_idx', 'referrals', ['first_triaged_on', 'received_on', 'state']);
  await index('referrals_first_seen_idx', 'referrals', [
    'first_seen_on',
    'state',
    'priority',
    'received_on',
    'accepted_on',
  ]);
  await index('referrals_waiting_idx', 'referrals', [
    'state',
    'accepted_on',
    'first_seen_on',
    'received_on',
    'priority',
    'first_booked_on',
  ]);
  // Pumps by implant and by end, holding what the caseload, procedure, dose and complication
  // figures read (they replace the two narrower indexes of 2026-12-09-020).
  await db.schema.dropIndex('pumps_implanted_idx').execute();
  await db.schema.dropIndex('pumps_ended_idx').execute();
  await index('pumps_implanted_idx', 'pumps', [
    'implanted_on',
    'ended_on',
    'replaces_pump_id',
    'origin',
    'id',
  ]);
  await index('pumps_ended_idx', 'pumps', ['ended_on', 'implanted_on', 'state']);
  await index('pumps_patient_dates_idx', 'pumps', ['patient_id', 'implanted_on', 'ended_on']);
  // A day's refills, counted afresh when one of them is written.
  await index('refills_performed_idx', 'refills', ['performed_on', 'state']);
  await index('prescriptions_dose_idx', 'prescriptions', [
    'pump_id',
    'programmed_on',
    'decided_at',
    'id',
    'state',
    'dose_mcg_per_day',
  ]);
}
