import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { actorOf } from '../../../services/audit-service.ts';
import { addTestUser, Browser, startTestApp, type TestApp } from '../../../../test/support/test-app.ts';

describe('staff account administration', () => {
  // Each test starts with one administrator, signed in, and adds the accounts it needs.
  let t: TestApp;
  let admin: Browser;
  beforeEach(async () => {
    t = await startTestApp();
    await addTestUser(t, 'administrator', 'ada');
    admin = new Browser(t);
    await admin.signIn('ada');
  });
  afterEach(async () => {
    await t.close();
  });
  const findUserByUsername = (username: string) => t.deps.services.accounts.findByUsername(username);

  it('adds an account with a temporary password that must be changed at first sign-in', async () => {
    const res = await admin.post(
      '/admin/users',
      {
        displayName: 'Nia Nurse',
        username: 'Nia.Nurse',
        role: 'nurse-specialist',
        password: 'temporary-password-1',
      },
      '/admin/users/new',
    );
    assert.equal(res.statusCode, 303);
    assert.match((await admin.get(String(res.headers.location))).body, /Account nia\.nurse added/);
    // The banner names only an account that exists: a link cannot put its own words there.
    const forged = await admin.get(`/admin/users?added=${encodeURIComponent('x. Call 0800 000 000')}`);
    assert.doesNotMatch(forged.body, /0800 000 000/);
    const nia = new Browser(t);
    const signIn = await nia.signIn('nia.nurse', 'temporary-password-1');
    assert.equal(signIn.headers.location, '/account/password');
    assert.equal((await nia.get('/patients')).headers.location, '/account/password');
  });

  it('lists an account as invited until its first sign-in, then as active', async () => {
    await admin.post(
      '/admin/users',
      {
        displayName: 'Nia Nurse',
        username: 'nia',
        role: 'nurse-specialist',
        password: 'temporary-password-1',
      },
      '/admin/users/new',
    );
    const statusOf = async (name: string) => {
      const body = (await admin.get('/admin/users')).body;
      const row = body.split('<tr').find((r) => r.includes(name)) ?? '';
      return /nhsuk-tag[^>]*>([^<]+)</.exec(row)?.[1];
    };
    assert.equal(await statusOf('Nia Nurse'), 'Invited: not signed in yet');
    const nia = await findUserByUsername('nia');
    assert.match((await admin.get(`/admin/users/${nia?.id ?? ''}`)).body, /Invited: not signed in yet/);
    await new Browser(t).signIn('nia', 'temporary-password-1');
    assert.equal(await statusOf('Nia Nurse'), 'Active');
    assert.match((await admin.get(`/admin/users/${nia?.id ?? ''}`)).body, /Active, first signed in/);
    const version = (await findUserByUsername('nia'))?.version;
    assert.equal(version, nia?.version, 'signing in is not an edit: an open edit form stays valid');
  });

  it('names each bad field when adding an account', async () => {
    await addTestUser(t, 'nurse-specialist', 'nia.nurse');
    const res = await admin.post(
      '/admin/users',
      { displayName: '', username: 'x', role: 'wizard', password: 'short' },
      '/admin/users/new',
    );
    assert.equal(res.statusCode, 400);
    for (const field of ['displayName', 'username', 'role']) {
      assert.match(res.body, new RegExp(`href="#${field}"`));
    }
    const dup = await admin.post(
      '/admin/users',
      { displayName: 'Again', username: 'nia.nurse', role: 'consultant', password: 'temporary-password-2' },
      '/admin/users/new',
    );
    assert.equal(dup.statusCode, 409);
    assert.match(dup.body, /already taken/);
  });

  it('disabling an account ends its sessions and stops sign-in', async () => {
    await addTestUser(t, 'consultant', 'cas');
    const cas = new Browser(t);
    await cas.signIn('cas');
    assert.equal((await cas.get('/patients')).statusCode, 200);
    const user = await findUserByUsername('cas');
    const res = await admin.post(
      `/admin/users/${user?.id ?? ''}/status`,
      { version: String(user?.version), disabled: 'true' },
      `/admin/users/${user?.id ?? ''}`,
    );
    assert.equal(res.statusCode, 303);
    assert.equal((await cas.get('/patients')).statusCode, 303);
    assert.equal((await new Browser(t).signIn('cas')).statusCode, 401);
  });

  it('resetting a password ends sessions and forces a change', async () => {
    await addTestUser(t, 'physiotherapist', 'pat');
    const pat = new Browser(t);
    await pat.signIn('pat');
    const user = await findUserByUsername('pat');
    await admin.post(
      `/admin/users/${user?.id ?? ''}/password`,
      { version: String(user?.version), password: 'a-new-temporary-pw' },
      `/admin/users/${user?.id ?? ''}`,
    );
    assert.equal((await pat.get('/patients')).statusCode, 303);
    assert.equal(
      (await new Browser(t).signIn('pat', 'a-new-temporary-pw')).headers.location,
      '/account/password',
    );
  });

  it('refuses an edit made from a stale page', async () => {
    // Someone else changed the account after version 1 was opened.
    const pat = await addTestUser(t, 'physiotherapist', 'pat');
    const ada = await findUserByUsername('ada');
    await t.deps.services.accounts.resetPassword(
      actorOf(ada!, null),
      pat.id,
      pat.version,
      'a-new-temporary-pw',
    );
    const user = await findUserByUsername('pat');
    const res = await admin.post(
      `/admin/users/${user?.id ?? ''}`,
      { version: '1', displayName: 'Pat P', role: 'physiotherapist' },
      `/admin/users/${user?.id ?? ''}`,
    );
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /Nothing was saved/);
  });

  it('an administrator cannot disable themselves', async () => {
    const me = await findUserByUsername('ada');
    const res = await admin.post(
      `/admin/users/${me?.id ?? ''}/status`,
      { version: String(me?.version), disabled: 'true' },
      `/admin/users/${me?.id ?? ''}`,
    );
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /cannot disable your own account/);
  });
});
