import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generate } from 'otplib';
import type { Browser, Page } from 'playwright-core';
import { issueSetupToken } from '../../src/services/setup-service.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { expectAccessible, launchChromium, screenshot } from './browser-support.ts';

/**
 * The first journeys a new service goes through, in a real browser: the first administrator
 * is set up, adds a nurse, the nurse registers a patient and finds it, and the administrator
 * sees the audit entries. Every page is checked with axe for WCAG 2.2 A/AA violations.
 */
describe('browser journeys', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let base = '';

  before(async () => {
    t = await startTestApp('sqlite');
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    assert.ok(address && typeof address === 'object');
    base = `http://localhost:${address.port}`;
    browser = await launchChromium();
  });
  after(async () => {
    await browser.close();
    await t.close();
  });

  const signIn = async (username: string, password: string) => {
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };
  const signOut = async () => {
    await page.getByRole('link', { name: 'Sign out' }).click();
    await expectAccessible(page, 'sign out');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in\?signedOut=1/);
  };

  it('sets up the first administrator from the one-time link', async () => {
    const context = await browser.newContext();
    page = await context.newPage();
    const token = await issueSetupToken({ db: t.deps.database.db, clock: t.clock, setupLinkMinutes: 60 });
    await page.goto(`${base}/setup/${token ?? ''}`);
    await expectAccessible(page, 'setup');
    await page.getByLabel('Full name').fill('Ada Admin');
    await page.getByLabel('Username').fill('ada');
    await page.getByLabel('Password', { exact: true }).fill('correct-horse-battery');
    await page.getByLabel('Confirm password').fill('correct-horse-battery');
    await page.getByRole('button', { name: 'Create administrator account' }).click();
    await page.waitForURL(/\/sign-in/);
    await expectAccessible(page, 'sign in');
    await screenshot(page, '01-sign-in');
    await signIn('ada', 'correct-horse-battery');
    await page.waitForURL(`${base}/`);
    await expectAccessible(page, 'home (administrator)');
    await page.getByRole('link', { name: 'Staff accounts' }).first().click();
    await expectAccessible(page, 'staff accounts');
  });

  it('the administrator adds a nurse specialist', async () => {
    await page.getByRole('link', { name: 'Add a staff account' }).click();
    await page.getByRole('button', { name: 'Add account' }).click();
    await assert.doesNotReject(page.getByRole('alert').getByText('There is a problem').waitFor());
    await expectAccessible(page, 'add account with errors');
    await screenshot(page, '02-add-account-errors');
    await page.getByLabel('Full name').fill('Nia Nurse');
    await page.getByLabel('Username').fill('nia');
    await page.getByLabel('Nurse specialist').check();
    await page.getByLabel('Temporary password').fill('temporary-password-1');
    await page.getByRole('button', { name: 'Add account' }).click();
    await page.getByText('Account nia added').waitFor();
    await expectAccessible(page, 'staff list');
    await signOut();
  });

  it('the nurse changes the temporary password, registers a patient and finds it', async () => {
    await signIn('nia', 'temporary-password-1');
    await page.waitForURL(/\/account\/password/);
    await expectAccessible(page, 'change password');
    await page.getByLabel('Current password').fill('temporary-password-1');
    await page.getByLabel('New password', { exact: true }).fill('ward-round-blue-sky');
    await page.getByLabel('Confirm new password').fill('ward-round-blue-sky');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.waitForURL(/passwordChanged=1/);
    await signIn('nia', 'ward-round-blue-sky');
    await page.waitForURL(`${base}/`);
    await expectAccessible(page, 'home');

    await page.getByRole('link', { name: 'Register a patient' }).click();
    await expectAccessible(page, 'register patient');
    await page.getByLabel('NHS number').fill('485 777 3456');
    await page.getByLabel('Given name').fill('Ann');
    await page.getByRole('button', { name: 'Save patient' }).click();
    await page.getByRole('alert').getByText('There is a problem').waitFor();
    await expectAccessible(page, 'register patient with errors');
    await screenshot(page, '03-register-patient-errors');
    // The error summary links take the person to the field.
    await page.getByRole('link', { name: /fails its check digit/ }).click();
    assert.equal(await page.locator('#nhsNumber:focus').count(), 1);

    await page.getByLabel('NHS number').fill('485 777 3457');
    await page.getByLabel('Family name').fill('Smith');
    await page.getByLabel('Day').fill('14');
    await page.getByLabel('Month').fill('3');
    await page.getByLabel('Year').fill('1961');
    await page.getByLabel('Female').check();
    await page.getByLabel('Postcode (optional)').fill('ls1 3ex');
    await page.getByRole('button', { name: 'Save patient' }).click();
    await page.getByText('Patient registered').waitFor();
    await expectAccessible(page, 'patient record');
    await screenshot(page, '04-patient-record');
    assert.ok(await page.getByText('485 777 3457').isVisible());

    await page.getByRole('link', { name: 'Patients' }).first().click();
    await page.getByLabel('NHS number, name, date of birth or hospital number').fill('4857773457');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('1 patient found').waitFor();
    await expectAccessible(page, 'search results');
    await screenshot(page, '05-search-results');
    await page.getByRole('link', { name: 'SMITH, Ann' }).click();
    await page.getByRole('heading', { name: 'SMITH, Ann' }).waitFor();
    await signOut();
  });

  it('the administrator sees the audit entries for that patient', async () => {
    await signIn('ada', 'correct-horse-battery');
    await page.getByRole('link', { name: 'Audit trail' }).first().click();
    await page.getByLabel('Patient NHS number').fill('485 777 3457');
    await page.getByRole('button', { name: 'Filter' }).click();
    const table = page.getByRole('table');
    // Actions in words and staff by name, their sign-in name and role beneath.
    await table.getByText('Registered a patient').waitFor();
    assert.ok((await table.getByText("Opened a patient's record").count()) >= 1);
    assert.ok((await table.getByText('Nia Nurse').count()) >= 2);
    assert.ok((await table.getByText('nia, Nurse specialist').count()) >= 2);
    await expectAccessible(page, 'audit trail');
    await screenshot(page, '06-audit-trail');
  });

  it('every other page passes axe too: account, second factor, staff account, rules, figures, edit, errors', async () => {
    // Still signed in as the administrator.
    for (const [path, label] of [
      ['/account', 'your account'],
      ['/admin/security', 'second-factor rules'],
      ['/figures', 'figures'],
      ['/no-such-page', 'not found'],
    ] as const) {
      await page.goto(`${base}${path}`);
      await expectAccessible(page, label);
    }
    await page.goto(`${base}/admin/users`);
    await page.getByRole('link', { name: 'Nia Nurse' }).click();
    await expectAccessible(page, 'staff account page');
    await page.goto(`${base}/patients`);
    await expectAccessible(page, 'forbidden page');

    // The second factor: enrol, then sign in again through the code page.
    await page.goto(`${base}/account/two-factor`);
    await expectAccessible(page, 'set up second factor');
    await screenshot(page, '07-two-factor');
    const secret = (await page.locator('#totp-secret').textContent()) ?? '';
    const epoch = Math.floor(t.clock.now().getTime() / 1000);
    await page
      .getByLabel('Security code from the app you are setting up')
      .fill(await generate({ secret, epoch }));
    await page.getByLabel('Current password').fill('correct-horse-battery');
    await page.getByRole('button', { name: 'Turn on second factor' }).click();
    await page.waitForURL(`${base}/account`);
    await signOut();
    t.clock.advanceSeconds(60);
    await signIn('ada', 'correct-horse-battery');
    await page.waitForURL(/\/sign-in\/code/);
    await expectAccessible(page, 'security code');
    await page.getByLabel('Security code').fill(await generate({ secret, epoch: epoch + 60 }));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${base}/`);
    await signOut();

    // A clinician's edit page.
    await signIn('nia', 'ward-round-blue-sky');
    await page.goto(`${base}/patients?q=4857773457`);
    await page.getByRole('link', { name: 'SMITH, Ann' }).click();
    await page.getByRole('link', { name: 'Edit details' }).click();
    await expectAccessible(page, 'edit patient');
  });
});
