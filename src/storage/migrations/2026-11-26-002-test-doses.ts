import { sql, type Kysely } from 'kysely';

/**
 * Test-dose (screening) episodes: the pre-checks, each bolus with its confirmed result, and the
 * observations after it (clinical-reference.md section 3). Written against Kysely<unknown> so it
 * stays frozen in time. Never edit once released: add a new file.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('test_dose_episodes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    .addColumn('assessment_id', 'text', (c) => c.references('selection_assessments.id'))
    .addColumn('state', 'text', (c) => c.notNull())
    // Pre-checks [KRACH]: 1 yes, 0 no, null not yet answered.
    .addColumn('no_infection', 'integer')
    .addColumn('infection_note', 'text')
    .addColumn('anticoagulants_reviewed', 'integer')
    .addColumn('anticoagulant_note', 'text')
    .addColumn('recent_botulinum_toxin', 'integer')
    .addColumn('botulinum_toxin_on', 'text')
    .addColumn('botulinum_toxin_note', 'text')
    .addColumn('oral_antispasmodic_plan', 'text')
    .addColumn('goals', 'text', (c) => c.notNull())
    .addColumn('outcome_bolus_id', 'text')
    .addColumn('abandon_reason', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('closed_on', 'text')
    .addColumn('closed_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('test_dose_episodes_patient_idx')
    .on('test_dose_episodes')
    .columns(['patient_id', 'created_at'])
    .execute();
  // One open episode per patient: the 24-hour rule and the ladder read one sequence of boluses.
  await db.schema
    .createIndex('test_dose_episodes_open_uq')
    .on('test_dose_episodes')
    .column('patient_id')
    .unique()
    .where(sql.ref('state'), '=', 'open')
    .execute();

  // A bolus's result is written once, by the clinician confirming it; nothing else changes.
  await db.schema
    .createTable('test_dose_boluses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('episode_id', 'text', (c) => c.notNull().references('test_dose_episodes.id'))
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    .addColumn('sequence', 'integer', (c) => c.notNull())
    .addColumn('dose_mcg', 'double precision', (c) => c.notNull())
    .addColumn('concentration_mcg_per_ml', 'double precision', (c) => c.notNull())
    .addColumn('concentration_reason', 'text')
    .addColumn('volume_ml', 'double precision', (c) => c.notNull())
    .addColumn('ladder_dose_mcg', 'double precision')
    .addColumn('off_ladder_reason', 'text')
    .addColumn('route', 'text', (c) => c.notNull())
    .addColumn('given_at', 'text', (c) => c.notNull())
    .addColumn('given_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('checked_by', 'text')
    .addColumn('note', 'text')
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('result', 'text')
    .addColumn('suggestion', 'text')
    .addColumn('result_reason', 'text')
    .addColumn('effect_hours', 'double precision')
    .addColumn('adverse_reactions', 'integer')
    .addColumn('adverse_note', 'text')
    .addColumn('result_note', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('decided_on', 'text')
    .addColumn('decided_by', 'text', (c) => c.references('users.id'))
    .addUniqueConstraint('test_dose_boluses_sequence_uq', ['episode_id', 'sequence'])
    .execute();
  await db.schema
    .createIndex('test_dose_boluses_patient_idx')
    .on('test_dose_boluses')
    .columns(['patient_id', 'given_at'])
    .execute();

  await db.schema
    .createTable('test_dose_observations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('bolus_id', 'text', (c) => c.notNull().references('test_dose_boluses.id'))
    .addColumn('hour', 'double precision', (c) => c.notNull())
    .addColumn('mas', 'text', (c) => c.notNull())
    .addColumn('penn_frequency', 'integer')
    .addColumn('heart_rate_bpm', 'integer')
    .addColumn('systolic_mmhg', 'integer')
    .addColumn('diastolic_mmhg', 'integer')
    .addColumn('respiratory_rate_per_min', 'integer')
    .addColumn('spo2_percent', 'integer')
    .addColumn('side_effects', 'text', (c) => c.notNull())
    .addColumn('side_effect_note', 'text')
    .addColumn('note', 'text')
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull().references('users.id'))
    .addUniqueConstraint('test_dose_observations_hour_uq', ['bolus_id', 'hour'])
    .execute();
}
