import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Browser, PASSWORD, startTestApp, type TestApp } from '../../../../test/support/test-app.ts';

describe('setting up the first administrator', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  it('ends on the sign-in page saying the account was made, then goes to the staff accounts', async () => {
    const token = await t.deps.services.accounts.issueSetupToken();
    const page = `/setup/${token ?? ''}`;
    const b = new Browser(t);
    const res = await b.post(
      page,
      { username: 'ada', displayName: 'Ada Admin', password: PASSWORD, confirmPassword: PASSWORD },
      page,
    );
    assert.equal(res.statusCode, 303);
    const signIn = await b.get(String(res.headers.location));
    assert.match(signIn.body, /The administrator account has been created/);
    const signedIn = await b.post('/sign-in', { username: 'ada', password: PASSWORD, next: '/admin/users' });
    assert.equal(signedIn.headers.location, '/admin/users');
    assert.doesNotMatch((await b.get('/sign-in')).body, /has been created/, 'only after the set-up');
  });
});
