import type { Kysely } from 'kysely';

/**
 * The first appointment's outcome as a next step:
 * - `first_appointment_outcomes`: one row per appointment (unique), with the next step
 *   (selection-assessment, discharge, rebook, refer-elsewhere), the clinician's summary that the
 *   clinic letter quotes, the service referred to, the letter's document and who recorded it.
 * Rows are only ever added. Written against Kysely<unknown> so it stays frozen in time. Never
 * edit once released: add a new file.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('first_appointment_outcomes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('appointment_id', 'text', (c) => c.notNull().unique().references('appointments.id'))
    .addColumn('referral_id', 'text', (c) => c.notNull().references('referrals.id'))
    .addColumn('next_step', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('refer_to', 'text')
    .addColumn('letter_id', 'text', (c) => c.notNull().references('documents.id'))
    .addColumn('recorded_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('first_appointment_outcomes_referral_idx')
    .on('first_appointment_outcomes')
    .column('referral_id')
    .execute();
}
