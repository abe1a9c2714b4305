import { sql, type Kysely } from 'kysely';

/**
 * Life events around a pump (life-events.ts): pregnancy, surgery at another hospital, death and
 * transfer of care, each with its checklist of actions. New tables only, so every existing row
 * stays valid. Written against Kysely<unknown> so it stays frozen in time. Never edit once
 * released: add a new file.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('life_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    // LIFE_EVENT_KINDS: 'pregnancy', 'surgery-elsewhere', 'death' or 'transfer'.
    .addColumn('kind', 'text', (c) => c.notNull())
    // The date the event is filed under: delivery, surgery, death or transfer (YYYY-MM-DD).
    .addColumn('event_on', 'text', (c) => c.notNull())
    // The rest of the validated input, as canonical JSON (the kind's fields).
    .addColumn('details', 'text', (c) => c.notNull())
    // 'open', 'completed' (every action done) or 'ended' (closed early, with end_reason).
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('closed_at', 'text')
    .addColumn('closed_by', 'text', (c) => c.references('users.id'))
    .addColumn('end_reason', 'text')
    .execute();
  await db.schema
    .createIndex('life_events_patient_idx')
    .on('life_events')
    .columns(['patient_id', 'event_on'])
    .execute();
  // A patient dies once: a second death record, even one racing the first, is refused (409).
  await db.schema
    .createIndex('life_events_one_death_uq')
    .on('life_events')
    .column('patient_id')
    .unique()
    .where(sql<boolean>`kind = 'death'`)
    .execute();

  await db.schema
    .createTable('life_event_actions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull().references('life_events.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    // ACTION_CODES: one of each per event.
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text')
    // Null while the action is open.
    .addColumn('done_at', 'text')
    .addColumn('done_by', 'text', (c) => c.references('users.id'))
    .addColumn('done_note', 'text')
    .execute();
  await db.schema
    .createIndex('life_event_actions_code_uq')
    .on('life_event_actions')
    .columns(['event_id', 'code'])
    .unique()
    .execute();
}
