import { sql, type Kysely } from 'kysely';

/**
 * Test-dose safety: a consultant's override of the bedside gate (a test dose with no selection
 * decision to proceed, or despite an absolute contraindication), used by at most one episode;
 * and each bolus's clinical warnings as they stood when it was recorded (BOLUS_OFF_LADDER).
 * Existing rows stay valid: the new column is nullable, and episodes started before the gate
 * keep their assessment link as it was. Written against Kysely<unknown> so it stays frozen in
 * time. Never edit once released: add a new file.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('test_dose_overrides')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    // 'available' until one episode uses it ('used') or a consultant withdraws it ('withdrawn').
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('episode_id', 'text', (c) => c.references('test_dose_episodes.id'))
    .addColumn('used_at', 'text')
    .addColumn('used_by', 'text', (c) => c.references('users.id'))
    .addColumn('withdrawn_at', 'text')
    .addColumn('withdrawn_by', 'text', (c) => c.references('users.id'))
    .addColumn('withdraw_reason', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('test_dose_overrides_patient_idx')
    .on('test_dose_overrides')
    .columns(['patient_id', 'created_at'])
    .execute();
  // One override waiting to be used per patient, so it is clear which one a test dose uses.
  await db.schema
    .createIndex('test_dose_overrides_available_uq')
    .on('test_dose_overrides')
    .column('patient_id')
    .unique()
    .where(sql.ref('state'), '=', 'available')
    .execute();
  // An override is spent by one episode.
  await db.schema
    .createIndex('test_dose_overrides_episode_uq')
    .on('test_dose_overrides')
    .column('episode_id')
    .unique()
    .execute();

  // JSON array of { code, message, field } (clinical-warning.ts); null for boluses recorded before.
  await db.schema.alterTable('test_dose_boluses').addColumn('warnings', 'text').execute();
}
