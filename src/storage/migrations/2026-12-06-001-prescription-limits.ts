import type { Kysely } from 'kysely';

/**
 * Prescriptions keep the clinical warnings they were accepted with (each needs the written
 * reason stored beside it) and the phase whose titration limits the change was held to (from
 * the pump's history, not the prescriber's choice). Existing rows: no warnings recorded ('[]')
 * and no limit phase (null: checked before the phase was taken from the history). Written
 * against Kysely<unknown> so it stays frozen in time. Never edit once released: add a new file.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // One column per statement: SQLite adds one column at a time.
  await db.schema
    .alterTable('prescriptions')
    .addColumn('warnings', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await db.schema.alterTable('prescriptions').addColumn('limit_phase', 'text').execute();
}
