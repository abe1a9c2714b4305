import type { Insertable, Selectable } from 'kysely';
import type { DbOrTrx, OutboundEmailsTable } from './database.ts';

/** An email written to the outbox, sent after the transaction that wrote it commits. */
export interface OutboundEmail {
  readonly id: string;
  readonly referralId: string | null;
  readonly documentId: string | null;
  readonly purpose: string;
  readonly toAddress: string;
  readonly subject: string;
  readonly bodyText: string;
  /** 'pending', 'sent' or 'failed' (gave up after the configured attempts). */
  readonly state: 'pending' | 'sent' | 'failed';
  readonly attempts: number;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly nextAttemptAt: string;
  readonly sentAt: string | null;
}

/** What one attempt changes: its outcome, the count, and when to try again. */
export type EmailAttempt = Partial<
  Pick<OutboundEmail, 'state' | 'attempts' | 'lastError' | 'nextAttemptAt' | 'sentAt'>
>;

function toRow(e: OutboundEmail): Insertable<OutboundEmailsTable> {
  return {
    id: e.id,
    referral_id: e.referralId,
    document_id: e.documentId,
    purpose: e.purpose,
    to_address: e.toAddress,
    subject: e.subject,
    body_text: e.bodyText,
    state: e.state,
    attempts: e.attempts,
    last_error: e.lastError,
    created_at: e.createdAt,
    next_attempt_at: e.nextAttemptAt,
    sent_at: e.sentAt,
  };
}

function fromRow(r: Selectable<OutboundEmailsTable>): OutboundEmail {
  return {
    id: r.id,
    referralId: r.referral_id,
    documentId: r.document_id,
    purpose: r.purpose,
    toAddress: r.to_address,
    subject: r.subject,
    bodyText: r.body_text,
    state: r.state as OutboundEmail['state'],
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: r.created_at,
    nextAttemptAt: r.next_attempt_at,
    sentAt: r.sent_at,
  };
}

function attemptToRow(a: EmailAttempt): Partial<Insertable<OutboundEmailsTable>> {
  return {
    ...(a.state === undefined ? {} : { state: a.state }),
    ...(a.attempts === undefined ? {} : { attempts: a.attempts }),
    ...(a.lastError === undefined ? {} : { last_error: a.lastError }),
    ...(a.nextAttemptAt === undefined ? {} : { next_attempt_at: a.nextAttemptAt }),
    ...(a.sentAt === undefined ? {} : { sent_at: a.sentAt }),
  };
}

export async function insertOutboundEmail(db: DbOrTrx, email: OutboundEmail): Promise<void> {
  await db.insertInto('outbound_emails').values(toRow(email)).execute();
}

/**
 * Emails due for a (re)try, oldest first: SMTP only. Patient reminders share the table but go
 * through GOV.UK Notify (reminder-outbox.repository.ts), never by SMTP to a phone number.
 */
export async function listDueEmails(db: DbOrTrx, now: string, limit: number): Promise<OutboundEmail[]> {
  const rows = await db
    .selectFrom('outbound_emails')
    .selectAll()
    .where('channel', '=', 'smtp')
    .where('state', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .orderBy('created_at', 'asc')
    .limit(limit)
    .execute();
  return rows.map(fromRow);
}

export async function listEmailsForReferral(db: DbOrTrx, referralId: string): Promise<OutboundEmail[]> {
  const rows = await db
    .selectFrom('outbound_emails')
    .selectAll()
    .where('referral_id', '=', referralId)
    .orderBy('created_at', 'asc')
    .execute();
  return rows.map(fromRow);
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

export async function updateEmail(db: DbOrTrx, id: string, attempt: EmailAttempt): Promise<void> {
  await db.updateTable('outbound_emails').set(attemptToRow(attempt)).where('id', '=', id).execute();
}
