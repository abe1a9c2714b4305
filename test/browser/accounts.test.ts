import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generate } from 'otplib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { addTestUser, PASSWORD, startTestApp, type TestApp } from '../support/test-app.ts';
import { collectCspViolations, expectAccessible, launchChromium, screenshot } from './browser-support.ts';

/**
 * Accounts in a real browser: the first administrator's set-up, the account list, the second
 * factor with its QR code and recovery codes, an administrator's reset; a form posted after the
 * session ended, kept and put back after signing in again (JavaScript off); and the warning
 * before the idle time-out (JavaScript on). Each page is checked with axe at 1280 and 375 px.
 */
describe('accounts journey', () => {
  let t: TestApp;
  let browser: Browser;
  let base = '';

  before(async () => {
    t = await startTestApp('sqlite');
    t.clock.set('2026-12-07T09:00:00.000Z');
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

  /**
   * axe at desktop and phone widths, and no sideways scrolling on the phone. axe needs script in
   * the page, so a page seen with JavaScript off is checked as a copy served at its own address
   * to a page with JavaScript on (the same HTML, styles and layout).
   */
  async function checkBothWidths(page: Page, label: string): Promise<void> {
    let checked = page;
    let mirror: BrowserContext | null = null;
    if (!(await page.evaluate<boolean>("document.querySelector('.js-enabled') !== null"))) {
      const url = page.url();
      const html = await page.content();
      mirror = await browser.newContext();
      checked = await mirror.newPage();
      await checked.route(url, (route) =>
        route.fulfill({ status: 200, contentType: 'text/html', body: html }),
      );
      await checked.goto(url);
    }
    for (const [width, height] of [
      [1280, 900],
      [375, 800],
    ] as const) {
      await page.setViewportSize({ width, height });
      await checked.setViewportSize({ width, height });
      await expectAccessible(checked, `${label} at ${String(width)} px`);
      const fits = await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth');
      assert.ok(fits, `${label}: no sideways scrolling at ${String(width)} px`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    await mirror?.close();
  }

  async function signIn(page: Page, username: string, password = PASSWORD): Promise<void> {
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  const epoch = () => Math.floor(t.clock.now().getTime() / 1000);

  it('sets up the first administrator, ending on sign-in with a success message (JavaScript off)', async () => {
    const token = await t.deps.services.accounts.issueSetupToken();
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${base}/setup/${token ?? ''}`);
    await checkBothWidths(page, 'first administrator set-up');
    await page.getByLabel('Full name').fill('Ada Admin');
    await page.getByLabel('Username').fill('ada');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Confirm password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create administrator account' }).click();
    await page.waitForURL(/\/sign-in\?/);
    await page.getByText('The administrator account has been created').waitFor();
    await checkBothWidths(page, 'sign-in after set-up');
    await signIn(page, 'ada');
    await page.waitForURL(`${base}/admin/users`);
    await context.close();
  });

  it('lists an invited account until it first signs in; the list fits a phone', async () => {
    await addTestUser(t, 'consultant', 'cas');
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${base}/sign-in`);
    await signIn(page, 'ada');
    await page.goto(`${base}/admin/users`);
    await page.getByText('Invited: not signed in yet').waitFor();
    await checkBothWidths(page, 'staff accounts');
    await screenshot(page, 'accounts-list');
    await context.close();
  });

  it('sets up a second factor by QR code, shows recovery codes once, and signs in with one', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const csp = collectCspViolations(page);
    await page.goto(`${base}/sign-in`);
    await signIn(page, 'cas');
    await page.goto(`${base}/account/two-factor`);
    const qr = page.getByRole('img', { name: /QR code to scan/ });
    await qr.waitFor();
    assert.ok(((await qr.boundingBox())?.width ?? 0) > 100, 'the QR code is drawn');
    await checkBothWidths(page, 'second factor set-up');
    await screenshot(page, 'accounts-two-factor');
    const secret = (await page.locator('#totp-secret').textContent()) ?? '';
    await page
      .getByLabel('Security code from the app you are setting up')
      .fill(await generate({ secret, epoch: epoch() }));
    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Turn on second factor' }).click();
    await page.waitForURL(`${base}/account`);
    const codes = await page.locator('#recovery-codes li').allTextContents();
    assert.equal(codes.length, 10);
    await checkBothWidths(page, 'account page with new recovery codes');
    await page.reload();
    assert.equal(await page.locator('#recovery-codes li').count(), 0, 'shown once');
    assert.deepEqual(csp, []);

    await page.goto(`${base}/sign-out`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/signedOut=1/);
    await signIn(page, 'cas');
    await page.waitForURL(/\/sign-in\/code/);
    await page.getByText('I cannot use my authenticator app').click();
    await checkBothWidths(page, 'security code page with recovery code');
    await page.getByLabel('Recovery code').fill(codes[0] ?? '');
    await page.getByRole('button', { name: 'Continue with a recovery code' }).click();
    await page.waitForURL(`${base}/`);
    await context.close();
  });

  it("an administrator resets someone's second factor", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${base}/sign-in`);
    await signIn(page, 'ada');
    await page.goto(`${base}/admin/users`);
    await page.getByRole('link', { name: 'Test consultant' }).click();
    await checkBothWidths(page, 'staff account with a second factor');
    await page.getByRole('button', { name: 'Reset second factor' }).click();
    await page.getByText('Second factor reset.').waitFor();
    await checkBothWidths(page, 'staff account after reset');
    await context.close();
  });

  it('keeps a form posted after the session ended and puts it back after signing in (JavaScript off)', async () => {
    await addTestUser(t, 'nurse-specialist', 'nia');
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${base}/sign-in`);
    await signIn(page, 'nia');
    await page.waitForURL(`${base}/`);
    await page.goto(`${base}/patients/new`);
    await page.getByLabel('NHS number').fill('943 476 5919');
    await page.getByLabel('Given name').fill('Orla');
    await page.getByLabel('Family name').fill("O'Brien-Smith");
    await page.getByLabel('Day').fill('7');
    await page.getByLabel('Month').fill('3');
    await page.getByLabel('Year').fill('1978');
    await page.getByLabel('Female').check();
    await page.getByLabel('Communication needs (optional)').fill('Needs an interpreter');

    t.clock.advanceSeconds(45 * 60); // called away: the idle time-out passes
    await page.getByRole('button', { name: 'Save patient' }).click();
    await page.waitForURL(/\/sign-in\?next=%2Fpatients%2Fnew&kept=1/);
    await page.getByText('Your session ended, so you were signed out').waitFor();
    await checkBothWidths(page, 'sign-in after the session ended');
    await screenshot(page, 'accounts-kept-sign-in');

    await signIn(page, 'nia');
    await page.waitForURL(`${base}/patients/new`);
    await page.getByText('We kept what you typed', { exact: true }).waitFor();
    assert.equal(await page.getByLabel('Given name').inputValue(), 'Orla');
    assert.equal(await page.getByLabel('Family name').inputValue(), "O'Brien-Smith");
    assert.equal(await page.getByLabel('Year').inputValue(), '1978');
    assert.ok(await page.getByLabel('Female').isChecked());
    assert.equal(
      await page.getByLabel('Communication needs (optional)').inputValue(),
      'Needs an interpreter',
    );
    await checkBothWidths(page, 'form with kept values');
    await screenshot(page, 'accounts-kept-form');
    await page.getByRole('button', { name: 'Save patient' }).click();
    await page.waitForURL(/\/patients\/[0-9a-f-]{36}/);
    await context.close();
  });

  it('warns before the idle time-out, and "Stay signed in" keeps the session (JavaScript on)', async () => {
    const context: BrowserContext = await browser.newContext();
    const page = await context.newPage();
    const csp = collectCspViolations(page);
    await page.clock.install();
    await page.goto(`${base}/sign-in`);
    await signIn(page, 'nia');
    await page.waitForURL(`${base}/`);
    const dialog = page.getByRole('dialog', { name: 'You will be signed out soon' });
    assert.equal(await dialog.count(), 0, 'no warning yet');

    await page.clock.fastForward('26:00');
    await dialog.waitFor();
    await checkBothWidths(page, 'time-out warning');
    await screenshot(page, 'accounts-timeout-warning');
    const stay = page.getByRole('button', { name: 'Stay signed in' });
    assert.equal(
      await page.evaluate<string>('document.activeElement && document.activeElement.id'),
      'session-timeout-stay',
      'focus moves to the button',
    );
    t.clock.advanceSeconds(26 * 60); // the server's clock too: the session is 26 minutes idle
    await stay.click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('status').getByText('You are still signed in.').waitFor({ state: 'attached' });

    // 26 more minutes: without the refresh the session would have ended 22 minutes ago.
    t.clock.advanceSeconds(26 * 60);
    const patients = await page.request.get(`${base}/patients`, { maxRedirects: 0 });
    assert.equal(patients.status(), 200, 'still signed in');

    // Left alone past the time-out, the page says so and offers to sign in again.
    t.clock.advanceSeconds(31 * 60);
    await page.clock.fastForward(60 * 60 * 1000);
    await page.getByRole('dialog', { name: 'You have been signed out' }).waitFor();
    await expectAccessible(page, 'signed-out notice');
    assert.deepEqual(csp, []);
    await context.close();
  });
});
