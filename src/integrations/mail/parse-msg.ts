import msgreader, { type FieldsData } from '@kenjiuno/msgreader';
import type { ParsedAttachment, ParsedEmail } from './parse-email.ts';

// The package is CommonJS with its class on `exports.default`; under Node's ESM loader the
// default import is the whole `module.exports`.
const MsgReader = msgreader.default;

/** The first 8 bytes of every compound file (MS-CFB 2.2): .msg, and old Office .doc/.xls too. */
const COMPOUND_FILE_SIGNATURE = Buffer.from('d0cf11e0a1b11ae1', 'hex');

export function isCompoundFile(raw: Buffer): boolean {
  return raw.subarray(0, 8).equals(COMPOUND_FILE_SIGNATURE);
}

/** HTML as readable text: block ends become line breaks, tags and entities go. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|head)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|tr|h[1-6])\s*>/gi, '\n')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/gi, ' ')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&quot;/gi, '"')
    .replace(/&#39;/gi, "'")
    .replace(/&amp;/gi, '&')
    .replace(/[ \t]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function clean(value: string | undefined): string | null {
  const v = value?.replace(/\0+$/, '').trim() ?? '';
  return v === '' ? null : v;
}

/** A header's value from the internet headers Outlook keeps with a received message. */
function header(headers: string | undefined, name: string): string | null {
  if (!headers) {
    return null;
  }
  const unfolded = headers.replace(/\r?\n[ \t]+/g, ' ');
  const m = new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(unfolded);
  return clean(m?.[1]);
}

function iso(value: string | null | undefined): string | null {
  if (!value) {
    return null;
  }
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** The sender's internet address: Exchange senders carry an X.500 name in senderEmail. */
function senderAddress(f: FieldsData): string | null {
  const candidates = [f.senderSmtpAddress, f.senderEmail, f.creatorSMTPAddress, f.lastModifierSMTPAddress];
  return candidates.map(clean).find((a) => a !== null && a.includes('@') && !a.startsWith('/')) ?? null;
}

function recipients(f: FieldsData): string | null {
  const list = (f.recipients ?? [])
    .filter((r) => r.recipType === undefined || r.recipType === 'to')
    .map((r) => {
      const address = clean(r.smtpAddress) ?? clean(r.email);
      const name = clean(r.name);
      return name && address && name !== address ? `${name} <${address}>` : (address ?? name);
    })
    .filter((x): x is string => x !== null);
  return list.length > 0 ? list.join(', ') : null;
}

function body(f: FieldsData): string {
  const text = f.body?.replace(/\r\n/g, '\n') ?? '';
  if (text.trim() !== '') {
    return text;
  }
  if (f.bodyHtml) {
    return htmlToText(f.bodyHtml);
  }
  if (f.html) {
    return htmlToText(Buffer.from(f.html).toString('utf8'));
  }
  return '';
}

/**
 * Reads an Outlook .msg file (MS-OXMSG), as desktop Outlook saves an email, into the shape an
 * .eml file gives. Never throws. A compound file that is not an Outlook email (a Word .doc, an
 * Outlook contact or meeting) is refused as not an email.
 */
export function parseOutlookMsg(raw: Buffer): ParsedEmail {
  let fields: FieldsData;
  let reader: InstanceType<typeof MsgReader>;
  try {
    const bytes = new Uint8Array(raw); // an ArrayBuffer of its own, not Node's shared pool
    reader = new MsgReader(bytes.buffer);
    fields = reader.getFileData();
  } catch {
    return { ok: false, reason: 'The file could not be read as an Outlook email: it may be damaged' };
  }
  const messageClass = clean(fields.messageClass);
  if (fields.dataType !== 'msg' || messageClass === null) {
    return {
      ok: false,
      reason: 'The file is an Office document, not an email: it has no sender, subject or date',
    };
  }
  if (!/^IPM\.Note\b/i.test(messageClass)) {
    return {
      ok: false,
      reason: 'The file is an Outlook item that is not an email (a meeting, contact or task)',
    };
  }
  const headers = fields.headers;
  const attachments: ParsedAttachment[] = [];
  try {
    (fields.attachments ?? []).forEach((a, i) => {
      const data = reader.getAttachment(a);
      attachments.push({
        filename: clean(data.fileName) ?? clean(a.fileName) ?? `attachment-${String(i + 1)}`,
        contentType: clean(a.attachMimeTag) ?? 'application/octet-stream',
        content: Buffer.from(data.content),
      });
    });
  } catch {
    return { ok: false, reason: 'An attachment in the Outlook email could not be read: it may be damaged' };
  }
  return {
    ok: true,
    messageId: clean(fields.messageId) ?? header(headers, 'Message-ID'),
    fromAddress: senderAddress(fields),
    fromName: clean(fields.senderName),
    to: recipients(fields) ?? header(headers, 'To'),
    sentAt: iso(header(headers, 'Date')) ?? iso(fields.clientSubmitTime) ?? iso(fields.messageDeliveryTime),
    subject: clean(fields.subject) ?? clean(fields.normalizedSubject) ?? '',
    bodyText: body(fields),
    attachments,
  };
}
