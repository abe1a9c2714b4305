import type { Kysely } from 'kysely';

/**
 * The complications register and bridging plans (complication.ts, bridging-plan.ts). New tables
 * only, so every existing row stays valid. Written against Kysely<unknown> so it stays frozen in
 * time. Never edit once released: add a new file.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('complications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    // COMPLICATION_KINDS.
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('onset_on', 'text', (c) => c.notNull())
    .addColumn('resolved_on', 'text')
    // One of the patient's pumps (checked by the service), and whether the pump, its catheter or
    // both were involved; both null for an entry not linked to a device.
    .addColumn('pump_id', 'text', (c) => c.references('pumps.id'))
    .addColumn('device', 'text')
    // The catheter as registered on the pump when the entry was made, so a later revision of the
    // catheter does not change which catheter the entry was about.
    .addColumn('catheter_model', 'text')
    .addColumn('catheter_tip_level', 'text')
    .addColumn('organism', 'text')
    .addColumn('details', 'text')
    .addColumn('actions', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    // The emergency event (overdose, withdrawal, alarm, stall) this entry follows up, once the
    // emergency events are linked to the register; no reference yet, as that table is not here.
    .addColumn('emergency_event_id', 'text')
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('complications_patient_idx')
    .on('complications')
    .columns(['patient_id', 'onset_on'])
    .execute();
  await db.schema.createIndex('complications_pump_idx').on('complications').columns(['pump_id']).execute();
  // The service-wide register reads by onset date, with or without a kind.
  await db.schema.createIndex('complications_onset_idx').on('complications').columns(['onset_on']).execute();
  await db.schema
    .createIndex('complications_kind_onset_idx')
    .on('complications')
    .columns(['kind', 'onset_on'])
    .execute();

  await db.schema
    .createTable('bridging_plans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('pump_id', 'text', (c) => c.notNull().references('pumps.id'))
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    .addColumn('complication_id', 'text', (c) => c.references('complications.id'))
    // BRIDGING_PURPOSES and BRIDGING_KINDS.
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('drug', 'text', (c) => c.notNull())
    .addColumn('dose', 'text', (c) => c.notNull())
    .addColumn('frequency', 'text', (c) => c.notNull())
    .addColumn('start_on', 'text', (c) => c.notNull())
    .addColumn('review_on', 'text', (c) => c.notNull())
    .addColumn('responsible', 'text', (c) => c.notNull())
    .addColumn('details', 'text')
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull().references('users.id'))
    .execute();
  await db.schema
    .createIndex('bridging_plans_pump_idx')
    .on('bridging_plans')
    .columns(['pump_id', 'purpose'])
    .execute();
}
