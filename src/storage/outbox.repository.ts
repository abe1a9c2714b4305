import type { DbOrTrx, OutboundEmailsTable } from './database.ts';

export async function insertOutboundEmail(db: DbOrTrx, row: OutboundEmailsTable): Promise<void> {
  await db.insertInto('outbound_emails').values(row).execute();
}

/** Emails due for a (re)try, oldest first. */
export async function listDueEmails(db: DbOrTrx, now: string, limit: number): Promise<OutboundEmailsTable[]> {
  return db
    .selectFrom('outbound_emails')
    .selectAll()
    .where('state', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .orderBy('created_at', 'asc')
    .limit(limit)
    .execute();
}

export async function listEmailsForReferral(db: DbOrTrx, referralId: string): Promise<OutboundEmailsTable[]> {
  return db
    .selectFrom('outbound_emails')
    .selectAll()
    .where('referral_id', '=', referralId)
    .orderBy('created_at', 'asc')
    .execute();
}

/**
 * Claims a pending email for one attempt by moving its next attempt time forward, so a second
 * instance polling at the same moment does not send it too.
 */
export async function claimEmail(
  db: DbOrTrx,
  id: string,
  seenNextAttemptAt: string,
  leaseUntil: string,
): Promise<boolean> {
  const result = await db
    .updateTable('outbound_emails')
    .set({ next_attempt_at: leaseUntil })
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .where('next_attempt_at', '=', seenNextAttemptAt)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export async function updateEmail(
  db: DbOrTrx,
  id: string,
  set: Partial<
    Pick<OutboundEmailsTable, 'state' | 'attempts' | 'last_error' | 'next_attempt_at' | 'sent_at'>
  >,
): Promise<void> {
  await db.updateTable('outbound_emails').set(set).where('id', '=', id).execute();
}
