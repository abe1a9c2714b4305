import type { DbOrTrx, TotpEnrolmentsTable } from './database.ts';

export async function findTotpEnrolment(
  db: DbOrTrx,
  sessionIdHash: string,
): Promise<TotpEnrolmentsTable | undefined> {
  return db
    .selectFrom('totp_enrolments')
    .selectAll()
    .where('session_id_hash', '=', sessionIdHash)
    .executeTakeFirst();
}

/** Keeps the first secret generated for the session: two tabs or a reload show the same one. */
export async function insertTotpEnrolmentIfAbsent(db: DbOrTrx, row: TotpEnrolmentsTable): Promise<void> {
  await db
    .insertInto('totp_enrolments')
    .values(row)
    .onConflict((oc) => oc.column('session_id_hash').doNothing())
    .execute();
}
