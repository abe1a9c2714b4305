import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { burn } from '@kenjiuno/msgreader/lib/Burner.js';
import { TypeEnum } from '@kenjiuno/msgreader/lib/Reader.js';
import { buildOutlookMsg } from '../../../test/support/outlook-msg.ts';
import { readEmailFile } from './email-file.ts';
import { htmlToText, parseOutlookMsg } from './parse-msg.ts';
import type { ParsedEmail } from './parse-email.ts';

type Parsed = Extract<ParsedEmail, { ok: true }>;

function parsed(raw: Buffer): Parsed {
  const r = parseOutlookMsg(raw);
  if (!r.ok) {
    assert.fail(`expected the .msg to be read, but: ${r.reason}`);
  }
  return r;
}

function reasonOf(r: ParsedEmail): string {
  if (r.ok) {
    assert.fail('expected the file to be refused');
  }
  return r.reason;
}

describe('reading an Outlook .msg file', () => {
  it('gives sender, subject, date, body and attachments, as an .eml does', () => {
    const m = parsed(
      buildOutlookMsg({
        subject: 'Referral – Zoë Müller',
        senderName: 'Dr Zoë O’Brien',
        senderEmail: 'zoe.obrien@nhs.net',
        body: 'Dear team,\r\nNHS number 485 777 3457.\r\n',
        sentAt: new Date('2026-11-27T21:45:10Z'),
        attachments: [
          { filename: 'letter.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.4 x') },
        ],
      }),
    );
    assert.equal(m.subject, 'Referral – Zoë Müller');
    assert.equal(m.fromName, 'Dr Zoë O’Brien');
    assert.equal(m.fromAddress, 'zoe.obrien@nhs.net');
    assert.equal(m.sentAt, '2026-11-27T21:45:10.000Z');
    assert.equal(m.bodyText, 'Dear team,\nNHS number 485 777 3457.\n');
    assert.equal(m.messageId, null);
    assert.deepEqual(
      m.attachments.map((a) => [a.filename, a.contentType, a.content.toString('latin1')]),
      [['letter.pdf', 'application/pdf', '%PDF-1.4 x']],
    );
  });

  it('takes the Message-ID and Date from the internet headers Outlook kept', () => {
    const m = parsed(
      buildOutlookMsg({
        subject: 'x',
        senderEmail: 'a@nhs.net',
        sentAt: new Date('2026-11-27T08:00:00Z'),
        transportHeaders:
          'Received: from mail\r\n  by relay\r\nMessage-ID: <abc.123@nhs.net>\r\nDate: Fri, 27 Nov 2026 09:15:00 +0000\r\n',
      }),
    );
    assert.equal(m.messageId, '<abc.123@nhs.net>');
    assert.equal(m.sentAt, '2026-11-27T09:15:00.000Z');
  });

  it('reads an HTML-only message as text', () => {
    const m = parsed(
      buildOutlookMsg({
        subject: 'x',
        senderEmail: 'a@nhs.net',
        html: '<html><head><style>p{color:red}</style></head><body><p>Dear colleagues,</p><p>Please assess &amp; advise.<br>Thanks</p></body></html>',
      }),
    );
    assert.equal(m.bodyText, 'Dear colleagues,\nPlease assess & advise.\nThanks');
    assert.equal(m.sentAt, null, 'no date is invented');
  });

  it('ignores an Exchange X.500 sender and takes no address rather than a wrong one', () => {
    const m = parsed(
      buildOutlookMsg({ subject: 'x', senderEmail: '/O=EXCHANGELABS/OU=EXCHANGE/CN=RECIPIENTS/CN=abc' }),
    );
    assert.equal(m.fromAddress, null);
  });

  it('refuses a compound file that is not an Outlook email (a Word .doc, say)', () => {
    const doc = Buffer.from(
      burn([
        { name: 'Root Entry', type: TypeEnum.ROOT, length: 0, children: [1] },
        {
          name: 'WordDocument',
          type: TypeEnum.DOCUMENT,
          length: 4,
          binaryProvider: () => new Uint8Array([1, 2, 3, 4]),
        },
      ]),
    );
    assert.match(reasonOf(parseOutlookMsg(doc)), /Office document, not an email/);
  });

  it('refuses a damaged .msg without throwing', () => {
    const msg = buildOutlookMsg({ subject: 'x', senderEmail: 'a@nhs.net' });
    assert.match(reasonOf(parseOutlookMsg(msg.subarray(0, 700))), /could not be read|not an email/);
  });

  it('turns HTML entities and blocks into text', () => {
    assert.equal(htmlToText('<div>a&nbsp;b</div><div>&lt;c&gt;</div>'), 'a b\n<c>');
  });
});

describe('reading an uploaded email file', () => {
  it('tells a .msg from an .eml by its content, not its name', async () => {
    const msg = await readEmailFile(buildOutlookMsg({ subject: 'From Outlook', senderEmail: 'a@nhs.net' }));
    assert.equal(msg.format, 'msg');
    assert.equal(msg.parsed.ok && msg.parsed.subject, 'From Outlook');
    const eml = await readEmailFile(Buffer.from('From: a@nhs.net\r\nSubject: Plain\r\n\r\nbody\r\n'));
    assert.equal(eml.format, 'eml');
    assert.equal(eml.parsed.ok && eml.parsed.subject, 'Plain');
  });

  it('refuses a text file whose first paragraph happens to hold "Subject:"', async () => {
    const r = await readEmailFile(Buffer.from('Clinic notes\r\nSubject: ITB\r\n\r\nbody\r\n'));
    assert.match(reasonOf(r.parsed), /no email headers/);
  });

  it('accepts an .eml saved with an mbox "From " line first', async () => {
    const r = await readEmailFile(
      Buffer.from('From - Fri Nov 27 09:15:00 2026\r\nFrom: a@nhs.net\r\nSubject: Saved\r\n\r\nbody\r\n'),
    );
    assert.equal(r.parsed.ok && r.parsed.subject, 'Saved');
  });

  it('refuses a .msg over the size limit, with the size message an .eml gets', async () => {
    const msg = buildOutlookMsg({ subject: 'x', senderEmail: 'a@nhs.net', body: 'y'.repeat(4000) });
    const r = await readEmailFile(msg, { maxBytes: 1024 });
    assert.match(reasonOf(r.parsed), /too large to read/);
  });
});
