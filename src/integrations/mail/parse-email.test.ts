import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseEmail, type ParseEmailOptions, type ParsedEmail } from './parse-email.ts';

const fixture = (name: string): Buffer =>
  readFileSync(new URL(`../../../test/fixtures/email/${name}`, import.meta.url));

type Parsed = Extract<ParsedEmail, { ok: true }>;

async function parsed(raw: Buffer): Promise<Parsed> {
  const r = await parseEmail(raw);
  if (!r.ok) {
    assert.fail(`expected the message to be read, but: ${r.reason}`);
  }
  return r;
}

async function refused(raw: Buffer, options?: ParseEmailOptions): Promise<string> {
  const r = await parseEmail(raw, options);
  if (r.ok) {
    assert.fail('expected the message to be refused');
  }
  return r.reason;
}

/** Deterministic bytes that are not an email: a small linear congruential generator. */
function garbage(length: number): Buffer {
  const b = Buffer.alloc(length);
  let x = 12345;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    b[i] = x >>> 16;
  }
  return b;
}

describe('parsing an email', () => {
  it('reads a referral with a PDF attachment', async () => {
    const m = await parsed(fixture('referral-with-pdf.eml'));
    assert.equal(m.messageId, '<CAB12345.referral-1@mail.nhs.net>');
    assert.equal(m.fromAddress, 'jane.consultant@nhs.net');
    assert.equal(m.fromName, 'Dr Jane Consultant');
    assert.equal(m.to, '"ITB Service" <itb.referrals@nhs.net>');
    assert.equal(m.sentAt, '2026-11-24T09:15:02.000Z');
    assert.equal(m.subject, 'ITB referral: NHS 485 777 3457');
    assert.match(m.bodyText, /^Dear ITB team,\n/);
    assert.match(m.bodyText, /NHS number: 485 777 3457/);
    assert.equal(m.attachments.length, 2);
    const [pdf, unnamed] = m.attachments;
    assert.ok(pdf && unnamed);
    assert.equal(pdf.filename, 'referral letter.pdf');
    assert.equal(pdf.contentType, 'application/pdf');
    assert.ok(Buffer.isBuffer(pdf.content));
    assert.equal(pdf.content.subarray(0, 8).toString('latin1'), '%PDF-1.4');
    assert.equal(pdf.content.length, 142);
    assert.equal(unnamed.filename, 'attachment-2', 'an attachment without a name is given one');
    assert.deepEqual(unnamed.content, Buffer.from([0, 1, 2, 3, 4, 5, 6, 7]));
  });

  it('converts an HTML-only message to text', async () => {
    const m = await parsed(fixture('html-only.eml'));
    assert.equal(m.fromAddress, 'rob.neurologist@nhs.net');
    assert.equal(m.fromName, null);
    assert.equal(m.to, 'itb.referrals@nhs.net, "ITB Team" <itb.team@nhs.net>');
    assert.equal(m.sentAt, '2026-11-25T13:30:00.000Z', 'the +0100 offset is converted to UTC');
    assert.match(m.bodyText, /Dear colleagues,/);
    assert.match(m.bodyText, /943\s476\s5919/);
    assert.match(m.bodyText, /Please assess for intrathecal baclofen\./);
    assert.doesNotMatch(m.bodyText, /<|>|color: red/, 'no tags or styles are left');
    assert.deepEqual(m.attachments, []);
  });

  it('reads a message with no Message-ID', async () => {
    const m = await parsed(fixture('no-message-id.eml'));
    assert.equal(m.messageId, null);
    assert.equal(m.subject, 'No message id here');
    assert.equal(m.fromName, 'Outlook User');
    assert.equal(m.sentAt, '2026-11-26T08:00:00.000Z');
  });

  it('decodes a UTF-8 encoded-word subject and a quoted-printable body', async () => {
    const m = await parsed(fixture('utf8-subject.eml'));
    assert.equal(m.subject, 'Referral – Zoë Müller, spasticity ✓');
    assert.equal(m.fromName, 'Dr Zoë O’Brien');
    assert.equal(m.sentAt, '2026-11-27T21:45:10.000Z');
    assert.equal(m.bodyText, 'Patient: Zoë Müller – NHS 485-777-3457\nCafé au lait spots noted.\n');
  });

  it('trims the Message-ID and keeps its angle brackets', async () => {
    const m = await parsed(Buffer.from('Message-ID:   <abc@host>  \r\nSubject: x\r\n\r\nbody\r\n'));
    assert.equal(m.messageId, '<abc@host>');
  });

  it('gives no sent time when the Date header is missing or not a date', async () => {
    // mailparser itself would put the current time in for an invalid date.
    const noDate = await parsed(Buffer.from('From: a@example.com\r\nSubject: x\r\n\r\nbody\r\n'));
    assert.equal(noDate.sentAt, null);
    const badDate = await parsed(Buffer.from('From: a@example.com\r\nDate: last Tuesday\r\n\r\nbody\r\n'));
    assert.equal(badDate.sentAt, null);
  });

  it('gives empty strings and nulls for a message with only a From header', async () => {
    const m = await parsed(Buffer.from('From: a@example.com\r\n\r\n'));
    assert.deepEqual(m, {
      ok: true,
      messageId: null,
      fromAddress: 'a@example.com',
      fromName: null,
      to: null,
      sentAt: null,
      subject: '',
      bodyText: '',
      attachments: [],
    });
  });

  it('refuses binary garbage', async () => {
    assert.match(await refused(garbage(4096)), /no email headers/);
  });

  it('refuses a PDF renamed to .eml', async () => {
    assert.match(await refused(fixture('pdf-renamed.eml')), /not an email/);
  });

  it('refuses an empty file', async () => {
    assert.equal(await refused(Buffer.alloc(0)), 'The file is empty');
  });

  it('refuses a message over the size limit without parsing it', async () => {
    const raw = fixture('referral-with-pdf.eml');
    assert.equal(
      await refused(raw, { maxBytes: 1024 }),
      'The email is too large to read: it is 2 KB and the limit is 1 KB',
    );
    assert.equal((await parseEmail(raw, { maxBytes: raw.length })).ok, true, 'exactly at the limit is fine');
  });

  it('states the default 25 MB limit', async () => {
    const raw = Buffer.alloc(25 * 1024 * 1024 + 1, 'a');
    assert.equal(await refused(raw), 'The email is too large to read: it is 25.1 MB and the limit is 25 MB');
  });

  it('refuses a message that mailparser cannot parse', async () => {
    // A header block over mailparser's 1 MB limit makes it fail.
    const raw = Buffer.from(`Subject: ${'a'.repeat(2 * 1024 * 1024)}\r\n\r\nbody\r\n`);
    assert.match(await refused(raw), /could not be read as an email/);
  });
});
