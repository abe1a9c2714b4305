import type { Kysely } from 'kysely';

/**
 * Reading the audit trail at scale (10 million rows and more):
 * - `audit_username_idx` (username, seq): the filter by user, newest first, read in index
 *   order; the trail filters by the username people type, which had no index (only user_id).
 * - `audit_patient_action_idx` (patient_id, action, seq): "who opened this patient's record",
 *   the record views of one patient, without reading the patient's other rows.
 * The filter by patient alone already has `audit_patient_idx` (patient_id, seq). Keyset paging
 * (seq < the last row shown) keeps every page as quick as the first. Written against
 * Kysely<unknown> so it stays frozen in time. Never edit once released: add a new file.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('audit_username_idx').on('audit_events').columns(['username', 'seq']).execute();
  await db.schema
    .createIndex('audit_patient_action_idx')
    .on('audit_events')
    .columns(['patient_id', 'action', 'seq'])
    .execute();
}
