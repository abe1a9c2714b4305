import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { DEMO_ACCOUNTS } from '../../../demo/demo-accounts.ts';
import { isCommonPassword, newPasswordProblem } from '../../../services/password-check.ts';
import { countUsers, findUserByUsername } from '../../../storage/users.repository.ts';
import { DIALECTS } from '../../../../test/support/databases.ts';
import {
  addTestUser,
  Browser,
  PASSWORD,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';

// Long enough for the length rule, and all on the zxcvbn-ts common-password list.
const COMMON = ['qwerty123456', 'leavemealone', 'unbelievable', 'finalfantasy'] as const;
const REFUSED = /Password is on a list of commonly used passwords/;

describe('the common-password check', () => {
  it('refuses a password on the list, whatever its case, and only the whole password', async () => {
    for (const p of COMMON) {
      assert.equal(await isCommonPassword(p), true, p);
    }
    assert.equal(await isCommonPassword('QWERTY123456'), true);
    assert.equal(await isCommonPassword('LeaveMeAlone'), true);
    assert.equal(await isCommonPassword('qwerty123456 and a pump refill'), false);
    assert.match((await newPasswordProblem('Unbelievable', 'nia')) ?? '', REFUSED);
    assert.equal(await newPasswordProblem('short', 'nia'), 'Password must be at least 12 characters');
  });

  it('accepts the test and demo passwords', async () => {
    assert.equal(await newPasswordProblem(PASSWORD, 'nia'), null);
    for (const a of DEMO_ACCOUNTS) {
      assert.equal(await newPasswordProblem(a.password, a.username), null, a.username);
    }
  });
});

for (const dialect of DIALECTS) {
  describe(`common passwords are refused wherever a password is set, on ${dialect}`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(dialect);
    });
    afterEach(async () => {
      await t.close();
    });

    it('setting up the first administrator', async () => {
      const token = await t.deps.services.accounts.issueSetupToken();
      const page = `/setup/${token ?? ''}`;
      const b = new Browser(t);
      const fields = { username: 'ada', displayName: 'Ada Admin' };
      const refused = await b.post(
        page,
        { ...fields, password: 'QWERTY123456', confirmPassword: 'QWERTY123456' },
        page,
      );
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /href="#password"/);
      assert.match(refused.body, REFUSED);
      assert.equal(await countUsers(t.deps.database.db), 0);
      const ok = await b.post(page, { ...fields, password: PASSWORD, confirmPassword: PASSWORD }, page);
      assert.equal(ok.statusCode, 303);
    });

    it('an administrator adding an account or resetting a password', async () => {
      await addTestUser(t, 'administrator', 'ada');
      const admin = new Browser(t);
      await admin.signIn('ada');
      const added = await admin.post(
        '/admin/users',
        { displayName: 'Nia Nurse', username: 'nia', role: 'nurse-specialist', password: 'finalfantasy' },
        '/admin/users/new',
      );
      assert.equal(added.statusCode, 400);
      assert.match(added.body, /href="#password"/);
      assert.match(added.body, REFUSED);
      assert.equal(await findUserByUsername(t.deps.database.db, 'nia'), undefined);

      const pat = await addTestUser(t, 'physiotherapist', 'pat');
      const reset = await admin.post(
        `/admin/users/${pat.id}/password`,
        { version: String(pat.version), password: 'unbelievable' },
        `/admin/users/${pat.id}`,
      );
      assert.equal(reset.statusCode, 400);
      assert.match(reset.body, /href="#password"/);
      assert.match(reset.body, REFUSED);
      assert.equal((await new Browser(t).signIn('pat', 'unbelievable')).statusCode, 401);
    });

    it('changing your own password', async () => {
      await addTestUser(t, 'consultant', 'cas');
      const b = new Browser(t);
      await b.signIn('cas');
      const res = await b.post(
        '/account/password',
        { currentPassword: PASSWORD, newPassword: 'LeaveMeAlone', confirmPassword: 'LeaveMeAlone' },
        '/account/password',
      );
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /href="#newPassword"/);
      assert.match(res.body, REFUSED);
      assert.equal((await b.get('/patients')).statusCode, 200, 'still signed in: nothing changed');
    });
  });
}
