import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildOutlookMsg } from '../support/outlook-msg.ts';
import { TINY_PDF, buildReferralEmail } from '../support/referral-email.ts';
import { addTestUser, PASSWORD, registerAnn, startTestApp, type TestApp } from '../support/test-app.ts';
import {
  expectAccessible,
  launchChromium,
  screenshot,
  signInAs,
  expectNoSidewaysScroll,
} from './browser-support.ts';

/**
 * The email intake and the audit trail in a real browser, with JavaScript off (the upload form
 * must work without it), at 1280 px and at 375 px (no sideways scroll), axe on every page: a
 * file that is not an email refused, an Outlook .msg taken in and offered for registration,
 * then the audit trail read in words and filtered by UK dates.
 */
describe('email intake and audit trail', { timeout: 240_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let base = '';

  before(async () => {
    t = await startTestApp('sqlite');
    t.clock.set('2026-11-25T10:00:00.000Z');
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    assert.ok(address && typeof address === 'object');
    base = `http://localhost:${String(address.port)}`;
    const nurse = await addTestUser(t, 'nurse-specialist', 'nia');
    await registerAnn(t, nurse);
    await addTestUser(t, 'booking-coordinator', 'bea');
    await addTestUser(t, 'administrator', 'ada');
    browser = await launchChromium();
  });
  after(async () => {
    await browser.close();
    await t.close();
  });

  async function session(
    username: string,
    width: number,
    javaScriptEnabled = true,
  ): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ javaScriptEnabled, viewport: { width, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await signInAs(page, base, username, PASSWORD);
    return { context, page };
  }

  const msg = buildOutlookMsg({
    subject: 'ITB referral from clinic',
    senderName: 'Dr Rhiannon Hughes',
    senderEmail: 'rhiannon.hughes@nhs.net',
    body: 'Please see this patient, NHS number 943 476 5919, for ITB.\r\n',
    sentAt: new Date('2026-11-20T09:15:00Z'),
    attachments: [{ filename: 'referral-letter.pdf', contentType: 'application/pdf', content: TINY_PDF }],
  });
  let itemUrl = '';

  it('refuses a file that is not an email and takes in an Outlook .msg, JavaScript off', async () => {
    const { context, page } = await session('bea', 1280, false);
    await page.goto(`${base}/intake`);
    await page.setInputFiles('#file', {
      name: 'scan.eml',
      mimeType: 'application/octet-stream',
      buffer: TINY_PDF,
    });
    await page.getByRole('button', { name: 'Upload email' }).click();
    const summary = page.locator('.nhsuk-error-summary');
    await summary.waitFor();
    assert.match(await summary.innerText(), /“scan\.eml” is not an email/);
    assert.equal(await summary.getByRole('link').getAttribute('href'), '#file');

    await page.setInputFiles('#file', {
      name: 'Referral.msg',
      mimeType: 'application/vnd.ms-outlook',
      buffer: msg,
    });
    await page.getByRole('button', { name: 'Upload email' }).click();
    await page.waitForURL(/\/intake\/[0-9a-f-]{36}$/);
    itemUrl = page.url();
    const itemId = itemUrl.split('/').pop() ?? '';
    await page.getByRole('heading', { name: 'ITB referral from clinic' }).waitFor();
    assert.equal(
      await page.getByRole('link', { name: 'Register this patient' }).getAttribute('href'),
      `/patients/new?intake=${itemId}`,
    );
    assert.ok(await page.getByRole('link', { name: /Original email \(\.msg\)/ }).isVisible());

    const eml = await buildReferralEmail({ messageId: '<b1@nhs.net>', subject: 'A second referral' });
    await page.goto(`${base}/intake`);
    await page.setInputFiles('#file', { name: 'second.eml', mimeType: 'message/rfc822', buffer: eml });
    await page.getByRole('button', { name: 'Upload email' }).click();
    await page.waitForURL(/\/intake\/[0-9a-f-]{36}$/);
    await context.close();
  });

  for (const width of [1280, 375]) {
    it(`shows the intake list, an email and a refused upload accessibly at ${String(width)} px`, async () => {
      assert.ok(itemUrl, 'the JavaScript-off journey ran first');
      const { context, page } = await session('bea', width);
      await page.goto(`${base}/intake`);
      assert.match(await page.locator('main').innerText(), /943 476 5919/);
      await expectNoSidewaysScroll(page, `intake list at ${String(width)} px`);
      await expectAccessible(page, `intake list at ${String(width)} px`);
      await screenshot(page, `intake-list-${String(width)}`);
      await page.setInputFiles('#file', {
        name: 'notes.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from('Just notes'),
      });
      await page.getByRole('button', { name: 'Upload email' }).click();
      await page.locator('.nhsuk-error-summary').waitFor();
      await expectAccessible(page, `upload refused at ${String(width)} px`);
      await page.goto(itemUrl);
      await expectNoSidewaysScroll(page, `intake item at ${String(width)} px`);
      await expectAccessible(page, `intake item from .msg at ${String(width)} px`);
      await screenshot(page, `intake-item-msg-${String(width)}`);
      await context.close();
    });
  }

  for (const width of [1280, 375]) {
    it(`reads the audit trail in words and filters it by UK dates at ${String(width)} px`, async () => {
      const { context, page } = await session('ada', width);
      await page.goto(`${base}/audit`);
      await expectAccessible(page, `audit trail at ${String(width)} px`);
      await expectNoSidewaysScroll(page, `audit trail at ${String(width)} px`);
      const main = page.locator('main');
      assert.match(await main.innerText(), /Registered a patient/);
      assert.doesNotMatch(await main.innerText(), /patient\.create/);
      await page.getByLabel('Patient NHS number').fill('485 777 3457');
      await page.getByLabel('From').fill('25 November 2026');
      await page.getByLabel('To').fill('25/11/2026');
      await page.getByRole('button', { name: 'Filter' }).click();
      await page.waitForURL(/nhsNumber=/);
      assert.match(await main.innerText(), /Registered a patient/);
      await expectAccessible(page, `filtered audit trail at ${String(width)} px`);
      await expectNoSidewaysScroll(page, `filtered audit trail at ${String(width)} px`);
      await page.getByLabel('From').fill('31 February 2026');
      await page.getByRole('button', { name: 'Filter' }).click();
      await page.locator('.nhsuk-error-summary').waitFor();
      await expectAccessible(page, `audit filter error at ${String(width)} px`);
      await screenshot(page, `audit-${String(width)}`);
      await context.close();
    });
  }

  it('filters the audit trail with JavaScript off', async () => {
    const { context, page } = await session('ada', 1280, false);
    await page.goto(`${base}/audit`);
    await page.getByLabel('Username').fill('bea');
    await page.getByLabel('What').selectOption('');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/username=bea/);
    assert.match(await page.locator('main').innerText(), /Took in an email referral/);
    await context.close();
  });
});
