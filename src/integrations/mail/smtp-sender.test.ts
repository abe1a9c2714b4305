import { LETTER_COMMON } from '../../../test/support/referral-fixtures.ts';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { SMTPServer } from 'smtp-server';
import { pdfText } from '../../../test/support/pdf-text.ts';
import { startSmtpSink, type SmtpSink } from '../../../test/support/smtp-sink.ts';
import type { PlainDate } from '../../domain/calendar-date.ts';
import { acknowledgementLetter } from '../../domain/referral-letters.ts';
import { renderLetterPdf } from '../../letters/render-letter-pdf.ts';
import { createSmtpSender, SmtpSendError, type OutgoingEmail, type SmtpSettings } from './smtp-sender.ts';

const date = (s: string): PlainDate => s as PlainDate;

function settingsFor(sink: SmtpSink, overrides: Partial<SmtpSettings> = {}): SmtpSettings {
  return {
    host: '127.0.0.1',
    port: sink.port,
    secure: false,
    requireTls: false,
    user: null,
    password: null,
    accessToken: null,
    from: 'Leeds ITB Service <leedsth.itb@nhs.net>',
    rejectUnauthorized: true,
    ...overrides,
  };
}

async function letterPdf(): Promise<Buffer> {
  return renderLetterPdf(
    acknowledgementLetter({
      ...LETTER_COMMON,
      referral: { ...LETTER_COMMON.referral, ubrn: null },
      priority: 'routine',
      targetDate: date('2026-04-03'),
      targetDays: 42,
      advice: null,
    }),
    { createdAt: new Date('2026-03-03T09:00:00Z') },
  );
}

function email(pdf: Buffer, to = 'asha.patel@nhs.net'): OutgoingEmail {
  return {
    to,
    subject: 'Referral accepted: NHS number 485 777 3457',
    text: 'Please find our letter attached.\n\nLeeds Intrathecal Baclofen Service',
    attachments: [{ filename: 'referral-accepted.pdf', contentType: 'application/pdf', content: pdf }],
  };
}

/** Everything an error could show in a log: message, stack and every property. */
function everythingIn(error: unknown): string {
  return [String(error), (error as Error).stack ?? '', inspect(error, { depth: 10, showHidden: true })].join(
    '\n',
  );
}

async function sendError(promise: Promise<unknown>): Promise<SmtpSendError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof SmtpSendError, `expected SmtpSendError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the send to fail');
}

describe('SMTP sender', () => {
  describe('without login', () => {
    let sink: SmtpSink;
    before(async () => {
      sink = await startSmtpSink({ rejectRecipients: ['nobody@nhs.net'] });
    });
    after(async () => {
      await sink.close();
    });

    it('delivers a letter PDF intact, with the right subject, to and from', async () => {
      const pdf = await letterPdf();
      const sender = createSmtpSender(settingsFor(sink));
      try {
        const { messageId } = await sender.send(email(pdf));
        await sink.waitForMessages(1);
        const message = sink.messages.at(-1)!;
        assert.equal(message.from, 'leedsth.itb@nhs.net');
        assert.deepEqual(message.to, ['asha.patel@nhs.net']);
        assert.equal(message.parsed.subject, 'Referral accepted: NHS number 485 777 3457');
        assert.equal(message.parsed.from?.text, '"Leeds ITB Service" <leedsth.itb@nhs.net>');
        const to = message.parsed.to;
        assert.ok(to !== undefined && !Array.isArray(to));
        assert.equal(to.text, 'asha.patel@nhs.net');
        assert.equal(message.parsed.messageId, messageId);
        assert.equal(
          message.parsed.text?.trim(),
          'Please find our letter attached.\n\nLeeds Intrathecal Baclofen Service',
        );
        assert.equal(message.parsed.attachments.length, 1);
        const attachment = message.parsed.attachments[0]!;
        assert.equal(attachment.filename, 'referral-accepted.pdf');
        assert.equal(attachment.contentType, 'application/pdf');
        assert.ok(attachment.content.equals(pdf), 'same bytes');
        assert.match(pdfText(attachment.content), /We have accepted it\./);
      } finally {
        sender.close();
      }
    });

    it('sends several messages with one sender', async () => {
      const before = sink.messages.length;
      const sender = createSmtpSender(settingsFor(sink));
      try {
        await sender.send({ to: 'a@nhs.net', subject: 'One', text: 'one', attachments: [] });
        await sender.send({ to: 'b@nhs.net', subject: 'Two', text: 'two', attachments: [] });
        await sink.waitForMessages(before + 2);
        assert.deepEqual(
          sink.messages.slice(before).map((m) => [m.to[0], m.parsed.subject]),
          [
            ['a@nhs.net', 'One'],
            ['b@nhs.net', 'Two'],
          ],
        );
      } finally {
        sender.close();
      }
    });

    it('fails when the server refuses the recipient', async () => {
      const before = sink.messages.length;
      const sender = createSmtpSender(settingsFor(sink));
      try {
        const error = await sendError(sender.send(email(await letterPdf(), 'nobody@nhs.net')));
        assert.equal(error.code, 'EENVELOPE');
        assert.equal(error.responseCode, 550);
        assert.deepEqual(error.rejected, ['nobody@nhs.net']);
        assert.match(error.message, /127\.0\.0\.1:\d+ failed/);
        assert.equal(sink.messages.length, before);
      } finally {
        sender.close();
      }
    });

    it('fails, without waiting long, when nothing listens', async () => {
      const closed = await startSmtpSink();
      const port = closed.port;
      await closed.close();
      const sender = createSmtpSender(settingsFor(sink, { port }));
      try {
        const error = await sendError(sender.send(email(await letterPdf())));
        assert.ok(error.code === 'ECONNECTION' || error.code === 'ESOCKET', String(error.code));
      } finally {
        sender.close();
      }
    });
  });

  describe('with login', () => {
    const user = 'itb-service@nhs.net';
    const password = 'S3cret-Pa55word!';
    const accessToken = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.test-token';
    let sink: SmtpSink;
    before(async () => {
      sink = await startSmtpSink({ requireAuth: { user, password, accessToken } });
    });
    after(async () => {
      await sink.close();
    });

    it('logs in with user name and password', async () => {
      const sender = createSmtpSender(settingsFor(sink, { user, password }));
      try {
        await sender.send(email(await letterPdf()));
        await sink.waitForMessages(1);
      } finally {
        sender.close();
      }
    });

    it('logs in with an OAuth2 access token (NHSmail)', async () => {
      const before = sink.messages.length;
      const sender = createSmtpSender(settingsFor(sink, { user, accessToken }));
      try {
        await sender.send(email(await letterPdf()));
        await sink.waitForMessages(before + 1);
      } finally {
        sender.close();
      }
    });

    it('uses the From address as the OAuth2 user when no user is set', async () => {
      const before = sink.messages.length;
      const sender = createSmtpSender(settingsFor(sink, { from: `ITB <${user}>`, accessToken }));
      try {
        await sender.send(email(await letterPdf()));
        await sink.waitForMessages(before + 1);
      } finally {
        sender.close();
      }
    });

    const wrong: [string, Partial<SmtpSettings>, string][] = [
      ['a wrong password', { user, password: 'Wr0ng-Pa55word!' }, 'Wr0ng-Pa55word!'],
      ['a wrong user', { user: 'someone@nhs.net', password }, password],
      ['a wrong token', { user, accessToken: 'expired-token-abc123' }, 'expired-token-abc123'],
    ];
    for (const [name, overrides, secret] of wrong) {
      it(`fails with ${name}, and the error does not contain the secret`, async () => {
        const before = sink.messages.length;
        const sender = createSmtpSender(settingsFor(sink, overrides));
        try {
          const error = await sendError(sender.send(email(await letterPdf())));
          assert.equal(error.code, 'EAUTH');
          const shown = everythingIn(error);
          assert.ok(!shown.includes(secret), shown);
          assert.ok(!shown.includes(Buffer.from(secret).toString('base64')), shown);
          assert.equal(sink.messages.length, before);
        } finally {
          sender.close();
        }
      });
    }

    it('fails when the server needs a login and none is configured', async () => {
      const sender = createSmtpSender(settingsFor(sink));
      try {
        const error = await sendError(sender.send(email(await letterPdf())));
        assert.ok(error.responseCode !== null && error.responseCode >= 500, String(error.responseCode));
      } finally {
        sender.close();
      }
    });
  });

  it('removes a secret that the server echoes back in its reply', async () => {
    // A badly behaved server that quotes the credentials in its refusal.
    const server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      disableReverseLookup: true,
      logger: false,
      closeTimeout: 1000,
      onAuth(auth, _session, callback) {
        const secret = auth.password ?? auth.accessToken ?? '';
        const echoed = `${secret} ${Buffer.from(secret).toString('base64')} ${Buffer.from(`\u0000${auth.username ?? ''}\u0000${secret}`).toString('base64')}`;
        callback(Object.assign(new Error(`Refused ${echoed}`), { responseCode: 535 }));
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.server.address();
    assert.ok(address !== null && typeof address === 'object');
    const password = 'Echo-Me-Pa55word';
    const sender = createSmtpSender({
      host: '127.0.0.1',
      port: address.port,
      secure: false,
      requireTls: false,
      user: 'itb@nhs.net',
      password,
      accessToken: null,
      from: 'itb@nhs.net',
      rejectUnauthorized: true,
    });
    try {
      const error = await sendError(
        sender.send({ to: 'a@nhs.net', subject: 's', text: 't', attachments: [] }),
      );
      assert.match(error.message, /Refused \[redacted\] \[redacted\] \[redacted\]/);
      const shown = everythingIn(error);
      assert.ok(!shown.includes(password), shown);
      assert.ok(!shown.includes(Buffer.from(password).toString('base64')), shown);
    } finally {
      sender.close();
      await new Promise<void>((resolve) => {
        server.close(resolve);
      });
    }
  });

  it('refuses to send in the clear when TLS is required', async () => {
    const sink = await startSmtpSink();
    const sender = createSmtpSender(settingsFor(sink, { requireTls: true }));
    try {
      const error = await sendError(sender.send(email(await letterPdf())));
      assert.equal(sink.messages.length, 0);
      assert.ok(error.code !== null);
    } finally {
      sender.close();
      await sink.close();
    }
  });
});
