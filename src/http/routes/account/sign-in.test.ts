import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { generate } from 'otplib';
import { composeApp } from '../../../compose.ts';
import { loadConfig } from '../../../config.ts';
import { buildApp } from '../../app.ts';
import { DIALECTS } from '../../../../test/support/databases.ts';
import {
  addTestUser,
  Browser,
  PASSWORD,
  SESSION_COOKIE,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';

async function auditActions(t: TestApp, n: number): Promise<string[]> {
  const rows = await t.deps.database.db
    .selectFrom('audit_events')
    .select(['action', 'outcome'])
    .orderBy('seq', 'desc')
    .limit(n)
    .execute();
  return rows.map((r) => `${r.action}:${r.outcome}`);
}

for (const dialect of DIALECTS) {
  describe(`sign-in and sessions on ${dialect}`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(dialect);
      await addTestUser(t, 'nurse-specialist', 'nia');
      await addTestUser(t, 'consultant', 'cas');
    });
    afterEach(async () => {
      await t.close();
    });

    it('signs in, issuing a new session id (never the one the browser had) and auditing it', async () => {
      const b = new Browser(t);
      b.cookies.set(SESSION_COOKIE, 'planted-by-an-attacker');
      const res = await b.signIn('nia');
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/');
      const sid = b.cookies.get(SESSION_COOKIE);
      assert.ok(sid && sid !== 'planted-by-an-attacker' && sid.length >= 40);
      assert.equal((await b.get('/patients')).statusCode, 200);
      const cookie =
        ([res.headers['set-cookie']].flat() as string[]).find((c) => c.startsWith(SESSION_COOKIE)) ?? '';
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /Secure/);
      assert.match(cookie, /SameSite=Lax/);
      assert.deepEqual(await auditActions(t, 1), ['auth.sign-in:success']);
    });

    it('stores only a hash of the session id', async () => {
      const b = new Browser(t);
      await b.signIn('nia');
      const sid = b.cookies.get(SESSION_COOKIE) ?? '';
      const row = await t.deps.database.db
        .selectFrom('sessions')
        .selectAll()
        .where('id_hash', '=', sid)
        .executeTakeFirst();
      assert.equal(row, undefined);
    });

    it('says the same thing for an unknown user and a wrong password, naming the field', async () => {
      const b = new Browser(t);
      const unknown = await b.post('/sign-in', { username: 'nobody', password: 'whatever-password' });
      const wrong = await b.post('/sign-in', { username: 'cas', password: 'wrong-password-here' });
      for (const res of [unknown, wrong]) {
        assert.equal(res.statusCode, 401);
        assert.match(res.body, /The username or password is not right/);
        assert.match(res.body, /href="#username"/);
      }
      assert.deepEqual(await auditActions(t, 2), ['auth.sign-in:failure', 'auth.sign-in:failure']);
    });

    it('asks for both fields when they are empty', async () => {
      const res = await new Browser(t).post('/sign-in', { username: '', password: '' });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /Enter your username/);
      assert.match(res.body, /Enter your password/);
    });

    it('throttles an account after repeated failures, with Retry-After, and lets it in again later', async () => {
      await addTestUser(t, 'physiotherapist', 'pat');
      const b = new Browser(t);
      for (let i = 0; i < 5; i++) {
        assert.equal(
          (await b.post('/sign-in', { username: 'pat', password: `wrong-password-${i}` })).statusCode,
          401,
        );
      }
      const blocked = await b.signIn('pat');
      assert.equal(blocked.statusCode, 429);
      assert.ok(Number(blocked.headers['retry-after']) > 0);
      assert.match(blocked.body, /Too many failed sign-in attempts/);
      t.clock.advanceSeconds(31);
      assert.equal((await b.signIn('pat')).statusCode, 303, 'no permanent lock-out');
    });

    it('ends a session after the idle time-out and after the absolute time-out', async () => {
      const b = new Browser(t);
      await b.signIn('cas');
      t.clock.advanceSeconds(29 * 60);
      assert.equal((await b.get('/patients')).statusCode, 200);
      t.clock.advanceSeconds(30 * 60);
      assert.equal((await b.get('/patients')).headers.location, '/sign-in?next=%2Fpatients');

      const c = new Browser(t);
      await c.signIn('cas');
      for (let i = 0; i < 25; i++) {
        t.clock.advanceSeconds(29 * 60);
        await c.get('/patients');
      }
      assert.equal((await c.get('/patients')).statusCode, 303, 'ended at 12 hours even though busy');
    });

    it('signing out ends every session of the account', async () => {
      const laptop = new Browser(t);
      const ward = new Browser(t);
      await laptop.signIn('nia');
      await ward.signIn('nia');
      const res = await laptop.post('/sign-out', {}, '/sign-out');
      assert.equal(res.headers.location, '/sign-in?signedOut=1');
      assert.equal((await ward.get('/patients')).statusCode, 303);
      assert.equal((await laptop.get('/patients')).statusCode, 303);
    });

    it('changing the password ends every session and needs the current password', async () => {
      await addTestUser(t, 'booking-coordinator', 'bob');
      const a = new Browser(t);
      const other = new Browser(t);
      await a.signIn('bob');
      await other.signIn('bob');
      const bad = await a.post(
        '/account/password',
        {
          currentPassword: 'not-it-at-all',
          newPassword: 'another-long-password',
          confirmPassword: 'another-long-password',
        },
        '/account/password',
      );
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Your current password is not right/);
      const ok = await a.post(
        '/account/password',
        {
          currentPassword: PASSWORD,
          newPassword: 'another-long-password',
          confirmPassword: 'another-long-password',
        },
        '/account/password',
      );
      assert.equal(ok.headers.location, '/sign-in?passwordChanged=1');
      assert.equal((await other.get('/patients')).statusCode, 303);
      assert.equal((await new Browser(t).signIn('bob', 'another-long-password')).headers.location, '/');
    });

    it('a second factor: enrol, then sign-in needs a code, and a code works once', async () => {
      const user = await addTestUser(t, 'consultant', 'totp.user');
      const b = new Browser(t);
      await b.signIn('totp.user');
      const page = await b.get('/account/two-factor');
      const secret = /id="totp-secret">([A-Z2-7]+)</.exec(page.body)?.[1] ?? '';
      const epoch = () => Math.floor(t.clock.now().getTime() / 1000);
      const wrong = await b.post(
        '/account/two-factor',
        { currentPassword: PASSWORD, code: '000000' },
        '/account',
      );
      assert.equal(wrong.statusCode, 400);
      const enrolled = await b.post(
        '/account/two-factor',
        { currentPassword: PASSWORD, code: await generate({ secret, epoch: epoch() }) },
        '/account',
      );
      assert.equal(enrolled.statusCode, 303);

      t.clock.advanceSeconds(60);
      const c = new Browser(t);
      const step1 = await c.signIn('totp.user');
      assert.match(String(step1.headers.location), /^\/sign-in\/code/);
      assert.equal((await c.get('/patients')).headers.location, '/sign-in/code', 'no access before the code');
      const code = await generate({ secret, epoch: epoch() });
      const step2 = await c.post('/sign-in/code', { code, next: '/' }, '/sign-in/code');
      assert.equal(step2.headers.location, '/');
      assert.equal((await c.get('/patients')).statusCode, 200);

      const d = new Browser(t);
      await d.signIn('totp.user');
      const replay = await d.post('/sign-in/code', { code, next: '/' }, '/sign-in/code');
      assert.equal(replay.statusCode, 400, 'the same code is refused a second time');
      assert.match(replay.body, /already been used/);
      assert.ok(user.id);
    });

    if (dialect === 'postgres') {
      it('a session made by one service instance is honoured by another on the same database', async () => {
        const second = await composeApp(loadConfig({}), {
          clock: t.clock,
          database: t.database.openAnother(),
          migrate: false,
        });
        const app2 = await buildApp(second, { logger: false });
        const b = new Browser(t);
        await b.signIn('cas');
        const res = await app2.inject({
          url: '/patients',
          headers: { cookie: `${SESSION_COOKIE}=${b.cookies.get(SESSION_COOKIE) ?? ''}` },
        });
        assert.equal(res.statusCode, 200);
        await app2.close();
      });
    }
  });
}

describe('second factor required by role', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
    await addTestUser(t, 'administrator', 'ada');
    await addTestUser(t, 'consultant', 'cas');
  });
  afterEach(async () => {
    await t.close();
  });

  it('an administrator requires it for consultants, who must then enrol before anything else', async () => {
    const admin = new Browser(t);
    await admin.signIn('ada');
    const saved = await admin.post('/admin/security', { roles: ['consultant'] }, '/admin/security');
    assert.equal(saved.headers.location, '/admin/security?saved=1');
    const bad = await admin.post('/admin/security', { roles: ['wizard'] }, '/admin/security');
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Unknown role: wizard/);

    const c = new Browser(t);
    const res = await c.signIn('cas');
    assert.equal(res.headers.location, '/account/two-factor');
    assert.equal((await c.get('/patients')).headers.location, '/account/two-factor');
  });
});
