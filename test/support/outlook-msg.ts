import { burn, type Entry } from '@kenjiuno/msgreader/lib/Burner.js';
import { TypeEnum } from '@kenjiuno/msgreader/lib/Reader.js';

/**
 * Builds a small Outlook .msg file (MS-OXMSG: a compound file of MAPI properties), as desktop
 * Outlook writes with "Save as", so tests need no binary fixture. The compound file is written
 * by the Burner that ships with @kenjiuno/msgreader; the property streams follow MS-OXMSG 2.4:
 * variable-length properties in `__substg1.0_<tag>` streams (PT_UNICODE 001F as UTF-16LE,
 * PT_BINARY 0102), fixed-length ones (PT_SYSTIME 0040) in `__properties_version1.0`.
 */
export interface MsgAttachment {
  readonly filename: string;
  readonly contentType: string;
  readonly content: Buffer;
}

export interface MsgOptions {
  readonly subject?: string;
  readonly senderName?: string;
  readonly senderEmail?: string;
  /** Plain text body (PidTagBody). */
  readonly body?: string;
  /** HTML body (PidTagHtml), for a message saved with no plain text part. */
  readonly html?: string;
  /** When the message was sent (PidTagClientSubmitTime). */
  readonly sentAt?: Date;
  /** Internet headers Outlook keeps for a received message (PidTagTransportMessageHeaders). */
  readonly transportHeaders?: string;
  readonly attachments?: readonly MsgAttachment[];
}

const { ROOT, DIRECTORY, DOCUMENT } = TypeEnum;

const unicode = (s: string): Buffer => Buffer.from(s, 'utf16le');

/** 100-nanosecond intervals since 1 January 1601, little-endian in 8 bytes. */
function fileTime(d: Date): Buffer {
  const ticks = (BigInt(d.getTime()) + 11_644_473_600_000n) * 10_000n;
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(ticks);
  return b;
}

/** A property stream: the header (32 bytes at the top level, 8 below), then 16-byte entries. */
function propertiesStream(headerBytes: number, fixed: readonly [number, Buffer][], counts?: Buffer): Buffer {
  const header = Buffer.alloc(headerBytes);
  counts?.copy(header, 8);
  const entries = fixed.map(([tag, value]) => {
    const e = Buffer.alloc(16);
    e.writeUInt32LE(tag, 0);
    e.writeUInt32LE(0x06, 4); // readable, writable
    value.copy(e, 8);
    return e;
  });
  return Buffer.concat([header, ...entries]);
}

export function buildOutlookMsg(options: MsgOptions): Buffer {
  const entries: Entry[] = [{ name: 'Root Entry', type: ROOT, length: 0, children: [] }];
  const add = (parent: number, entry: Entry): number => {
    entries.push(entry);
    const index = entries.length - 1;
    entries[parent]?.children?.push(index);
    return index;
  };
  const stream = (parent: number, name: string, data: Buffer): void => {
    // A copy with a buffer of its own: the burner reads the whole underlying ArrayBuffer, and
    // small Buffers share Node's pool.
    const bytes = new Uint8Array(data);
    add(parent, { name, type: DOCUMENT, length: bytes.length, binaryProvider: () => bytes });
  };
  const text = (parent: number, tag: string, value: string | undefined): void => {
    if (value !== undefined) {
      stream(parent, `__substg1.0_${tag}001F`, unicode(value));
    }
  };
  const attachments = options.attachments ?? [];
  const counts = Buffer.alloc(16);
  counts.writeUInt32LE(attachments.length, 4); // next attachment id
  counts.writeUInt32LE(attachments.length, 12); // attachment count
  const fixed: [number, Buffer][] = options.sentAt
    ? [
        [0x00390040, fileTime(options.sentAt)],
        [0x0e060040, fileTime(options.sentAt)],
      ]
    : [];
  stream(0, '__properties_version1.0', propertiesStream(32, fixed, counts));
  text(0, '001A', 'IPM.Note');
  text(0, '0037', options.subject);
  text(0, '0C1A', options.senderName);
  text(0, '0C1F', options.senderEmail);
  text(0, '0065', options.senderEmail);
  text(0, '1000', options.body);
  text(0, '007D', options.transportHeaders);
  if (options.html !== undefined) {
    stream(0, '__substg1.0_10130102', Buffer.from(options.html, 'utf8'));
  }
  attachments.forEach((a, i) => {
    const dir = add(0, {
      name: `__attach_version1.0_#${i.toString(16).toUpperCase().padStart(8, '0')}`,
      type: DIRECTORY,
      length: 0,
      children: [],
    });
    const method = Buffer.alloc(8);
    method.writeUInt32LE(1); // ATTACH_BY_VALUE
    stream(dir, '__properties_version1.0', propertiesStream(8, [[0x37050003, method]]));
    text(dir, '3707', a.filename);
    text(dir, '3704', a.filename.slice(0, 12));
    text(dir, '370E', a.contentType);
    stream(dir, '__substg1.0_37010102', a.content);
  });
  return Buffer.from(burn(entries));
}
