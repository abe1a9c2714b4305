import type { Kysely } from 'kysely';

/**
 * Test-dose times:
 * - `test_dose_observations.observed_at`: the clock time an observation was taken, checked
 *   against its bolus time and hour. Observations stored before stay null (their time was not
 *   kept) and stay valid.
 * - `test_dose_episodes.started_at`: when the screening started, entered when the episode is
 *   recorded afterwards; boluses and observations cannot come before it. Null on episodes stored
 *   before: they read as started when they were recorded (created_at).
 * Never edit once released: add a new file.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('test_dose_observations').addColumn('observed_at', 'text').execute();
  await db.schema.alterTable('test_dose_episodes').addColumn('started_at', 'text').execute();
}
