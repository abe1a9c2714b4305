import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ImapFlow } from 'imapflow';
import { dovecotAvailable, startDovecot, type DovecotServer } from '../../../test/support/dovecot.ts';
import {
  MailboxError,
  pollMailboxOnce,
  type FetchedMessage,
  type ImapAuth,
  type ImapSettings,
  type MailboxCursor,
  type PollResult,
} from './imap-mailbox.ts';

// These tests run against a real Dovecot (Debian package dovecot-imapd). Without it they are
// skipped on a developer machine, but never in CI: there they fail.
const skip =
  !dovecotAvailable() && process.env.CI === undefined
    ? 'Dovecot is not installed (/usr/sbin/dovecot; apt-get install dovecot-imapd): IMAP tests skipped'
    : false;

function message(n: number): string {
  return [
    `Message-ID: <referral-${n}@test.nhs.net>`,
    'From: Dr Jane Consultant <jane.consultant@nhs.net>',
    'To: itb.referrals@example.nhs.uk',
    'Date: Tue, 24 Nov 2026 09:15:02 +0000',
    `Subject: Referral ${n}`,
    '',
    `Referral number ${n}.`,
    '',
  ].join('\r\n');
}

const subjectOf = (m: FetchedMessage): string => /^Subject: (.*)$/m.exec(m.raw.toString('utf8'))?.[1] ?? '';

describe('reading the referrals mailbox over IMAP', { skip }, () => {
  let server: DovecotServer;
  let stopServer: (() => Promise<void>) | undefined;
  let mailboxes = 0;

  before(async () => {
    if (!dovecotAvailable()) {
      throw new Error('Dovecot is required in CI (/usr/sbin/dovecot, Debian package dovecot-imapd)');
    }
    server = await startDovecot();
    stopServer = () => server.stop();
  });

  after(async () => {
    await stopServer?.();
  });

  /** Each test has a mailbox of its own on the shared server. */
  async function mailboxWith(count: number): Promise<string> {
    const name = `Referrals${String(++mailboxes)}`;
    if (count === 0) {
      const c = await connected();
      try {
        await c.mailboxCreate(name);
      } finally {
        await c.logout();
      }
    }
    for (let n = 1; n <= count; n++) {
      await server.append(message(n), name);
    }
    return name;
  }

  async function connected(): Promise<ImapFlow> {
    const c = new ImapFlow({
      host: server.host,
      port: server.port,
      secure: false,
      auth: { user: server.user, pass: server.password },
      logger: false,
      disableAutoIdle: true,
    });
    c.on('error', () => undefined);
    await c.connect();
    return c;
  }

  function settings(mailbox: string, auth?: ImapAuth): ImapSettings {
    return {
      host: server.host,
      port: server.port,
      secure: false,
      user: server.user,
      auth: auth ?? { kind: 'password', password: server.password },
      mailbox,
      rejectUnauthorized: true,
    };
  }

  async function poll(
    s: ImapSettings,
    cursor: MailboxCursor | null,
  ): Promise<{ result: PollResult; messages: FetchedMessage[] }> {
    const messages: FetchedMessage[] = [];
    const result = await pollMailboxOnce(s, cursor, async (m) => {
      messages.push(m);
    });
    return { result, messages };
  }

  it('signs in with a password and reads every message in UID order, leaving them unread', async () => {
    const mailbox = await mailboxWith(3);
    const { result, messages } = await poll(settings(mailbox), null);
    assert.equal(result.fetched, 3);
    assert.deepEqual(messages.map(subjectOf), ['Referral 1', 'Referral 2', 'Referral 3']);
    const uids = messages.map((m) => m.uid);
    assert.deepEqual(
      uids,
      [...uids].sort((a, b) => a - b),
      'UIDs ascend',
    );
    assert.equal(new Set(messages.map((m) => m.uidValidity)).size, 1);
    const [first] = messages;
    assert.ok(first);
    assert.equal(first.raw.toString('utf8'), message(1), 'the source comes back byte for byte');
    assert.deepEqual(result.cursor, { uidValidity: first.uidValidity, lastUid: uids[2] });

    // Nothing is flagged, moved or deleted: staff reading in Outlook see the mailbox as it was.
    const c = await connected();
    try {
      const lock = await c.getMailboxLock(mailbox, { readOnly: true });
      try {
        const seen = await c.fetchAll('1:*', { uid: true, flags: true });
        assert.equal(seen.length, 3);
        for (const m of seen) {
          // \Recent belongs to the server's session bookkeeping, not to anything a client set.
          const flags = [...(m.flags ?? [])].filter((f) => f !== '\\Recent');
          assert.deepEqual(flags, [], `UID ${String(m.uid)} is not marked read, flagged or deleted`);
        }
      } finally {
        lock.release();
      }
    } finally {
      await c.logout();
    }
  });

  it('reads nothing new on a second pass, then only a newly appended message', async () => {
    const mailbox = await mailboxWith(2);
    const first = await poll(settings(mailbox), null);
    assert.equal(first.result.fetched, 2);

    // UID range N:* still returns the highest message when N is above it: it must be skipped.
    const second = await poll(settings(mailbox), first.result.cursor);
    assert.equal(second.result.fetched, 0);
    assert.deepEqual(second.messages, []);
    assert.deepEqual(second.result.cursor, first.result.cursor);

    await server.append(message(3), mailbox);
    const third = await poll(settings(mailbox), second.result.cursor);
    assert.deepEqual(third.messages.map(subjectOf), ['Referral 3']);
    assert.equal(third.result.fetched, 1);
    assert.ok((third.result.cursor?.lastUid ?? 0) > (first.result.cursor?.lastUid ?? 0));
  });

  it('reads everything again when the mailbox UIDVALIDITY differs from the cursor', async () => {
    const mailbox = await mailboxWith(2);
    const first = await poll(settings(mailbox), null);
    const cursor = first.result.cursor;
    assert.ok(cursor);
    const stale: MailboxCursor = { uidValidity: `${cursor.uidValidity}1`, lastUid: cursor.lastUid };
    const again = await poll(settings(mailbox), stale);
    assert.deepEqual(again.messages.map(subjectOf), ['Referral 1', 'Referral 2']);
    assert.deepEqual(again.result.cursor, cursor);
  });

  it('stops at a message accept fails on and rethrows, so it is read again next time', async () => {
    const mailbox = await mailboxWith(3);
    // What accept stores durably, as the real one would in the database.
    const store: { cursor: MailboxCursor | null } = { cursor: null };
    const failure = new Error('database unavailable');
    let calls = 0;
    await assert.rejects(
      pollMailboxOnce(settings(mailbox), null, async (m) => {
        calls++;
        if (calls === 2) {
          throw failure;
        }
        store.cursor = { uidValidity: m.uidValidity, lastUid: m.uid };
      }),
      (err) => err === failure,
    );
    assert.equal(calls, 2, 'nothing after the failed message is offered');
    const afterFailure = store.cursor;
    assert.ok(afterFailure);

    const retry = await poll(settings(mailbox), afterFailure);
    assert.deepEqual(retry.messages.map(subjectOf), ['Referral 2', 'Referral 3']);
    assert.ok((retry.messages[0]?.uid ?? 0) > afterFailure.lastUid);
  });

  it('gives no cursor and reads nothing from an empty mailbox', async () => {
    const mailbox = await mailboxWith(0);
    const { result, messages } = await poll(settings(mailbox), null);
    assert.deepEqual(result, { fetched: 0, cursor: null });
    assert.deepEqual(messages, []);
  });

  it('refuses a wrong password with an error that names the server but not the password', async () => {
    const wrong = 'not-the-password-123';
    await assert.rejects(poll(settings('INBOX', { kind: 'password', password: wrong }), null), (err) => {
      assert.ok(err instanceof MailboxError);
      assert.equal(err.kind, 'authentication');
      assert.ok(err.message.includes(`${server.host}:${String(server.port)}`), err.message);
      assert.ok(err.message.includes(server.user), err.message);
      assert.ok(!err.message.includes(wrong), err.message);
      assert.ok(!JSON.stringify(err).includes(wrong));
      return true;
    });
  });

  it('signs in with an OAuth2 access token', async () => {
    const mailbox = await mailboxWith(1);
    const { result, messages } = await poll(
      settings(mailbox, { kind: 'oauth2', accessToken: server.accessToken }),
      null,
    );
    assert.equal(result.fetched, 1);
    assert.deepEqual(messages.map(subjectOf), ['Referral 1']);
    assert.match(server.logTail(5), /Login: user=<itb\.referrals@example\.nhs\.uk>, method=OAUTHBEARER/);
  });

  it('refuses a wrong access token without showing it', async () => {
    const wrong = 'wrong-token-abc';
    await assert.rejects(poll(settings('INBOX', { kind: 'oauth2', accessToken: wrong }), null), (err) => {
      assert.ok(err instanceof MailboxError);
      assert.equal(err.kind, 'authentication');
      assert.ok(err.message.includes(`${server.host}:${String(server.port)}`), err.message);
      assert.ok(err.message.includes('OAuth2'), err.message);
      assert.ok(!err.message.includes(wrong), err.message);
      return true;
    });
  });

  it('signs in with XOAUTH2 when that is the only OAuth2 mechanism (as on Microsoft 365)', async () => {
    const xoauth2 = await startDovecot({ oauth2Mechanisms: ['xoauth2'] });
    try {
      await xoauth2.append(message(1));
      const s: ImapSettings = {
        ...settings('INBOX', { kind: 'oauth2', accessToken: xoauth2.accessToken }),
        port: xoauth2.port,
        user: xoauth2.user,
      };
      const { messages } = await poll(s, null);
      assert.deepEqual(messages.map(subjectOf), ['Referral 1']);
      assert.match(xoauth2.logTail(5), /method=XOAUTH2/);
      await assert.rejects(poll({ ...s, auth: { kind: 'oauth2', accessToken: 'nope' } }, null), MailboxError);
    } finally {
      await xoauth2.stop();
    }
  });

  it('names the mailbox when it does not exist', async () => {
    await assert.rejects(poll(settings('No Such Folder'), null), (err) => {
      assert.ok(err instanceof MailboxError);
      assert.equal(err.kind, 'mailbox');
      assert.match(err.message, /"No Such Folder"/);
      assert.ok(err.message.includes(`${server.host}:${String(server.port)}`), err.message);
      return true;
    });
  });

  it('names the server when nothing listens there', async () => {
    const s = { ...settings('INBOX'), port: 1 };
    await assert.rejects(poll(s, null), (err) => {
      assert.ok(err instanceof MailboxError);
      assert.equal(err.kind, 'connection');
      assert.match(err.message, /127\.0\.0\.1:1\b/);
      assert.equal(err.code, 'ECONNREFUSED');
      assert.ok(!err.message.includes(server.password));
      return true;
    });
  });
});
