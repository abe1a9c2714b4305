import { sql, type Kysely } from 'kysely';

/**
 * The MRI workflow (mri-plan.ts, mri-input.ts): one row per planned scan of a pump, carried
 * from the plan (the checklist confirmed before the scan) through the scan to the post-scan
 * check, or cancelled. Written against Kysely<unknown> so it stays frozen in time. Never edit
 * once released: add a new file.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('mri_scans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('pump_id', 'text', (c) => c.notNull().references('pumps.id'))
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    // MRI_PLAN_KINDS, fixed at planning from the pump's model so the plan shown later is the
    // one confirmed, even if the model's rules change.
    .addColumn('plan_kind', 'text', (c) => c.notNull())
    // 'planned', 'scanned', 'checked' or 'cancelled' (MRI_STATES).
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('planned_on', 'text', (c) => c.notNull())
    .addColumn('scanner', 'text')
    // Tesla as text ("1.5"), so both databases keep the number as typed.
    .addColumn('field_strength_tesla', 'text')
    // The checklist's step ids, as a JSON array.
    .addColumn('confirmed_steps', 'text', (c) => c.notNull())
    .addColumn('plan_note', 'text')
    .addColumn('planned_at', 'text', (c) => c.notNull())
    .addColumn('planned_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('scanned_at', 'text')
    .addColumn('scan_note', 'text')
    .addColumn('scan_recorded_at', 'text')
    .addColumn('scan_recorded_by', 'text', (c) => c.references('users.id'))
    // The post-scan check's deadline (mriCheckDueAt), set with the scan.
    .addColumn('check_due_at', 'text')
    .addColumn('checked_at', 'text')
    .addColumn('check_recorded_at', 'text')
    .addColumn('check_recorded_by', 'text', (c) => c.references('users.id'))
    .addColumn('pump_running', 'integer')
    // ROTOR_RESULTS for a SynchroMed; null when the model has no rotor check.
    .addColumn('rotor_check', 'text')
    .addColumn('logs_reviewed', 'integer')
    .addColumn('reservoir_ml', 'text')
    // For a Prometra: the refill recorded after the scan that completed the check.
    .addColumn('refill_id', 'text', (c) => c.references('refills.id'))
    .addColumn('findings', 'text')
    .addColumn('cancelled_at', 'text')
    .addColumn('cancelled_by', 'text', (c) => c.references('users.id'))
    .addColumn('cancel_reason', 'text')
    .execute();
  await db.schema
    .createIndex('mri_scans_pump_idx')
    .on('mri_scans')
    .columns(['pump_id', 'planned_at'])
    .execute();
  // The pending checks, in due order, for the worklist, the task queues and the digest.
  await db.schema
    .createIndex('mri_scans_due_idx')
    .on('mri_scans')
    .columns(['state', 'check_due_at'])
    .execute();
  // One open MRI (planned or scanned, check waiting) per pump, whoever plans at the same moment.
  await db.schema
    .createIndex('mri_scans_one_open_uq')
    .on('mri_scans')
    .column('pump_id')
    .unique()
    .where(sql<boolean>`state in ('planned', 'scanned')`)
    .execute();
}
