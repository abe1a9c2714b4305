import type { Kysely } from 'kysely';

/**
 * Referral checks (clinical-reference.md 1):
 * - `referrer_grade`: consultant, registrar, other doctor, GP, nurse, therapist or other;
 * - `ers_service_name`: the e-RS service an e-RS referral was made to ("Complex Neuro Rehab"
 *   [LTH-SEED] by default);
 * - `check_reason` and the `check_cleared_*` columns: an email referral from someone not recorded
 *   as a consultant is marked for a consultant to check, and the clearing is kept.
 * Every column is nullable, so referrals recorded before this migration stay valid as they were
 * (no grade, no service name, no mark). Written against Kysely<unknown> so it stays frozen in
 * time; SQLite adds one column per statement. Never edit once released: add a new file.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const columns: [string, 'text'][] = [
    ['referrer_grade', 'text'],
    ['ers_service_name', 'text'],
    ['check_reason', 'text'],
    ['check_cleared_at', 'text'],
    ['check_cleared_note', 'text'],
  ];
  for (const [name, type] of columns) {
    await db.schema.alterTable('referrals').addColumn(name, type).execute();
  }
  await db.schema
    .alterTable('referrals')
    .addColumn('check_cleared_by', 'text', (c) => c.references('users.id'))
    .execute();
}
