import type { Kysely } from 'kysely';

/**
 * Emergency events (a suspected overdose or withdrawal, a critical pump alarm, a pump stall) and
 * calls to the advice line. An event is open until a consultant closes it with its outcome; the
 * close is one conditional update (state = 'open'), so two closes at the same moment cannot both
 * succeed. Signs are kept as a JSON list of checklist values (emergency-events.ts). New tables
 * only: every existing row stays valid. Written against Kysely<unknown> so it stays frozen in
 * time. Never edit once released: add a new file.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('advice_calls')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('called_at', 'text', (c) => c.notNull())
    // Null for a caller who could not be matched to a registered patient (caller_identity says who).
    .addColumn('patient_id', 'text', (c) => c.references('patients.id'))
    .addColumn('caller_kind', 'text', (c) => c.notNull())
    .addColumn('caller_name', 'text')
    .addColumn('caller_identity', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('details', 'text')
    .addColumn('overdose_signs', 'text', (c) => c.notNull())
    .addColumn('withdrawal_signs', 'text', (c) => c.notNull())
    .addColumn('advice_given', 'text', (c) => c.notNull())
    // 'appointment' (appointment_id set), 'emergency-department' or 'none' (follow_up_note says why).
    .addColumn('follow_up', 'text', (c) => c.notNull())
    .addColumn('appointment_id', 'text', (c) => c.references('pump_appointments.id'))
    .addColumn('follow_up_note', 'text')
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull().references('users.id'))
    .execute();
  await db.schema.createIndex('advice_calls_called_idx').on('advice_calls').columns(['called_at']).execute();
  await db.schema
    .createIndex('advice_calls_patient_idx')
    .on('advice_calls')
    .columns(['patient_id', 'called_at'])
    .execute();

  await db.schema
    .createTable('emergency_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    // The patient's implanted pump when the event was recorded; null when there was none.
    .addColumn('pump_id', 'text', (c) => c.references('pumps.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('onset_at', 'text', (c) => c.notNull())
    .addColumn('signs', 'text', (c) => c.notNull())
    .addColumn('signs_note', 'text')
    .addColumn('actions_taken', 'text', (c) => c.notNull())
    .addColumn('advice_call_id', 'text', (c) => c.references('advice_calls.id'))
    // 'open' until a consultant closes it; then closed_at, closed_by, outcome and outcome_note.
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('closed_at', 'text')
    .addColumn('closed_by', 'text', (c) => c.references('users.id'))
    .addColumn('outcome', 'text')
    .addColumn('outcome_note', 'text')
    .execute();
  // Every patient page asks for the patient's open events; the worklist and home page for all.
  await db.schema
    .createIndex('emergency_events_patient_idx')
    .on('emergency_events')
    .columns(['patient_id', 'state', 'onset_at'])
    .execute();
  await db.schema
    .createIndex('emergency_events_state_idx')
    .on('emergency_events')
    .columns(['state', 'onset_at'])
    .execute();
}
