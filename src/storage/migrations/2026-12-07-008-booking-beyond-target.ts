import type { Kysely } from 'kysely';

/**
 * A first appointment booked after the referral's target date is booked only when the booker
 * confirms it (waiting-target.ts): `beyond_target_date` keeps the target date the booker saw
 * and confirmed booking beyond, null for a booking within the target. Nullable, so appointments
 * booked before this migration stay valid as they were. Written against Kysely<unknown> so it
 * stays frozen in time. Never edit once released: add a new file.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('appointments').addColumn('beyond_target_date', 'text').execute();
}
