import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { dovecotAvailable, startDovecot, type DovecotServer } from '../../test/support/dovecot.ts';
import { buildReferralEmail } from '../../test/support/referral-email.ts';

const bin = fileURLToPath(new URL('../../bin/itb.js', import.meta.url));

describe('itb calc target', () => {
  const itb = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  const cases: [string[], string][] = [
    [['--received', '2026-03-02'], '2026-04-13'],
    [['--received', '2028-01-18'], '2028-02-29'],
    [['--received', '2026-10-20'], '2026-12-01'],
    [['--received', '2026-03-02', '--days', '28'], '2026-03-30'],
    // Urgent: WAIT_URGENT_TARGET_DAYS, 14 days by default.
    [['--received', '2026-03-02', '--urgent'], '2026-03-16'],
  ];
  for (const [args, target] of cases) {
    it(`${args.join(' ')} → ${target}`, () => {
      const r = itb(['calc', 'target', ...args, '--json']);
      assert.equal(r.status, 0, r.stderr);
      const parsed = JSON.parse(r.stdout) as { targetDate: string; warnings: unknown };
      assert.equal(parsed.targetDate, target);
      // Every `itb calc … --json` carries `warnings`; a target date has none.
      assert.deepEqual(parsed.warnings, []);
    });
  }
  it('names the flag when a value is wrong', () => {
    const bad = itb(['calc', 'target', '--received', '2026-02-30', '--json']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--received: must be a real date/);
    const days = itb(['calc', 'target', '--received', '2026-02-01', '--days', 'six']);
    assert.equal(days.status, 2);
    assert.match(days.stderr, /--days: must be a whole number/);
  });
});

const skip =
  !dovecotAvailable() && process.env.CI === undefined
    ? 'Dovecot is not installed (apt-get install dovecot-imapd): mailbox CLI tests skipped'
    : false;

describe('itb intake and jobs', { skip }, () => {
  let dir = '';
  let env: NodeJS.ProcessEnv = {};
  let dovecot: DovecotServer;
  const itb = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
    spawnSync(process.execPath, [bin, ...args], { env: { ...env, ...extra }, encoding: 'utf8' });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'itb-intake-cli-'));
    env = { ...process.env, DATABASE_URL: `sqlite:${join(dir, 'itb.sqlite')}` };
    dovecot = await startDovecot();
  });
  after(async () => {
    await dovecot.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports an .eml file once, and keeps one it cannot read', async () => {
    const file = join(dir, 'referral.eml');
    writeFileSync(file, await buildReferralEmail({ messageId: '<cli-1@nhs.net>' }));
    const first = itb(['intake', 'import', file]);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /Imported as .*: ready to confirm/);
    const again = itb(['intake', 'import', file]);
    assert.match(again.stdout, /Already in the intake/);
    const junk = join(dir, 'junk.eml');
    writeFileSync(junk, Buffer.from([0, 159, 146, 150, 0, 1]));
    const kept = itb(['intake', 'import', junk]);
    assert.equal(kept.status, 0, kept.stderr);
    assert.match(kept.stdout, /kept, but it could not be read/);
    const missing = itb(['intake', 'import', join(dir, 'nope.eml')]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /FILE: cannot read/);
  });

  it('polls the mailbox once per call, reading each message once', async () => {
    const imapEnv = {
      IMAP_HOST: dovecot.host,
      IMAP_PORT: String(dovecot.port),
      IMAP_SECURE: 'false',
      IMAP_USER: dovecot.user,
      IMAP_PASSWORD: dovecot.password,
    };
    assert.match(itb(['intake', 'poll']).stderr, /mailbox is not configured/);
    await dovecot.append(await buildReferralEmail({ messageId: '<poll-1@nhs.net>' }));
    await dovecot.append(Buffer.from('this is not an email at all'));
    const first = itb(['intake', 'poll'], imapEnv);
    assert.equal(first.status, 0, first.stderr);
    assert.match(
      first.stdout,
      /Read 2 new messages: 2 added to the intake, 0 already there, 1 could not be read/,
    );
    const second = itb(['intake', 'poll'], imapEnv);
    assert.match(second.stdout, /Read 0 new messages/);
    await dovecot.append(await buildReferralEmail({ messageId: '<cli-1@nhs.net>' }));
    const third = itb(['intake', 'poll'], imapEnv);
    assert.match(third.stdout, /Read 1 new message: 0 added to the intake, 1 already there/);
    const wrong = itb(['intake', 'poll'], { ...imapEnv, IMAP_PASSWORD: 'wrong-password' });
    assert.equal(wrong.status, 1);
    assert.doesNotMatch(wrong.stderr, /wrong-password/);
  });

  it('runs the daily check once a day', () => {
    const first = itb(['jobs', 'daily-check', '--json']);
    assert.equal(first.status, 0, first.stderr);
    assert.equal((JSON.parse(first.stdout) as { ran: boolean }).ran, true);
    const again = itb(['jobs', 'daily-check', '--json']);
    assert.equal((JSON.parse(again.stdout) as { ran: boolean }).ran, false);
  });
});
