import { sql, type Kysely } from 'kysely';

/**
 * Implanted pumps and their events, prescriptions (pending until a second clinician confirms),
 * refills with their discrepancy review, signature and amendments, and refill, review and
 * replacement appointments. Written against Kysely<unknown> so it stays frozen in time. Never
 * edit once released: add a new file.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('pumps')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    .addColumn('model_id', 'text', (c) => c.notNull())
    .addColumn('reservoir_ml', 'double precision', (c) => c.notNull())
    .addColumn('serial_number', 'text', (c) => c.notNull())
    .addColumn('implanted_on', 'text', (c) => c.notNull())
    .addColumn('surgeon', 'text', (c) => c.notNull())
    .addColumn('alarm_ml', 'double precision', (c) => c.notNull())
    .addColumn('catheter_model', 'text')
    .addColumn('catheter_tip_level', 'text')
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('eri_on', 'text')
    .addColumn('ended_on', 'text')
    .addColumn('replaces_pump_id', 'text')
    // The plan from the latest signed refill, kept on the pump (set in the signing transaction)
    // so the caseload-wide worklist reads one row per pump instead of every refill ever given.
    .addColumn('last_refill_id', 'text')
    .addColumn('alarm_on', 'text')
    .addColumn('refill_due_by', 'text')
    .addColumn('reviews_held', 'integer', (c) => c.notNull().defaultTo(0))
    // Worked out from the columns above (refill-worklist.ts pumpSchedule) in the same update.
    .addColumn('refill_due_on', 'text')
    .addColumn('next_review_on', 'text', (c) => c.notNull())
    .addColumn('replace_by', 'text', (c) => c.notNull())
    // The earliest refill appointment still booked, kept in the same transaction as any booking change.
    .addColumn('refill_booked_on', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('pumps_patient_idx').on('pumps').columns(['patient_id']).execute();
  await db.schema
    .createIndex('pumps_worklist_idx')
    .on('pumps')
    .columns(['state', 'refill_due_on', 'alarm_on', 'id'])
    .execute();
  await db.schema
    .createIndex('pumps_status_idx')
    .on('pumps')
    .columns(['state', 'refill_due_on', 'refill_booked_on'])
    .execute();
  await db.schema.createIndex('pumps_review_idx').on('pumps').columns(['state', 'next_review_on']).execute();
  await db.schema.createIndex('pumps_replace_idx').on('pumps').columns(['state', 'replace_by']).execute();
  await db.schema.createIndex('pumps_eri_idx').on('pumps').columns(['state', 'eri_on']).execute();
  // One pump per serial and model: a second registration is a mistake, not a new pump.
  await db.schema
    .createIndex('pumps_serial_uq')
    .on('pumps')
    .columns(['model_id', 'serial_number'])
    .unique()
    .execute();

  // Revisions, catheter changes, ERI, MRI, explant: append-only.
  await db.schema
    .createTable('pump_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('pump_id', 'text', (c) => c.notNull().references('pumps.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('occurred_on', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull().references('users.id'))
    .execute();
  await db.schema
    .createIndex('pump_events_pump_idx')
    .on('pump_events')
    .columns(['pump_id', 'occurred_on'])
    .execute();

  // A prescription counts only once a second, different clinician has confirmed it (state
  // 'active'); the one it replaces becomes 'superseded'. `previous_id` keeps old and new side by side.
  await db.schema
    .createTable('prescriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('pump_id', 'text', (c) => c.notNull().references('pumps.id'))
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    .addColumn('previous_id', 'text')
    .addColumn('drug', 'text', (c) => c.notNull())
    .addColumn('concentration_mcg_per_ml', 'double precision', (c) => c.notNull())
    .addColumn('programme', 'text', (c) => c.notNull())
    .addColumn('dose_mcg_per_day', 'double precision', (c) => c.notNull())
    .addColumn('planning_dose_mcg_per_day', 'double precision', (c) => c.notNull())
    .addColumn('phase', 'text', (c) => c.notNull())
    .addColumn('compared_dose_mcg_per_day', 'double precision')
    .addColumn('change_percent', 'double precision')
    .addColumn('limit_percent', 'double precision')
    .addColumn('within_limit', 'integer')
    .addColumn('reason', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('refill_id', 'text')
    .addColumn('proposed_at', 'text', (c) => c.notNull())
    .addColumn('proposed_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('decided_at', 'text')
    .addColumn('decided_by', 'text', (c) => c.references('users.id'))
    .addColumn('decision_note', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('prescriptions_pump_idx')
    .on('prescriptions')
    .columns(['pump_id', 'state', 'decided_at'])
    .execute();

  await db.schema.createIndex('prescriptions_state_idx').on('prescriptions').columns(['state']).execute();
  // At most one pending and one active prescription per pump, enforced by the database, so two
  // people acting at once (PostgreSQL runs READ COMMITTED) cannot both succeed.
  await db.schema
    .createIndex('prescriptions_one_pending_uq')
    .on('prescriptions')
    .column('pump_id')
    .unique()
    .where(sql<boolean>`state = 'pending'`)
    .execute();
  await db.schema
    .createIndex('prescriptions_one_active_uq')
    .on('prescriptions')
    .column('pump_id')
    .unique()
    .where(sql<boolean>`state = 'active'`)
    .execute();

  await db.schema
    .createTable('refills')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('pump_id', 'text', (c) => c.notNull().references('pumps.id'))
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    .addColumn('performed_on', 'text', (c) => c.notNull())
    .addColumn('expected_residual_ml', 'double precision', (c) => c.notNull())
    .addColumn('withdrawn_ml', 'double precision', (c) => c.notNull())
    .addColumn('discrepancy_ml', 'double precision', (c) => c.notNull())
    .addColumn('discrepancy_percent', 'double precision')
    .addColumn('threshold_ml', 'double precision', (c) => c.notNull())
    .addColumn('flagged', 'integer', (c) => c.notNull())
    .addColumn('review_note', 'text')
    .addColumn('reviewed_at', 'text')
    .addColumn('reviewed_by', 'text', (c) => c.references('users.id'))
    .addColumn('drug', 'text', (c) => c.notNull())
    .addColumn('concentration_mcg_per_ml', 'double precision', (c) => c.notNull())
    .addColumn('batch', 'text', (c) => c.notNull())
    .addColumn('expires_on', 'text', (c) => c.notNull())
    .addColumn('instilled_ml', 'double precision', (c) => c.notNull())
    .addColumn('prescription_id', 'text', (c) => c.notNull().references('prescriptions.id'))
    .addColumn('alarm_ml', 'double precision', (c) => c.notNull())
    .addColumn('daily_volume_ml', 'double precision', (c) => c.notNull())
    .addColumn('alarm_on', 'text', (c) => c.notNull())
    .addColumn('due_by', 'text', (c) => c.notNull())
    .addColumn('limited_by', 'text', (c) => c.notNull())
    .addColumn('complications', 'text', (c) => c.notNull())
    .addColumn('complication_note', 'text')
    .addColumn('patient_note', 'text')
    .addColumn('patient_summary', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('performed_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('signed_at', 'text')
    .addColumn('checked_by', 'text', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('refills_pump_idx')
    .on('refills')
    .columns(['pump_id', 'state', 'performed_on'])
    .execute();
  await db.schema.createIndex('refills_state_idx').on('refills').columns(['state']).execute();
  // One refill awaiting its check per pump, whoever records it at the same moment.
  await db.schema
    .createIndex('refills_one_unsigned_uq')
    .on('refills')
    .column('pump_id')
    .unique()
    .where(sql<boolean>`state = 'recorded'`)
    .execute();

  // Signed refills are never edited: a correction is an amendment with a reason, old and new values.
  await db.schema
    .createTable('refill_amendments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('refill_id', 'text', (c) => c.notNull().references('refills.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('changes', 'text', (c) => c.notNull())
    .addColumn('amended_at', 'text', (c) => c.notNull())
    .addColumn('amended_by', 'text', (c) => c.notNull().references('users.id'))
    .execute();
  await db.schema
    .createIndex('refill_amendments_refill_idx')
    .on('refill_amendments')
    .columns(['refill_id', 'amended_at'])
    .execute();

  await db.schema
    .createTable('pump_appointments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('pump_id', 'text', (c) => c.notNull().references('pumps.id'))
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('on_date', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('pump_appointments_pump_idx')
    .on('pump_appointments')
    .columns(['pump_id', 'kind', 'state', 'on_date'])
    .execute();
  await db.schema
    .createIndex('pump_appointments_open_idx')
    .on('pump_appointments')
    .columns(['state', 'kind', 'on_date'])
    .execute();
}
