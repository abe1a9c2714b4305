import type { DbOrTrx, TotpEnrolmentsTable } from './database.ts';

/** An authenticator set-up in progress: the secret the server generated, kept with the session. */
export interface TotpEnrolment {
  readonly sessionIdHash: string;
  readonly userId: string;
  readonly secret: string;
  readonly createdAt: string;
}

export function totpEnrolmentToRow(enrolment: TotpEnrolment): TotpEnrolmentsTable {
  return {
    session_id_hash: enrolment.sessionIdHash,
    user_id: enrolment.userId,
    secret: enrolment.secret,
    created_at: enrolment.createdAt,
  };
}

export function totpEnrolmentFromRow(row: TotpEnrolmentsTable): TotpEnrolment {
  return {
    sessionIdHash: row.session_id_hash,
    userId: row.user_id,
    secret: row.secret,
    createdAt: row.created_at,
  };
}

export async function findTotpEnrolment(
  db: DbOrTrx,
  sessionIdHash: string,
): Promise<TotpEnrolment | undefined> {
  const row = await db
    .selectFrom('totp_enrolments')
    .selectAll()
    .where('session_id_hash', '=', sessionIdHash)
    .executeTakeFirst();
  return row && totpEnrolmentFromRow(row);
}

/** Keeps the first secret generated for the session: two tabs or a reload show the same one. */
export async function insertTotpEnrolmentIfAbsent(db: DbOrTrx, enrolment: TotpEnrolment): Promise<void> {
  await db
    .insertInto('totp_enrolments')
    .values(totpEnrolmentToRow(enrolment))
    .onConflict((oc) => oc.column('session_id_hash').doNothing())
    .execute();
}
