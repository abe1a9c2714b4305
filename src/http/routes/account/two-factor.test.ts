import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { generate, generateSecret } from 'otplib';
import { DIALECTS } from '../../../../test/support/databases.ts';
import {
  addTestUser,
  Browser,
  PASSWORD,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';

const shownSecret = (body: string) => /id="totp-secret">([A-Z2-7]+)</.exec(body)?.[1] ?? '';

for (const dialect of DIALECTS) {
  describe(`second factor set-up and replacement on ${dialect}`, () => {
    let t: TestApp;
    const epoch = () => Math.floor(t.clock.now().getTime() / 1000);
    const codeFor = (secret: string) => generate({ secret, epoch: epoch() });
    const storedSecret = async (username: string) =>
      (
        await t.deps.database.db
          .selectFrom('users')
          .select('totp_secret')
          .where('username', '=', username)
          .executeTakeFirstOrThrow()
      ).totp_secret;

    beforeEach(async () => {
      t = await startTestApp(dialect);
    });
    afterEach(async () => {
      await t.close();
    });

    it('uses the secret the server generated, ignoring any secret the form sends', async () => {
      await addTestUser(t, 'consultant', 'seeded');
      const b = new Browser(t);
      await b.signIn('seeded');
      const page = await b.get('/account/two-factor');
      const server = shownSecret(page.body);
      assert.match(server, /^[A-Z2-7]{32}$/);
      assert.doesNotMatch(page.body, /name="secret"/, 'the form does not carry the secret');
      assert.equal(
        shownSecret((await b.get('/account/two-factor')).body),
        server,
        'a reload shows the same key',
      );

      const chosen = generateSecret();
      const planted = await b.post(
        '/account/two-factor',
        { secret: chosen, code: await codeFor(chosen), currentPassword: PASSWORD },
        '/account/two-factor',
      );
      assert.equal(planted.statusCode, 400, "a code for the client's own secret is not accepted");
      assert.match(planted.body, /href="#code"/);
      assert.equal(await storedSecret('seeded'), null);

      const ok = await b.post(
        '/account/two-factor',
        { secret: chosen, code: await codeFor(server), currentPassword: PASSWORD },
        '/account/two-factor',
      );
      assert.equal(ok.statusCode, 303);
      assert.equal(await storedSecret('seeded'), server, "the server's secret is stored, not the form's");
      const pending = await t.deps.database.db.selectFrom('totp_enrolments').selectAll().execute();
      assert.equal(pending.length, 0, 'the set-up secret goes with the sessions it belonged to');
    });

    it('a short or garbage secret in the form never reaches otplib (400, never 500)', async () => {
      await addTestUser(t, 'consultant', 'garbage');
      const b = new Browser(t);
      await b.signIn('garbage');
      for (const secret of ['AB', 'JBSWY3DPEHPK3PXP', '!!!!', '', 'A'.repeat(5000)]) {
        const res = await b.post(
          '/account/two-factor',
          { secret, code: '123456', currentPassword: PASSWORD },
          '/account/two-factor',
        );
        assert.equal(res.statusCode, 400, `secret ${secret.slice(0, 20)}`);
      }
      assert.equal(await storedSecret('garbage'), null);
    });

    it('a stored secret otplib cannot use makes the code wrong, not a 500', async () => {
      await addTestUser(t, 'consultant', 'oldseed');
      await t.deps.database.db
        .updateTable('users')
        .set({ totp_secret: 'JBSWY3DPEHPK3PXP' })
        .where('username', '=', 'oldseed')
        .execute();
      const b = new Browser(t);
      assert.match(String((await b.signIn('oldseed')).headers.location), /^\/sign-in\/code/);
      const res = await b.post('/sign-in/code', { code: '123456', next: '/' }, '/sign-in/code');
      assert.equal(res.statusCode, 400);
    });

    it('asks for the current password, naming the field, before setting one up', async () => {
      await addTestUser(t, 'consultant', 'nopass');
      const b = new Browser(t);
      await b.signIn('nopass');
      const secret = shownSecret((await b.get('/account/two-factor')).body);
      const missing = await b.post(
        '/account/two-factor',
        { code: await codeFor(secret) },
        '/account/two-factor',
      );
      assert.equal(missing.statusCode, 400);
      assert.match(missing.body, /href="#currentPassword"/);
      assert.match(missing.body, /Enter your current password/);
      const wrong = await b.post(
        '/account/two-factor',
        { code: await codeFor(secret), currentPassword: 'not-my-password-at-all' },
        '/account/two-factor',
      );
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.body, /Your current password is not right/);
      assert.equal(await storedSecret('nopass'), null);
    });

    it('replacing it needs the password and a right code from the app in use now', async () => {
      await addTestUser(t, 'consultant', 'replacer');
      const b = new Browser(t);
      await b.signIn('replacer');
      const first = shownSecret((await b.get('/account/two-factor')).body);
      const enrolled = await b.post(
        '/account/two-factor',
        { code: await codeFor(first), currentPassword: PASSWORD },
        '/account/two-factor',
      );
      assert.equal(enrolled.statusCode, 303);
      assert.equal(await storedSecret('replacer'), first);

      t.clock.advanceSeconds(60);
      const page = await b.get('/account/two-factor');
      assert.match(page.body, /id="currentCode"/);
      const second = shownSecret(page.body);
      assert.notEqual(second, first);

      const noCode = await b.post(
        '/account/two-factor',
        { code: await codeFor(second), currentPassword: PASSWORD },
        '/account/two-factor',
      );
      assert.equal(noCode.statusCode, 400);
      assert.match(noCode.body, /href="#currentCode"/);
      assert.doesNotMatch(noCode.body, /href="#currentPassword"/);

      const wrongCode = await b.post(
        '/account/two-factor',
        { code: await codeFor(second), currentPassword: PASSWORD, currentCode: '000000' },
        '/account/two-factor',
      );
      assert.equal(wrongCode.statusCode, 400);
      assert.match(wrongCode.body, /The code from the app you use now is not right/);
      assert.equal(await storedSecret('replacer'), first, 'not replaced');

      const noPassword = await b.post(
        '/account/two-factor',
        { code: await codeFor(second), currentCode: await codeFor(first) },
        '/account/two-factor',
      );
      assert.equal(noPassword.statusCode, 400);
      assert.match(noPassword.body, /href="#currentPassword"/);

      const replaced = await b.post(
        '/account/two-factor',
        { code: await codeFor(second), currentPassword: PASSWORD, currentCode: await codeFor(first) },
        '/account/two-factor',
      );
      assert.equal(replaced.statusCode, 303);
      assert.equal(await storedSecret('replacer'), second);
    });
  });
}
