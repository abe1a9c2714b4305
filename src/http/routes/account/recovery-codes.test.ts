import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { generate } from 'otplib';
import { DIALECTS } from '../../../../test/support/databases.ts';
import {
  addTestUser,
  Browser,
  PASSWORD,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';

const shownSecret = (body: string) => /id="totp-secret">([A-Z2-7]+)</.exec(body)?.[1] ?? '';
const shownCodes = (body: string) =>
  [...body.matchAll(/<li class="app-token">([2-9A-Z-]+)<\/li>/g)].map((m) => m[1] ?? '');

for (const dialect of DIALECTS) {
  describe(`second factor: QR code, recovery codes and an administrator's reset, on ${dialect}`, () => {
    let t: TestApp;
    const codeFor = (secret: string) =>
      generate({ secret, epoch: Math.floor(t.clock.now().getTime() / 1000) });

    beforeEach(async () => {
      t = await startTestApp(dialect);
      await addTestUser(t, 'consultant', 'cas');
      await addTestUser(t, 'administrator', 'ada');
    });
    afterEach(async () => {
      await t.close();
    });

    /** Cas sets up an app; returns the secret and the recovery codes the account page showed. */
    async function enrol(b: Browser): Promise<{ secret: string; codes: string[] }> {
      await b.signIn('cas');
      const page = await b.get('/account/two-factor');
      const secret = shownSecret(page.body);
      const res = await b.post(
        '/account/two-factor',
        { code: await codeFor(secret), currentPassword: PASSWORD },
        '/account/two-factor',
      );
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/account');
      const account = await b.get('/account');
      return { secret, codes: shownCodes(account.body) };
    }

    it('the set-up page shows a QR code of the set-up link, drawn as an image the CSP allows, and the key as text', async () => {
      const b = new Browser(t);
      await b.signIn('cas');
      const page = await b.get('/account/two-factor');
      const img =
        /<img class="app-qr-code" id="totp-qr" src="data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)" alt="([^"]+)"/.exec(
          page.body,
        );
      assert.ok(img, 'a QR code image');
      const svg = Buffer.from(img[1] ?? '', 'base64').toString('utf8');
      assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      assert.doesNotMatch(svg, /<script|style=/);
      assert.match(img[2] ?? '', /QR code/);
      assert.match(shownSecret(page.body), /^[A-Z2-7]{32}$/, 'the key is still shown as text');
      assert.match(String(page.headers['content-security-policy']), /img-src 'self' data:/);
    });

    it('setting up the app gives 10 recovery codes, shown once and stored only as salted hashes', async () => {
      const b = new Browser(t);
      const { codes } = await enrol(b);
      assert.equal(codes.length, 10);
      assert.equal(new Set(codes).size, 10);
      for (const code of codes) {
        assert.match(code, /^[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}$/);
      }
      assert.deepEqual(shownCodes((await b.get('/account')).body), [], 'shown once');
      assert.match((await b.get('/account')).body, /You have 10 unused recovery codes/);
      const rows = await t.deps.database.db.selectFrom('recovery_codes').selectAll().execute();
      assert.equal(rows.length, 10);
      const stored = JSON.stringify(rows);
      for (const code of codes) {
        assert.ok(!stored.includes(code) && !stored.includes(code.replace('-', '')));
      }
      assert.equal(
        (await t.deps.database.db.selectFrom('recovery_code_displays').selectAll().execute()).length,
        0,
      );
    });

    it('a recovery code signs in once, in place of the app', async () => {
      const first = new Browser(t);
      const { codes } = await enrol(first);
      const code = codes[3] ?? '';
      const b = new Browser(t);
      await b.signIn('cas');
      const page = await b.get('/sign-in/code');
      assert.match(page.body, /I cannot use my authenticator app/);
      const ok = await b.post(
        '/sign-in/code',
        { code: code.toLowerCase().replace('-', ' '), next: '/patients' },
        '/sign-in/code',
      );
      assert.equal(ok.statusCode, 303);
      assert.equal(ok.headers.location, '/patients');
      assert.equal((await b.get('/patients')).statusCode, 200);

      const again = new Browser(t);
      await again.signIn('cas');
      const reused = await again.post('/sign-in/code', { code, next: '/' }, '/sign-in/code');
      assert.equal(reused.statusCode, 400, 'a used code does not work again');
      assert.match(reused.body, /href="#code"/);
      const audit = await t.deps.database.db
        .selectFrom('audit_events')
        .select(['outcome', 'details'])
        .where('action', '=', 'auth.mfa')
        .orderBy('seq')
        .execute();
      assert.deepEqual(
        audit.map((a) => [a.outcome, (JSON.parse(a.details) as { method?: string }).method]),
        [
          ['success', 'recovery-code'],
          ['failure', 'recovery-code'],
        ],
      );
      assert.match((await b.get('/account')).body, /You have 9 unused recovery codes/);
    });

    it('a new set needs the password and a code from the app, and ends the old set', async () => {
      const b = new Browser(t);
      const { secret, codes } = await enrol(b);
      const wrong = await b.post(
        '/account/recovery-codes',
        { currentPassword: 'not-it', currentCode: '000000' },
        '/account',
      );
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.body, /href="#currentPassword"/);
      t.clock.advanceSeconds(30);
      const ok = await b.post(
        '/account/recovery-codes',
        { currentPassword: PASSWORD, currentCode: await codeFor(secret) },
        '/account',
      );
      assert.equal(ok.statusCode, 303);
      const fresh = shownCodes((await b.get('/account')).body);
      assert.equal(fresh.length, 10);
      assert.ok(fresh.every((c) => !codes.includes(c)));
      const c = new Browser(t);
      await c.signIn('cas');
      assert.equal(
        (await c.post('/sign-in/code', { code: codes[0] ?? '', next: '/' }, '/sign-in/code')).statusCode,
        400,
      );
      assert.equal(
        (await c.post('/sign-in/code', { code: fresh[0] ?? '', next: '/' }, '/sign-in/code')).statusCode,
        303,
      );
    });

    it('an administrator resets another account’s second factor: audited, sessions ended, codes gone', async () => {
      const cas = new Browser(t);
      await enrol(cas);
      const admin = new Browser(t);
      await admin.signIn('ada');
      const user = await t.deps.services.accounts.findByUsername('cas');
      assert.ok(user);
      const page = await admin.get(`/admin/users/${user.id}`);
      assert.match(page.body, /Authenticator app set up, 10 unused recovery codes/);
      assert.match(page.body, /Reset second factor/);
      const res = await admin.post(
        `/admin/users/${user.id}/two-factor/reset`,
        { version: String(user.version) },
        `/admin/users/${user.id}`,
      );
      assert.equal(res.statusCode, 303);
      assert.match((await admin.get(String(res.headers.location))).body, /Second factor reset/);
      const after = await t.deps.services.accounts.findByUsername('cas');
      assert.equal(after?.totpSecret, null);
      assert.equal((await t.deps.database.db.selectFrom('recovery_codes').selectAll().execute()).length, 0);
      assert.equal((await cas.get('/patients')).statusCode, 303, "cas's sessions have ended");
      const audit = await t.deps.database.db
        .selectFrom('audit_events')
        .select(['username', 'entity_id', 'details'])
        .where('action', '=', 'user.mfa-reset')
        .executeTakeFirstOrThrow();
      assert.equal(audit.username, 'ada');
      assert.equal(audit.entity_id, user.id);
      assert.match(audit.details, /"via":"web"/);

      // Nothing left to reset: a refusal shown on the page, never a 500.
      const again = await admin.post(
        `/admin/users/${user.id}/two-factor/reset`,
        { version: String(after.version) },
        `/admin/users/${user.id}`,
      );
      assert.equal(again.statusCode, 409);
      assert.match(again.body, /no second factor to reset/);
    });

    it('an administrator cannot reset their own second factor', async () => {
      const admin = new Browser(t);
      await admin.signIn('ada');
      const secret = shownSecret((await admin.get('/account/two-factor')).body);
      await admin.post(
        '/account/two-factor',
        { code: await codeFor(secret), currentPassword: PASSWORD },
        '/account/two-factor',
      );
      const ada = await t.deps.services.accounts.findByUsername('ada');
      assert.ok(ada);
      assert.match(
        (await admin.get(`/admin/users/${ada.id}`)).body,
        /You cannot reset your own second factor/,
      );
      const res = await admin.post(
        `/admin/users/${ada.id}/two-factor/reset`,
        { version: String(ada.version) },
        `/admin/users/${ada.id}`,
      );
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /href="#resetTwoFactor"/);
      assert.notEqual((await t.deps.services.accounts.findByUsername('ada'))?.totpSecret, null);
    });
  });
}
