import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { generate } from 'otplib';
import { ConfigError, loadConfig } from '../../../config.ts';
import { findUserByUsername } from '../../../storage/users.repository.ts';
import { DIALECTS } from '../../../../test/support/databases.ts';
import {
  addTestUser,
  apiTokenFor,
  Browser,
  PASSWORD,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';

interface ApiError {
  error: { code: string; message: string; details: { reason?: string } };
}

describe('API_TOKEN_LIFETIME_DAYS', () => {
  it('defaults to 90 days and refuses a value outside 1 to 366', () => {
    assert.equal(loadConfig({}).apiTokenLifetimeDays, 90);
    assert.equal(loadConfig({ API_TOKEN_LIFETIME_DAYS: '30' }).apiTokenLifetimeDays, 30);
    assert.throws(() => loadConfig({ API_TOKEN_LIFETIME_DAYS: '0' }), ConfigError);
    assert.throws(() => loadConfig({ API_TOKEN_LIFETIME_DAYS: '400' }), /API_TOKEN_LIFETIME_DAYS/);
  });
});

for (const dialect of DIALECTS) {
  describe(`API tokens end with the credentials behind them on ${dialect}`, () => {
    let t: TestApp;
    let admin: Browser;

    const api = (token: string) =>
      t.app.inject({ url: '/api/v1/worklist', headers: { authorization: `Bearer ${token}` } });
    async function refusal(token: string): Promise<ApiError['error']> {
      const res = await api(token);
      assert.equal(res.statusCode, 401, res.body);
      const body = res.json<ApiError>();
      assert.equal(body.error.code, 'UNAUTHENTICATED');
      return body.error;
    }
    async function versionOf(username: string) {
      const user = await findUserByUsername(t.deps.database.db, username);
      assert.ok(user);
      return { id: user.id, version: String(user.version) };
    }

    beforeEach(async () => {
      t = await startTestApp(dialect);
      await addTestUser(t, 'administrator', 'ada');
      admin = new Browser(t);
      await admin.signIn('ada');
    });
    afterEach(async () => {
      await t.close();
    });

    it("the owner's password change ends their tokens", async () => {
      await addTestUser(t, 'nurse-specialist', 'changer');
      const token = await apiTokenFor(t, (await findUserByUsername(t.deps.database.db, 'changer'))!);
      assert.equal((await api(token)).statusCode, 200);
      const b = new Browser(t);
      await b.signIn('changer');
      const changed = await b.post(
        '/account/password',
        {
          currentPassword: PASSWORD,
          newPassword: 'a-fresh-ward-password-7',
          confirmPassword: 'a-fresh-ward-password-7',
        },
        '/account/password',
      );
      assert.equal(changed.statusCode, 303);
      const err = await refusal(token);
      assert.equal(err.details.reason, 'token-ended');
      assert.match(err.message, /ended because the account's password was changed/);
      await b.signIn('changer', 'a-fresh-ward-password-7');
      assert.match((await b.get('/account')).body, /Ended because the account&#39;s password was changed/);
    });

    it("an administrator's password reset ends the account's tokens", async () => {
      await addTestUser(t, 'physiotherapist', 'resetme');
      const token = await apiTokenFor(t, (await findUserByUsername(t.deps.database.db, 'resetme'))!);
      assert.equal((await api(token)).statusCode, 200);
      const { id, version } = await versionOf('resetme');
      const res = await admin.post(
        `/admin/users/${id}/password`,
        { version, password: 'a-temporary-ward-pass-3' },
        `/admin/users/${id}`,
      );
      assert.equal(res.statusCode, 303);
      assert.match((await refusal(token)).message, /an administrator reset the account's password/);
    });

    it('disabling the account ends its tokens, and enabling it again does not bring them back', async () => {
      await addTestUser(t, 'consultant', 'leaver');
      const token = await apiTokenFor(t, (await findUserByUsername(t.deps.database.db, 'leaver'))!);
      assert.equal((await api(token)).statusCode, 200);
      let { id, version } = await versionOf('leaver');
      await admin.post(`/admin/users/${id}/status`, { version, disabled: 'true' }, `/admin/users/${id}`);
      assert.match((await refusal(token)).message, /ended because the account was disabled/);
      ({ id, version } = await versionOf('leaver'));
      await admin.post(`/admin/users/${id}/status`, { version, disabled: 'false' }, `/admin/users/${id}`);
      assert.match((await refusal(token)).message, /ended because the account was disabled/);
    });

    it('while the owner must change their password, tokens do not work', async () => {
      const made = await admin.post(
        '/admin/users',
        {
          displayName: 'New Starter',
          username: 'starter',
          role: 'nurse-specialist',
          password: 'first-day-on-ward-22',
        },
        '/admin/users/new',
      );
      assert.equal(made.statusCode, 303);
      // As `itb token create` would, before the person has signed in and changed it.
      const token = await apiTokenFor(t, (await findUserByUsername(t.deps.database.db, 'starter'))!);
      const err = await refusal(token);
      assert.equal(err.details.reason, 'password-change-required');
      assert.match(err.message, /must change its password/);
    });

    it('a second factor made mandatory for the role sends sessions to set-up and stops tokens until it is set up', async () => {
      await addTestUser(t, 'booking-coordinator', 'booker');
      const token = await apiTokenFor(t, (await findUserByUsername(t.deps.database.db, 'booker'))!);
      const b = new Browser(t);
      await b.signIn('booker');
      assert.equal((await b.get('/worklist')).statusCode, 200);
      assert.equal((await api(token)).statusCode, 200);

      const saved = await admin.post(
        '/admin/security',
        { roles: ['booking-coordinator'] },
        '/admin/security',
      );
      assert.equal(saved.headers.location, '/admin/security?saved=1');
      assert.equal((await b.get('/worklist')).headers.location, '/account/two-factor');
      const err = await refusal(token);
      assert.equal(err.details.reason, 'second-factor-required');
      assert.match(err.message, /needs a second factor/);

      const setUp = await b.get('/account/two-factor');
      assert.match(setUp.body, /Your role needs a second factor/);
      const secret = /id="totp-secret">([A-Z2-7]+)</.exec(setUp.body)?.[1] ?? '';
      const enrolled = await b.post(
        '/account/two-factor',
        {
          currentPassword: PASSWORD,
          code: await generate({ secret, epoch: Math.floor(t.clock.now().getTime() / 1000) }),
        },
        '/account/two-factor',
      );
      assert.equal(enrolled.statusCode, 303);
      assert.equal((await b.get('/worklist')).statusCode, 200);
      assert.equal((await api(token)).statusCode, 200, 'the token works again once the factor is set up');
      await admin.post('/admin/security', { roles: [] }, '/admin/security');
    });

    it('an unknown token still gets the general refusal', async () => {
      const res = await api('itb_not-a-real-token-at-all-0000000000000000');
      assert.equal(res.statusCode, 401);
      assert.match(res.json<ApiError>().error.message, /Send a valid API token/);
    });

    // Last: it moves the clock on 90 days, past every session.
    it('a new token shows when it expires, works until then and is refused after, saying so', async () => {
      await addTestUser(t, 'nurse-specialist', 'expiring');
      const b = new Browser(t);
      await b.signIn('expiring');
      const page = await b.post('/account/tokens', { name: 'ward display' }, '/account');
      const token = /id="new-token">([^<]+)</.exec(page.body)?.[1] ?? '';
      assert.match(page.body, /id="new-token-expiry">It works until/);
      assert.match(page.body, /A token works for 90 days/);
      const row = await t.deps.database.db
        .selectFrom('api_tokens')
        .select(['created_at', 'expires_at'])
        .where('name', '=', 'ward display')
        .executeTakeFirstOrThrow();
      assert.equal(Date.parse(row.expires_at ?? '') - Date.parse(row.created_at), 90 * 86_400_000);

      t.clock.advanceSeconds(90 * 86_400 - 60);
      assert.equal((await api(token)).statusCode, 200, 'works on its last day');
      t.clock.advanceSeconds(60);
      const err = await refusal(token);
      assert.equal(err.details.reason, 'token-expired');
      // The time in the service's one style, never a raw ISO timestamp.
      assert.match(err.message, /This API token expired on \d{1,2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2}\./);
      assert.doesNotMatch(err.message, /\d{4}-\d{2}-\d{2}T/);
      // The refusal is audited with its reason.
      const audited = await t.deps.database.db
        .selectFrom('audit_events')
        .select('details')
        .where('action', '=', 'auth.token-refused')
        .orderBy('seq', 'desc')
        .executeTakeFirstOrThrow();
      const details: unknown =
        typeof audited.details === 'string' ? JSON.parse(audited.details) : audited.details;
      assert.equal((details as { reason?: string }).reason, 'token-expired');
      await b.signIn('expiring');
      assert.match((await b.get('/account')).body, /Expired/);
    });
  });
}
