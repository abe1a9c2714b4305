import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { DIALECTS } from '../../../../test/support/databases.ts';
import { addTestUser, Browser, startTestApp, type TestApp } from '../../../../test/support/test-app.ts';

const KEPT_COOKIE = '__Host-itb_kept';

/** What a nurse types into the registration form. */
const TYPED = {
  nhsNumber: '943 476 5919',
  givenName: 'Orla',
  familyName: "O'Brien-Smith",
  'dateOfBirth-day': '7',
  'dateOfBirth-month': '3',
  'dateOfBirth-year': '1978',
  sex: 'female',
  communicationNeeds: 'Needs an interpreter <Polish> & large print',
};

async function csrfOf(b: Browser, page: string): Promise<string> {
  const res = await b.get(page);
  assert.equal(res.statusCode, 200, `${page} opens`);
  return /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1] ?? '';
}

async function patientCount(t: TestApp): Promise<number> {
  const r = await t.deps.database.db
    .selectFrom('patients')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return r.n;
}

async function keptRows(t: TestApp) {
  return t.deps.database.db.selectFrom('kept_forms').selectAll().execute();
}

for (const dialect of DIALECTS) {
  describe(`a form posted after the session ended is kept, on ${dialect}`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(dialect);
      await addTestUser(t, 'nurse-specialist', 'nia');
      await addTestUser(t, 'nurse-specialist', 'ned');
    });
    afterEach(async () => {
      await t.close();
    });

    /** Nia opens the registration form, leaves it for the idle time-out, then presses Save. */
    async function postAfterIdle(b: Browser, extra: Record<string, string> = {}) {
      await b.signIn('nia');
      const token = await csrfOf(b, '/patients/new');
      t.clock.advanceSeconds(31 * 60);
      return b.postRaw('/patients', { _csrf: token, ...TYPED, ...extra });
    }

    it('keeps it sealed, saves nothing, and sends the browser to sign in, then back to the form', async () => {
      const b = new Browser(t);
      const res = await postAfterIdle(b);
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/sign-in?next=%2Fpatients%2Fnew&kept=1');
      assert.equal(await patientCount(t), 0, 'the route never ran');
      const cookie =
        ([res.headers['set-cookie']].flat() as string[]).find((c) => c.startsWith(KEPT_COOKIE)) ?? '';
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /Secure/);
      assert.match(cookie, /SameSite=Strict/);
      assert.match(cookie, /Max-Age=1800/);

      const [row, ...others] = await keptRows(t);
      assert.ok(row);
      assert.equal(others.length, 0);
      assert.equal(row.page_path, '/patients/new');
      assert.equal(row.action_path, '/patients');
      for (const text of ['Orla', 'Brien', 'interpreter', '943']) {
        assert.ok(!row.sealed.includes(text) && !Buffer.from(row.sealed, 'base64').toString().includes(text));
      }
      assert.notEqual(row.browser_hash, b.cookies.get(KEPT_COOKIE), 'only the hash of the cookie is stored');

      const signInPage = await b.get('/sign-in?next=%2Fpatients%2Fnew&kept=1');
      assert.match(signInPage.body, /We kept what you typed/);
      const mistyped = await b.post(
        '/sign-in',
        { username: 'nia', password: 'not-the-password', next: '/patients/new', kept: '1' },
        '/sign-in?next=%2Fpatients%2Fnew&kept=1',
      );
      assert.equal(mistyped.statusCode, 401);
      assert.match(mistyped.body, /We kept what you typed/, 'still said after a mistyped password');
      t.clock.advanceSeconds(31); // past the throttle's delay, if any

      const signedIn = await b.post('/sign-in', {
        username: 'nia',
        password: 'a-long-test-password-1',
        next: '/patients/new',
      });
      assert.equal(signedIn.headers.location, '/patients/new');
      const form = await b.get('/patients/new');
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /We kept what you typed/);
      assert.match(form.body, /name="givenName"[^>]*value="Orla"|value="Orla"[^>]*name="givenName"/);
      assert.match(form.body, /value="O&#39;Brien-Smith"|value="O'Brien-Smith"/);
      assert.match(form.body, /value="943 476 5919"/);
      assert.match(
        form.body,
        /<textarea[^>]*name="communicationNeeds"[^>]*>Needs an interpreter &lt;Polish&gt; &amp; large print<\/textarea>/,
      );
      assert.match(form.body, /value="female"[^>]*checked|checked[^>]*value="female"/);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
      assert.ok(csrf.length > 10, 'a fresh CSRF token, never the kept one');

      assert.equal((await keptRows(t)).length, 0, 'shown once, then deleted');
      assert.doesNotMatch((await b.get('/patients/new')).body, /We kept what you typed/);

      // Saving the restored form works as any other save.
      const saved = await b.postRaw('/patients', { _csrf: csrf, ...TYPED });
      assert.equal(saved.statusCode, 303);
      assert.equal(await patientCount(t), 1);

      const audit = await t.deps.database.db
        .selectFrom('audit_events')
        .select(['action', 'details'])
        .where('action', 'in', ['auth.form-kept', 'auth.form-restored'])
        .orderBy('seq')
        .execute();
      assert.deepEqual(
        audit.map((a) => a.action),
        ['auth.form-kept', 'auth.form-restored'],
      );
      assert.ok(
        audit.every((a) => !a.details.includes('Orla')),
        'what was typed is never audited',
      );
    });

    it('keeps a form posted after the absolute time-out too, even when another tab was used first', async () => {
      const b = new Browser(t);
      await b.signIn('nia');
      const token = await csrfOf(b, '/patients/new');
      for (let i = 0; i < 25; i++) {
        t.clock.advanceSeconds(29 * 60);
        await b.get('/patients');
      }
      assert.equal((await b.get('/patients')).statusCode, 303, 'the 12-hour limit has passed');
      const res = await b.postRaw('/patients', { _csrf: token, ...TYPED });
      assert.equal(res.headers.location, '/sign-in?next=%2Fpatients%2Fnew&kept=1');
      assert.equal((await keptRows(t)).length, 1);
    });

    it('never shows it to another account signing in on the same browser', async () => {
      const b = new Browser(t);
      await postAfterIdle(b);
      await b.post('/sign-in', {
        username: 'ned',
        password: 'a-long-test-password-1',
        next: '/patients/new',
      });
      const form = await b.get('/patients/new');
      assert.doesNotMatch(form.body, /We kept what you typed|Orla/);
      assert.equal((await keptRows(t)).length, 1, 'still there for its own user, until it expires');
    });

    it('is not restored in another browser, even with the right account', async () => {
      const b = new Browser(t);
      await postAfterIdle(b);
      const other = new Browser(t);
      other.cookies.set(KEPT_COOKIE, 'x'.repeat(43));
      await other.signIn('nia');
      assert.doesNotMatch((await other.get('/patients/new')).body, /Orla/);
    });

    it('expires: after KEPT_FORM_MINUTES it is not restored and is deleted', async () => {
      const b = new Browser(t);
      await postAfterIdle(b);
      t.clock.advanceSeconds(31 * 60);
      await b.signIn('nia');
      assert.doesNotMatch((await b.get('/patients/new')).body, /We kept what you typed|Orla/);
      assert.equal((await keptRows(t)).length, 0);
    });

    it('the sign-in state job deletes expired kept forms', async () => {
      await postAfterIdle(new Browser(t));
      t.clock.advanceSeconds(31 * 60);
      await t.deps.services.accounts.pruneSignInState();
      assert.equal((await keptRows(t)).length, 0);
    });

    it('keeps nothing without a valid CSRF token (a post from another site)', async () => {
      const b = new Browser(t);
      await b.signIn('nia');
      t.clock.advanceSeconds(31 * 60);
      const res = await b.postRaw('/patients', { ...TYPED });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/sign-in');
      assert.equal((await keptRows(t)).length, 0);
      assert.equal(await patientCount(t), 0);
    });

    it('keeps nothing for a browser that was signed out, or never signed in', async () => {
      const b = new Browser(t);
      await b.signIn('nia');
      const token = await csrfOf(b, '/patients/new');
      await b.post('/sign-out', {}, '/sign-out');
      const res = await b.postRaw('/patients', { _csrf: token, ...TYPED });
      assert.equal(res.headers.location, '/sign-in');
      assert.equal((await keptRows(t)).length, 0);
    });

    it('never keeps a password, and restores the rest', async () => {
      await addTestUser(t, 'administrator', 'ada');
      const b = new Browser(t);
      await b.signIn('ada');
      const token = await csrfOf(b, '/admin/users/new');
      t.clock.advanceSeconds(31 * 60);
      const secret = 'a-temporary-password-42';
      const res = await b.postRaw('/admin/users', {
        _csrf: token,
        username: 'newnurse',
        displayName: 'New Nurse',
        role: 'nurse-specialist',
        password: secret,
      });
      assert.equal(res.headers.location, '/sign-in?next=%2Fadmin%2Fusers%2Fnew&kept=1');
      await b.signIn('ada');
      const form = await b.get('/admin/users/new');
      assert.match(form.body, /value="newnurse"/);
      assert.doesNotMatch(form.body, new RegExp(secret));
    });

    it('an action button on a record page is kept for that page', async () => {
      const b = new Browser(t);
      await b.signIn('nia');
      const token = await csrfOf(b, '/patients/new');
      t.clock.advanceSeconds(31 * 60);
      const res = await b.postRaw('/refills/00000000-0000-4000-8000-000000000000/sign', {
        _csrf: token,
        note: 'checked',
      });
      assert.equal(
        res.headers.location,
        '/sign-in?next=%2Frefills%2F00000000-0000-4000-8000-000000000000&kept=1',
      );
    });
  });
}
