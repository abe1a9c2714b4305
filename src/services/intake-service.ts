import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ImapConfig } from '../config.ts';
import { findNhsNumbers } from '../domain/nhs-numbers-in-text.ts';
import { ORIGINAL_FILE, readEmailFile, type EmailFileFormat } from '../integrations/mail/email-file.ts';
import { parseEmail, type ParsedEmail } from '../integrations/mail/parse-email.ts';
import { pollMailboxOnce, type ImapSettings } from '../integrations/mail/imap-mailbox.ts';
import type { Db, Trx } from '../storage/database.ts';
import { insertDocument, listDocuments, type DocumentMeta } from '../storage/documents.repository.ts';
import {
  closeIntakeItemIfNew,
  findIntakeItemById,
  findIntakeItemByKey,
  insertIntakeItem,
  readMailboxCursor,
  saveMailboxCursor,
  type IntakeItem,
} from '../storage/intake.repository.ts';
import { findPatientByNhsNumber, type Patient } from '../storage/patients.repository.ts';
import { AppError, requireUpload, validationError } from './app-error.ts';
import { isUniqueViolation } from '../storage/database-errors.ts';
import { actorEvent, appendAudit, type Actor } from './audit-service.ts';
import type { Clock } from './clock.ts';
import { safeFilename } from './referral-documents.ts';

export interface IntakeDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly config: { readonly uploadMaxBytes: number };
}

export interface IngestResult {
  readonly item: IntakeItem;
  /** The same message was already in the intake: nothing new was stored. */
  readonly duplicate: boolean;
}

function sha256(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/**
 * Takes in one email message from the service mailbox. Each message becomes exactly one intake
 * item: keyed by its Message-ID, or by the SHA-256 of its bytes when it has none or cannot be
 * parsed. A message from the mailbox that cannot be parsed is still an email someone sent: it
 * is kept, with its original bytes, and shown as such; it is never dropped. `inTransaction`
 * lets the mailbox poller advance its cursor in the same transaction.
 */
export async function ingestEmail(
  deps: IntakeDeps,
  actor: Actor | null,
  raw: Buffer,
  origin: 'imap' | 'upload',
  inTransaction?: (trx: Trx) => Promise<void>,
): Promise<IngestResult> {
  const parsed = await parseEmail(raw, { maxBytes: deps.config.uploadMaxBytes });
  return storeEmail(deps, actor, raw, { parsed, format: 'eml', origin }, inTransaction);
}

interface Arrival {
  readonly parsed: ParsedEmail;
  readonly format: EmailFileFormat;
  readonly origin: 'imap' | 'upload';
}

/** Stores one message, its original file and its attachments as one intake item. */
async function storeEmail(
  deps: IntakeDeps,
  actor: Actor | null,
  raw: Buffer,
  { parsed, format, origin }: Arrival,
  inTransaction?: (trx: Trx) => Promise<void>,
): Promise<IngestResult> {
  const key = parsed.ok && parsed.messageId ? `message-id:${parsed.messageId}` : `sha256:${sha256(raw)}`;
  const run = () =>
    deps.db.transaction().execute(async (trx) => {
      const existing = await findIntakeItemByKey(trx, key);
      if (existing) {
        await inTransaction?.(trx);
        return { item: existing, duplicate: true };
      }
      const id = randomUUID();
      const at = deps.clock.now().toISOString();
      const searchable = parsed.ok ? [parsed.subject, parsed.bodyText].join('\n') : '';
      await insertIntakeItem(trx, {
        id,
        dedupeKey: key,
        messageId: parsed.ok ? parsed.messageId : null,
        origin,
        fromAddress: parsed.ok ? parsed.fromAddress : null,
        fromName: parsed.ok ? parsed.fromName : null,
        subject: parsed.ok ? parsed.subject : null,
        sentAt: parsed.ok ? parsed.sentAt : null,
        receivedAt: at,
        bodyText: parsed.ok ? parsed.bodyText : null,
        nhsNumbers: findNhsNumbers(searchable),
        parseState: parsed.ok ? 'parsed' : 'unparseable',
        parseProblem: parsed.ok ? null : parsed.reason,
        state: 'new',
        referralId: null,
        closedReason: null,
        closedBy: null,
        closedAt: null,
        version: 1,
      });
      await insertDocument(trx, {
        id: randomUUID(),
        referralId: null,
        intakeItemId: id,
        kind: 'original-email',
        ...ORIGINAL_FILE[format],
        sha256: sha256(raw),
        content: raw,
        createdAt: at,
        createdBy: actor?.userId ?? null,
      });
      if (parsed.ok) {
        let n = 0;
        for (const a of parsed.attachments) {
          n += 1;
          await insertDocument(trx, {
            id: randomUUID(),
            referralId: null,
            intakeItemId: id,
            kind: 'attachment',
            filename: safeFilename(a.filename, `attachment-${String(n)}`),
            contentType: a.contentType,
            sha256: sha256(a.content),
            content: a.content,
            createdAt: at,
            createdBy: actor?.userId ?? null,
          });
        }
      }
      await inTransaction?.(trx);
      await appendAudit(
        trx,
        deps.clock,
        actorEvent(actor, {
          action: 'intake.receive',
          outcome: parsed.ok ? 'success' : 'failure',
          entityType: 'intake-item',
          entityId: id,
          details: {
            origin,
            format,
            parsed: parsed.ok,
            attachments: parsed.ok ? parsed.attachments.length : 0,
            sizeBytes: raw.length,
          },
        }),
      );
      const item = await findIntakeItemById(trx, id);
      if (!item) {
        throw new Error('intake item vanished after insert');
      }
      return { item, duplicate: false };
    });
  try {
    return await run();
  } catch (err) {
    // Two pollers reading the same message at once: the unique key lets one insert it.
    if (isUniqueViolation(err, 'intake_items_dedupe_key_key')) {
      return run();
    }
    throw err;
  }
}

/**
 * An email file a person uploaded: an .eml or an Outlook .msg. Unlike a message from the
 * mailbox, a file that is not an email is refused, naming the file field, and nothing is kept:
 * the person still has the file and can choose the right one.
 */
export async function uploadEmail(
  deps: IntakeDeps,
  actor: Actor,
  file: { readonly content: Buffer; readonly filename?: string } | null,
): Promise<IngestResult> {
  const upload = requireUpload(
    file,
    deps.config.uploadMaxBytes,
    'Select an email file (.msg or .eml) to upload',
  );
  const { format, parsed } = await readEmailFile(upload.content, { maxBytes: deps.config.uploadMaxBytes });
  if (!parsed.ok) {
    const name = upload.filename?.trim() ? `“${safeFilename(upload.filename, 'file')}”` : 'The selected file';
    throw validationError([
      {
        field: 'file',
        message: `${name} is not an email that can be read: ${lowerFirst(parsed.reason)}. Save the email from Outlook (.msg) or as an .eml file and upload that`,
      },
    ]);
  }
  return storeEmail(deps, actor, upload.content, { parsed, format, origin: 'upload' });
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

export interface IntakeItemDetail {
  readonly item: IntakeItem;
  readonly documents: readonly DocumentMeta[];
  /** Registered patients whose NHS numbers appear in the message, offered as matches. */
  readonly matches: readonly Patient[];
  /** NHS numbers found in the message that match nobody registered. */
  readonly unmatched: readonly string[];
}

export async function viewIntakeItem(deps: IntakeDeps, actor: Actor, id: string): Promise<IntakeItemDetail> {
  return deps.db.transaction().execute(async (trx) => {
    const item = await findIntakeItemById(trx, id);
    if (!item) {
      throw new AppError('NOT_FOUND', 'Email not found in the intake');
    }
    const documents = await listDocuments(trx, { intakeItemId: id });
    const matches: Patient[] = [];
    const unmatched: string[] = [];
    for (const n of item.nhsNumbers) {
      const p = await findPatientByNhsNumber(trx, n);
      if (p) {
        matches.push(p);
      } else {
        unmatched.push(n);
      }
    }
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'intake.view',
        outcome: 'success',
        entityType: 'intake-item',
        entityId: id,
      }),
    );
    return { item, documents, matches, unmatched };
  });
}

/** Closes an intake item that is not a referral (a query, spam), with the reason kept. */
export async function closeIntakeItem(
  deps: IntakeDeps,
  actor: Actor,
  id: string,
  expectedVersion: number,
  reason: string,
): Promise<void> {
  const trimmed = reason.trim();
  if (trimmed === '') {
    throw validationError([{ field: 'closedReason', message: 'Enter why this email is not a referral' }]);
  }
  if (trimmed.length > 1000) {
    throw validationError([{ field: 'closedReason', message: 'Reason must be 1000 characters or fewer' }]);
  }
  await deps.db.transaction().execute(async (trx) => {
    const item = await findIntakeItemById(trx, id);
    if (!item) {
      throw new AppError('NOT_FOUND', 'Email not found in the intake');
    }
    const ok = await closeIntakeItemIfNew(trx, id, expectedVersion, {
      state: 'closed',
      referralId: null,
      closedReason: trimmed,
      closedBy: actor.userId,
      closedAt: deps.clock.now().toISOString(),
    });
    if (!ok) {
      throw new AppError('STALE_EDIT', 'Someone else dealt with this email after you opened it. Reload it.');
    }
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'intake.close',
        outcome: 'success',
        entityType: 'intake-item',
        entityId: id,
      }),
    );
  });
}

/** The settings for one connection, with a fresh OAuth2 token read from its file. */
async function imapSettings(config: ImapConfig): Promise<ImapSettings> {
  const auth =
    config.auth.kind === 'password'
      ? ({ kind: 'password', password: config.auth.password } as const)
      : ({
          kind: 'oauth2',
          accessToken: (await readFile(config.auth.accessTokenFile, 'utf8')).trim(),
        } as const);
  return {
    host: config.host,
    port: config.port,
    secure: config.secure,
    user: config.user,
    auth,
    mailbox: config.mailbox,
    rejectUnauthorized: config.rejectUnauthorized,
  };
}

export interface MailboxPassSummary {
  readonly fetched: number;
  readonly stored: number;
  readonly duplicates: number;
  readonly unparseable: number;
}

/**
 * One pass of the service mailbox. Each message is stored and the mailbox cursor moved past it
 * in one transaction, so a message is read again after a crash rather than lost; messages are
 * never deleted, moved or marked read (staff may use the mailbox too).
 */
export async function pollMailbox(deps: IntakeDeps, config: ImapConfig): Promise<MailboxPassSummary> {
  const key = `${config.user}@${config.host}:${String(config.port)}/${config.mailbox}`;
  const cursor = await readMailboxCursor(deps.db, key);
  let stored = 0;
  let duplicates = 0;
  let unparseable = 0;
  try {
    const result = await pollMailboxOnce(await imapSettings(config), cursor, async (m) => {
      const r = await ingestEmail(deps, null, m.raw, 'imap', (trx) =>
        saveMailboxCursor(
          trx,
          key,
          { uidValidity: m.uidValidity, lastUid: m.uid },
          deps.clock.now().toISOString(),
        ),
      );
      if (r.duplicate) {
        duplicates += 1;
      } else {
        stored += 1;
        if (r.item.parseState === 'unparseable') {
          unparseable += 1;
        }
      }
    });
    return { fetched: result.fetched, stored, duplicates, unparseable };
  } catch (err) {
    await deps.db.transaction().execute((trx) =>
      appendAudit(
        trx,
        deps.clock,
        actorEvent(null, {
          action: 'mailbox.poll',
          outcome: 'failure',
          details: { stored, error: err instanceof Error ? err.message.slice(0, 300) : 'unknown' },
        }),
      ),
    );
    throw err;
  }
}
