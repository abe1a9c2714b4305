import type { Kysely } from 'kysely';

/**
 * Indexes the service figures need (bench/figures.bench.ts: every figure over 5 years of 50,000
 * referrals): each referral's first triage decision, and each referral's first attended
 * appointment, read from an index alone instead of the tables. Written against Kysely<unknown>
 * so it stays frozen in time. Never edit once released: add a new file.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('triage_decisions_first_idx')
    .on('triage_decisions')
    .columns(['referral_id', 'decided_on'])
    .execute();
  await db.schema
    .createIndex('appointments_state_referral_idx')
    .on('appointments')
    .columns(['state', 'referral_id', 'appointment_date'])
    .execute();
}
