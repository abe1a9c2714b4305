import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';

export interface ParsedAttachment {
  readonly filename: string;
  readonly contentType: string;
  readonly content: Buffer;
}

export type ParsedEmail =
  | {
      readonly ok: true;
      /** As the Message-ID header gives it, angle brackets included, trimmed; null if there is none. */
      readonly messageId: string | null;
      readonly fromAddress: string | null;
      readonly fromName: string | null;
      /** The To header as plain text (`Name <address>, …`); null if there is none. */
      readonly to: string | null;
      /** ISO 8601 UTC from the Date header; null if the header is missing or not a date. */
      readonly sentAt: string | null;
      /** Decoded subject; '' if there is none. */
      readonly subject: string;
      /** The plain text part, or the HTML part converted to text; '' if there is neither. */
      readonly bodyText: string;
      /** Every attachment, inline images included, in the order they appear in the message. */
      readonly attachments: readonly ParsedAttachment[];
    }
  | {
      readonly ok: false;
      /** Why the file cannot be read as an email, in plain English for staff. */
      readonly reason: string;
    };

export interface ParseEmailOptions {
  /** Larger messages are refused without being parsed. Default 25 MiB. */
  readonly maxBytes?: number;
}

export const DEFAULT_MAX_EMAIL_BYTES = 25 * 1024 * 1024;

/** At least one of these must be present, or the file is not an email at all. */
const EMAIL_HEADERS = ['from', 'date', 'subject', 'message-id', 'mime-version'] as const;

/**
 * An email starts with a header field ("Name: value"), after at most an mbox "From " line that
 * some mail programs save. A text file that has "Subject:" somewhere in its first paragraph is
 * not an email: mailparser would read that paragraph as a header block all the same.
 */
function startsWithHeaderField(raw: Buffer): boolean {
  const head = raw.subarray(0, 2048).toString('latin1');
  const lines = head
    .replace(/^\xEF\xBB\xBF/, '') // a UTF-8 byte order mark, read as Latin-1
    .split(/\r?\n/);
  const first = lines[0]?.startsWith('From ') ? lines[1] : lines[0];
  return first !== undefined && /^[!-9;-~]+:/.test(first);
}

/** A size for people: whole KB below 1 MB, else MB to one decimal place, rounded up so it never looks within the limit. */
function size(bytes: number): string {
  if (bytes < 1024 * 1024) {
    return `${Math.ceil(bytes / 1024)} KB`;
  }
  const mb = Math.ceil((bytes / (1024 * 1024)) * 10) / 10;
  return `${Number.isInteger(mb) ? String(mb) : mb.toFixed(1)} MB`;
}

function addressText(a: AddressObject | AddressObject[] | undefined): string | null {
  if (a === undefined) {
    return null;
  }
  const text = (Array.isArray(a) ? a.map((x) => x.text).join(', ') : a.text).trim();
  return text === '' ? null : text;
}

/**
 * The Date header as ISO 8601 UTC. Read from the raw header line because mailparser puts the
 * current time in `date` when the header is not a valid date, and we must not invent a date.
 */
function sentAt(mail: ParsedMail): string | null {
  const line = mail.headerLines.find((h) => h.key === 'date')?.line;
  if (line === undefined) {
    return null;
  }
  const value = line
    .slice(line.indexOf(':') + 1)
    .replace(/\r?\n[ \t]+/g, ' ')
    .trim();
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function bodyText(mail: ParsedMail): string {
  if (mail.text !== undefined && mail.text.trim() !== '') {
    return mail.text;
  }
  if (typeof mail.html === 'string') {
    // mailparser converts HTML-only messages to text itself; this is the fallback for HTML it
    // could not convert.
    return mail.html
      .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
      .replace(/<[^>]*>/g, ' ')
      .replace(/[ \t]+/g, ' ')
      .trim();
  }
  return mail.text ?? '';
}

/**
 * Reads a raw RFC 5322 message (an .eml file or an IMAP message source). Never throws: a file
 * that cannot be read as an email gives `{ ok: false, reason }`.
 */
export async function parseEmail(raw: Buffer, options: ParseEmailOptions = {}): Promise<ParsedEmail> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_EMAIL_BYTES;
  if (raw.length === 0) {
    return { ok: false, reason: 'The file is empty' };
  }
  if (raw.length > maxBytes) {
    return {
      ok: false,
      reason: `The email is too large to read: it is ${size(raw.length)} and the limit is ${size(maxBytes)}`,
    };
  }
  if (!startsWithHeaderField(raw)) {
    return {
      ok: false,
      reason: 'The file has no email headers (From, Date, Subject) at its start, so it is not an email',
    };
  }
  let mail: ParsedMail;
  try {
    mail = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
  } catch {
    return { ok: false, reason: 'The file could not be read as an email: it may be damaged' };
  }
  if (!EMAIL_HEADERS.some((h) => mail.headers.has(h))) {
    return {
      ok: false,
      reason: 'The file has no email headers (From, Date, Subject or Message-ID), so it is not an email',
    };
  }
  const from = mail.from?.value[0];
  const messageId = mail.messageId?.trim() ?? '';
  return {
    ok: true,
    messageId: messageId === '' ? null : messageId,
    fromAddress: from?.address?.trim() || null,
    fromName: from?.name.trim() || null,
    to: addressText(mail.to),
    sentAt: sentAt(mail),
    subject: mail.subject ?? '',
    bodyText: bodyText(mail),
    attachments: mail.attachments.map((a, i) => ({
      filename: a.filename?.trim() || `attachment-${i + 1}`,
      contentType: a.contentType,
      content: a.content,
    })),
  };
}
