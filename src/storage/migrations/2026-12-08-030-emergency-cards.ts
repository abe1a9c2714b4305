import type { Kysely } from 'kysely';

/**
 * The emergency cards issued to patients (emergency-card.ts): who issued which card for which
 * pump, when, and a snapshot of the facts it printed (JSON of EmergencyCardFacts: patient, pump,
 * drug, concentration, dose, contacts), so a card can be printed again exactly as issued and be
 * found out of date when those facts change. Append-only in spirit: a card is never changed; a
 * new one is issued. Written against Kysely<unknown> so it stays frozen in time. Never edit once
 * released: add a new file.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('emergency_cards')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    .addColumn('pump_id', 'text', (c) => c.notNull().references('pumps.id'))
    .addColumn('issued_at', 'text', (c) => c.notNull())
    // The calendar day in the service's time zone, as the card prints it ("Correct on …").
    .addColumn('issued_on', 'text', (c) => c.notNull())
    .addColumn('issued_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('facts', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('emergency_cards_pump_idx')
    .on('emergency_cards')
    .columns(['pump_id', 'issued_at'])
    .execute();
  await db.schema
    .createIndex('emergency_cards_patient_idx')
    .on('emergency_cards')
    .columns(['patient_id', 'issued_at'])
    .execute();
}
