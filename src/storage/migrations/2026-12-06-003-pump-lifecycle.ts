import { sql, type Kysely } from 'kysely';

/**
 * The end of a pump and its pauses (pump-lifecycle.ts). An explant, death or transfer of care is
 * a request one clinician makes and a different one confirms; a mistaken end is corrected the
 * same way. A pump can be paused (emptied or stopped for an MRI scan or surgery) with a date to
 * resume, and stays on the worklist meanwhile; a replacement pump's registration asks for the
 * old pump's end (kind replacement) in the same way. Existing pumps are not paused (both new columns
 * null) and have no requests, so every existing row stays valid. Written against
 * Kysely<unknown> so it stays frozen in time. Never edit once released: add a new file.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Kept on the pump so the worklist ranks on them with the pump's other dates: set together
  // while a pause is open, both null otherwise. The pause's full record is in pump_pauses.
  await db.schema.alterTable('pumps').addColumn('paused_on', 'text').execute();
  await db.schema.alterTable('pumps').addColumn('resume_by', 'text').execute();
  // A paused pump has no working due date (pumpSchedule), so the worklist's due-date statuses
  // keep their indexes; the few paused pumps are counted and read from an index of their own.
  await db.schema.createIndex('pumps_resume_idx').on('pumps').columns(['state', 'resume_by']).execute();

  // Requests to end a pump (kind explant, death, transfer, or replacement when a new pump is
  // registered in its place) or to correct a mistaken end (kind correction), pending until a second clinician confirms or rejects them. Append-only in
  // spirit: a decided request is never changed again, so the history keeps every one.
  await db.schema
    .createTable('pump_end_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('pump_id', 'text', (c) => c.notNull().references('pumps.id'))
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    // The date the pump ended (explant, death, transfer); null for a correction.
    .addColumn('ended_on', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    // For a correction: the state and end date it reverses, kept for the history.
    .addColumn('previous_state', 'text')
    .addColumn('previous_ended_on', 'text')
    // For a replacement: the new pump registered in its place.
    .addColumn('replacement_pump_id', 'text', (c) => c.references('pumps.id'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('decided_at', 'text')
    .addColumn('decided_by', 'text', (c) => c.references('users.id'))
    .addColumn('decision_note', 'text')
    .execute();
  await db.schema
    .createIndex('pump_end_requests_pump_idx')
    .on('pump_end_requests')
    .columns(['pump_id', 'requested_at'])
    .execute();
  await db.schema
    .createIndex('pump_end_requests_state_idx')
    .on('pump_end_requests')
    .columns(['state', 'pump_id'])
    .execute();
  // One request waiting per pump, whoever makes it at the same moment (PostgreSQL runs READ
  // COMMITTED, so the check before the insert cannot see another transaction's row).
  await db.schema
    .createIndex('pump_end_requests_one_pending_uq')
    .on('pump_end_requests')
    .column('pump_id')
    .unique()
    .where(sql<boolean>`state = 'pending'`)
    .execute();

  await db.schema
    .createTable('pump_pauses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('pump_id', 'text', (c) => c.notNull().references('pumps.id'))
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    // 'mri', 'surgery' or 'other' (PAUSE_REASONS).
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    // 1 when the reservoir was emptied (a Prometra before an MRI scan): the fill before ended
    // there. 0 when the pump was only stopped with its drug inside (a SynchroMed in the scanner):
    // the next refill still follows that fill, with no delivery while paused. The default is 0,
    // the safe reading for a row written without the answer: the software's expected residual
    // is still worked out, so a pump that ran dry is flagged rather than explained away as
    // emptied (a wrong guess costs a review, not a missed withdrawal).
    .addColumn('emptied', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('paused_on', 'text', (c) => c.notNull())
    .addColumn('resume_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull().references('users.id'))
    // Null while the pause is open.
    .addColumn('resumed_on', 'text')
    .addColumn('resume_note', 'text')
    .addColumn('resumed_at', 'text')
    .addColumn('resumed_by', 'text', (c) => c.references('users.id'))
    .execute();
  await db.schema
    .createIndex('pump_pauses_pump_idx')
    .on('pump_pauses')
    .columns(['pump_id', 'paused_on'])
    .execute();
  // One open pause per pump.
  await db.schema
    .createIndex('pump_pauses_one_open_uq')
    .on('pump_pauses')
    .column('pump_id')
    .unique()
    .where(sql<boolean>`resumed_on is null`)
    .execute();
}
