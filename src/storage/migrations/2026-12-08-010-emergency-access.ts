import type { Kysely } from 'kysely';

/**
 * The emergency summary and break-glass access (emergency-access.ts):
 * - `patients.relevant_conditions`: what a doctor who has never met the patient must know
 *   beyond the allergies (the cause of spasticity, a high spinal cord injury, epilepsy,
 *   communication difficulties). Nullable, so every existing patient stays valid.
 * - `break_glass_grants`: who opened which patient's emergency summary outside the ITB team,
 *   the reason they gave, and when the access began and ends. Never updated or deleted: an
 *   expired grant stays as the record of the access.
 * Written against Kysely<unknown> so it stays frozen in time. Never edit once released: add a
 * new file.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('patients').addColumn('relevant_conditions', 'text').execute();

  await db.schema
    .createTable('break_glass_grants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('granted_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  // The check on every summary view: this user's live grant for this patient.
  await db.schema
    .createIndex('break_glass_grants_user_patient_idx')
    .on('break_glass_grants')
    .columns(['user_id', 'patient_id', 'expires_at'])
    .execute();
  // The ITB team's list and the digest's count: the accesses since a time.
  await db.schema
    .createIndex('break_glass_grants_granted_idx')
    .on('break_glass_grants')
    .column('granted_at')
    .execute();
}
