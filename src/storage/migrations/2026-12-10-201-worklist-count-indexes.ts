import type { Kysely } from 'kysely';

/**
 * Indexes the refill worklist's counts read alone (bench/worklist.bench.ts: 100,000 pumps): the
 * pumps with a refill booked, by booking then due date, so the booked statuses read only those;
 * and the replacement indicator with the replace-by date, so the pumps past their indicator and
 * not yet due for replacement are counted without reading every pump row. The new ERI index
 * starts with the old one's columns, which it replaces. Written against Kysely<unknown> so it
 * stays frozen in time. Never edit once released: add a new file.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('pumps_booked_idx')
    .on('pumps')
    .columns(['state', 'refill_booked_on', 'refill_due_on'])
    .execute();
  await db.schema
    .createIndex('pumps_eri_replace_idx')
    .on('pumps')
    .columns(['state', 'eri_on', 'replace_by'])
    .execute();
  await db.schema.dropIndex('pumps_eri_idx').execute();
}
