import { randomUUID } from 'node:crypto';
import type { Trx } from '../storage/database.ts';
import {
  claimEmail,
  insertOutboundEmail,
  listDueEmails,
  updateEmail,
  type OutboundEmail,
} from '../storage/outbox.repository.ts';
import { findDocument } from '../storage/documents.repository.ts';
import type { Db } from '../storage/database.ts';
import { actorEvent, recordAudit } from './audit-service.ts';
import type { Clock } from './clock.ts';
import type { EmailSender } from '../integrations/mail/smtp-sender.ts';

/** How many times an email is tried before it is marked failed and shown as such. */
export const MAX_EMAIL_ATTEMPTS = 8;

export interface QueuedEmail {
  readonly referralId: string | null;
  readonly documentId: string | null;
  readonly purpose: string;
  readonly to: string;
  readonly subject: string;
  readonly body: string;
}

/** Writes the email in the caller's transaction; it is sent after the transaction commits. */
export async function queueEmail(trx: Trx, at: string, email: QueuedEmail): Promise<void> {
  await insertOutboundEmail(trx, {
    id: randomUUID(),
    referralId: email.referralId,
    documentId: email.documentId,
    purpose: email.purpose,
    toAddress: email.to,
    subject: email.subject,
    bodyText: email.body,
    state: 'pending',
    attempts: 0,
    lastError: null,
    createdAt: at,
    nextAttemptAt: at,
    sentAt: null,
  });
}

/** What the outbox sends through: the SMTP sender's send (a fake in tests). */
export type EmailTransport = Pick<EmailSender, 'send'>;

/** Back-off before the next try: 1, 2, 4 … minutes, at most an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(60, 2 ** Math.max(0, attempts - 1)) * 60_000;
}

export interface SendSummary {
  readonly sent: number;
  readonly retrying: number;
  readonly failed: number;
}

/**
 * Sends the emails that are due. Each is claimed first (so two instances never both send it),
 * then marked sent or scheduled for another try; every outcome is audited.
 */
export async function sendDueEmails(
  deps: { db: Db; clock: Clock },
  transport: EmailTransport,
  limit = 20,
): Promise<SendSummary> {
  const summary = { sent: 0, retrying: 0, failed: 0 };
  const now = deps.clock.now();
  const due = await listDueEmails(deps.db, now.toISOString(), limit);
  for (const email of due) {
    const lease = new Date(now.getTime() + 10 * 60_000).toISOString();
    if (!(await claimEmail(deps.db, email.id, email.nextAttemptAt, lease))) {
      continue;
    }
    await sendOne(deps, transport, email, summary);
  }
  return summary;
}

async function sendOne(
  deps: { db: Db; clock: Clock },
  transport: EmailTransport,
  email: OutboundEmail,
  summary: { sent: number; retrying: number; failed: number },
): Promise<void> {
  const attempts = email.attempts + 1;
  try {
    const doc = email.documentId ? await findDocument(deps.db, email.documentId) : undefined;
    await transport.send({
      to: email.toAddress,
      subject: email.subject,
      text: email.bodyText,
      attachments: doc
        ? [{ filename: doc.filename, contentType: doc.contentType, content: doc.content }]
        : [],
    });
    const at = deps.clock.now().toISOString();
    await updateEmail(deps.db, email.id, { state: 'sent', attempts, sentAt: at, lastError: null });
    summary.sent += 1;
    await recordAudit(
      deps.db,
      deps.clock,
      actorEvent(null, {
        action: 'email.send',
        outcome: 'success',
        entityType: 'outbound-email',
        entityId: email.id,
        details: { purpose: email.purpose, referralId: email.referralId },
      }),
    );
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const failed = attempts >= MAX_EMAIL_ATTEMPTS;
    await updateEmail(deps.db, email.id, {
      state: failed ? 'failed' : 'pending',
      attempts,
      lastError: message.slice(0, 500),
      nextAttemptAt: new Date(deps.clock.now().getTime() + retryDelayMs(attempts)).toISOString(),
    });
    if (failed) {
      summary.failed += 1;
    } else {
      summary.retrying += 1;
    }
    await recordAudit(
      deps.db,
      deps.clock,
      actorEvent(null, {
        action: 'email.send',
        outcome: 'failure',
        entityType: 'outbound-email',
        entityId: email.id,
        details: { purpose: email.purpose, referralId: email.referralId, attempts, gaveUp: failed },
      }),
    );
  }
}
