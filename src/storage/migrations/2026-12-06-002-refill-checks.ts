import { sql, type Kysely } from 'kysely';
import type { SqlDialectName } from '../dialect-name.ts';

/**
 * Refill checks: the day each prescription was programmed into the pump; a refill's findings
 * (flags, the day it ran dry, the software's own expected residual), the withdrawal-signs
 * answer of its review, and its voiding by the checker; volume corrections that wait for a
 * second clinician. Every new column is nullable or has a default, so existing rows stay valid.
 * Written against Kysely<unknown> so it stays frozen in time. Never edit once released.
 */
export async function up(db: Kysely<unknown>, dialect: SqlDialectName): Promise<void> {
  // null until a change made outside a refill is confirmed with the date it was programmed.
  await db.schema.alterTable('prescriptions').addColumn('programmed_on', 'text').execute();
  await backfillProgrammedOn(db, dialect);

  const refillColumns: [string, 'text' | 'double precision' | 'integer'][] = [
    ['ran_dry_on', 'text'],
    ['software_expected_ml', 'double precision'],
    ['software_expected_with_boluses_ml', 'double precision'],
    ['withdrawal_signs_checked', 'integer'],
    ['withdrawal_signs_found', 'text'],
    ['voided_at', 'text'],
    ['voided_by', 'text'],
    ['void_reason', 'text'],
  ];
  // JSON array of { code, message }: the flags found when the refill was recorded.
  await db.schema
    .alterTable('refills')
    .addColumn('flags', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  for (const [name, type] of refillColumns) {
    await db.schema
      .alterTable('refills')
      .addColumn(name, type, (c) => (name === 'voided_by' ? c.references('users.id') : c))
      .execute();
  }
  // The daily digest counts refills recorded since its last run that ran dry or came after the alarm.
  await db.schema.createIndex('refills_recorded_idx').on('refills').columns(['recorded_at']).execute();

  // 'applied' (batch, expiry, notes: at once), or a volume correction: 'pending' until a second
  // clinician 'confirmed' or 'rejected' it. Existing amendments were all applied at once.
  await db.schema
    .alterTable('refill_amendments')
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('applied'))
    .execute();
  await db.schema.alterTable('refill_amendments').addColumn('decided_at', 'text').execute();
  await db.schema
    .alterTable('refill_amendments')
    .addColumn('decided_by', 'text', (c) => c.references('users.id'))
    .execute();
  await db.schema.alterTable('refill_amendments').addColumn('decision_note', 'text').execute();
  // One volume correction waiting per refill, whoever sends one at the same moment.
  await db.schema
    .createIndex('refill_amendments_one_pending_uq')
    .on('refill_amendments')
    .column('refill_id')
    .unique()
    .where(sql<boolean>`state = 'pending'`)
    .execute();
}

/**
 * Existing prescriptions were counted from the day they were confirmed: that day in Europe/London
 * (or the day proposed, when undecided) becomes the day programmed; a change made at a refill
 * was programmed on the refill's date. PostgreSQL converts with its time-zone data; SQLite has
 * none, so British Summer Time (01:00 UTC on the last Sunday of March to 01:00 UTC on the last
 * Sunday of October) is worked out in SQL. Exported so a test can run it on both databases.
 */
export async function backfillProgrammedOn(db: Kysely<unknown>, dialect: SqlDialectName): Promise<void> {
  if (dialect === 'postgres') {
    await sql`
      update prescriptions
      set programmed_on = to_char(
        (coalesce(decided_at, proposed_at))::timestamptz at time zone 'Europe/London', 'YYYY-MM-DD')
      where programmed_on is null`.execute(db);
  } else {
    await sql`
      update prescriptions
      set programmed_on = date(
        coalesce(decided_at, proposed_at),
        case
          when coalesce(decided_at, proposed_at) >=
                 date(substr(coalesce(decided_at, proposed_at), 1, 4) || '-03-31', '-6 days', 'weekday 0') || 'T01:00:00'
           and coalesce(decided_at, proposed_at) <
                 date(substr(coalesce(decided_at, proposed_at), 1, 4) || '-10-31', '-6 days', 'weekday 0') || 'T01:00:00'
          then '+1 hours'
          else '+0 hours'
        end)
      where programmed_on is null`.execute(db);
  }
  await sql`
    update prescriptions
    set programmed_on = (select r.performed_on from refills r where r.id = prescriptions.refill_id)
    where refill_id is not null
      and exists (select 1 from refills r where r.id = prescriptions.refill_id)`.execute(db);
}
