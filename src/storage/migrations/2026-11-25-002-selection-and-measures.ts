import type { Kysely } from 'kysely';

/**
 * Patient selection (versioned protocols, assessments, decisions including MDT outcomes) and
 * outcome measures. Written against Kysely<unknown> so it stays frozen in time. Never edit once
 * released: add a new file.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // A protocol version is immutable once stored: an assessment points at the row it was made
  // with, so its questions and rules never change under it (hazard H-015).
  await db.schema
    .createTable('selection_protocols')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('population', 'text', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('definition_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addUniqueConstraint('selection_protocols_code_version_uq', ['code', 'version'])
    .execute();

  await db.schema
    .createTable('selection_assessments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    .addColumn('referral_id', 'text', (c) => c.references('referrals.id'))
    .addColumn('protocol_id', 'text', (c) => c.notNull().references('selection_protocols.id'))
    .addColumn('answers', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('selection_assessments_patient_idx')
    .on('selection_assessments')
    .columns(['patient_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('selection_assessments_state_idx')
    .on('selection_assessments')
    .columns(['state', 'updated_at'])
    .execute();

  // The clinician's decision and any MDT outcome, each with the suggestion it was made against.
  await db.schema
    .createTable('selection_decisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('assessment_id', 'text', (c) => c.notNull().references('selection_assessments.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('suggestion', 'text', (c) => c.notNull())
    .addColumn('agrees', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('note', 'text')
    .addColumn('meeting_on', 'text')
    .addColumn('attendees', 'text')
    .addColumn('decided_at', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text', (c) => c.notNull().references('users.id'))
    .execute();
  await db.schema
    .createIndex('selection_decisions_assessment_idx')
    .on('selection_decisions')
    .columns(['assessment_id', 'decided_at'])
    .execute();

  // One row per occasion a patient's measures are taken (assessment, test dose, review).
  await db.schema
    .createTable('outcome_measure_sets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    .addColumn('recorded_on', 'text', (c) => c.notNull())
    .addColumn('occasion', 'text', (c) => c.notNull())
    .addColumn('assessment_id', 'text', (c) => c.references('selection_assessments.id'))
    .addColumn('mas', 'text', (c) => c.notNull())
    .addColumn('penn_frequency', 'integer')
    .addColumn('penn_severity', 'integer')
    .addColumn('gas_goals', 'text', (c) => c.notNull())
    .addColumn('gmfcs_level', 'text')
    .addColumn('pain_nrs', 'integer')
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .execute();
  await db.schema
    .createIndex('outcome_measure_sets_patient_idx')
    .on('outcome_measure_sets')
    .columns(['patient_id', 'recorded_on'])
    .execute();
}
