import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

describe('referral and mail configuration', () => {
  it('defaults to the 42-day target from the date received, due soon at 7 days, and no mail', () => {
    const c = loadConfig({});
    assert.deepEqual(c.waiting, { targetDays: 42, dueSoonDays: 7, clockStart: 'received' });
    assert.equal(c.triageAlertWorkingDays, 5);
    assert.equal(c.imap, null);
    assert.equal(c.smtp, null);
  });

  it('reads the mailbox with a password or an OAuth2 token file, never both', () => {
    const base = { IMAP_HOST: 'outlook.office365.com', IMAP_USER: 'itb@nhs.net' };
    assert.deepEqual(loadConfig({ ...base, IMAP_ACCESS_TOKEN_FILE: '/run/token' }).imap?.auth, {
      kind: 'oauth2',
      accessTokenFile: '/run/token',
    });
    assert.equal(loadConfig({ ...base, IMAP_PASSWORD: 'x' }).imap?.port, 993);
    assert.throws(
      () => loadConfig({ ...base, IMAP_PASSWORD: 'x', IMAP_ACCESS_TOKEN_FILE: '/t' }),
      ConfigError,
    );
    assert.throws(() => loadConfig(base), /IMAP_USER and IMAP_PASSWORD or IMAP_ACCESS_TOKEN_FILE/);
  });

  const bad: [Record<string, string>, RegExp][] = [
    [{ WAIT_CLOCK_START: 'triaged' }, /WAIT_CLOCK_START must be received or accepted/],
    [{ WAIT_TARGET_DAYS: '0' }, /WAIT_TARGET_DAYS must be a whole number/],
    [{ WAIT_DUE_SOON_DAYS: '42' }, /WAIT_DUE_SOON_DAYS \(42\) must be less than WAIT_TARGET_DAYS \(42\)/],
    [{ SERVICE_CLOSED_DAYS: '2026-12-24,24/12/2026' }, /SERVICE_CLOSED_DAYS must list dates/],
    [{ DAILY_CHECK_TIME: '7am' }, /DAILY_CHECK_TIME must be a 24-hour time/],
    [{ SMTP_HOST: 'smtp.office365.com' }, /set SMTP_FROM/],
    [{ SMTP_HOST: 'h', SMTP_FROM: 'a@b.nhs.net', SMTP_PASSWORD: 'x' }, /set SMTP_USER too/],
  ];
  for (const [env, message] of bad) {
    it(`refuses ${JSON.stringify(env)}, naming the setting`, () => {
      assert.throws(() => loadConfig(env), message);
    });
  }
});
