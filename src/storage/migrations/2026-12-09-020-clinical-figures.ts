import type { Kysely } from 'kysely';

/**
 * Indexes for the clinical figures (src/storage/figures/clinical-*.repository.ts):
 * - `refills_previous_idx` (pump_id, performed_on, recorded_at, state, due_by): each refill's
 *   previous refill and the due date it set, read from the index alone;
 * - `pumps_implanted_idx` (implanted_on) and `pumps_ended_idx` (ended_on): the caseload counted
 *   by month of implant and of end.
 * Written against Kysely<unknown> so it stays frozen in time. Never edit once released.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('refills_previous_idx')
    .on('refills')
    .columns(['pump_id', 'performed_on', 'recorded_at', 'state', 'due_by'])
    .execute();
  await db.schema.createIndex('pumps_implanted_idx').on('pumps').columns(['implanted_on']).execute();
  await db.schema.createIndex('pumps_ended_idx').on('pumps').columns(['ended_on']).execute();
}
