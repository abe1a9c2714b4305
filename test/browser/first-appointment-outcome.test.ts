import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { actorOf } from '../../src/services/audit-service.ts';
import { ERS_REFERRAL } from '../support/referral-fixtures.ts';
import { addTestUser, PASSWORD, registerAnn, startTestApp, type TestApp } from '../support/test-app.ts';
import {
  collectCspViolations,
  expectAccessible,
  launchChromium,
  screenshot,
  signInAs,
  expectNoSidewaysScroll,
} from './browser-support.ts';

/**
 * The first appointment's outcome as a next step, in Chromium. Today is Tuesday 24 November
 * 2026; Ann's accepted referral has its first appointment today. The nurse specialist records the
 * outcome with JavaScript off (a mistake first, then a selection assessment), the referral page
 * shows it with its clinic letter, and its link leads on to starting the assessment for that
 * referral. Each page is checked with axe at 1280 px and at 375 px, where the form may not scroll
 * sideways.
 */
describe('first-appointment outcome in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let noJsContext: BrowserContext;
  let noJs: Page;
  let base = '';
  let referralId = '';
  let appointmentId = '';
  let patientId = '';
  let cspViolations: string[] = [];

  before(async () => {
    t = await startTestApp('sqlite');
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    assert.ok(address && typeof address === 'object');
    base = `http://localhost:${address.port}`;
    const nina = await addTestUser(t, 'nurse-specialist', 'nina');
    const carl = await addTestUser(t, 'consultant', 'carl');
    const bea = await addTestUser(t, 'booking-coordinator', 'bea');
    patientId = (await registerAnn(t, nina)).id;
    const referrals = t.deps.services.referrals;
    const referral = await referrals.create(actorOf(bea, null), { patientId }, ERS_REFERRAL);
    referralId = referral.id;
    await referrals.triage(actorOf(carl, null), referralId, null, {
      outcome: 'accepted',
      priority: 'routine',
    });
    appointmentId = (
      await referrals.book(actorOf(bea, null), referralId, {
        date: '2026-11-24',
        time: '09:30',
        clinic: 'Spasticity clinic',
        clinician: 'Nina Nurse',
      })
    ).id;
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    cspViolations = collectCspViolations(page);
    noJsContext = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 1280, height: 900 },
    });
    noJs = await noJsContext.newPage();
    noJs.setDefaultTimeout(20_000);
  });
  after(async () => {
    await noJsContext.close();
    await context.close();
    await browser.close();
    await t.close();
  });

  const noSidewaysScroll = (label: string) => expectNoSidewaysScroll(page, label);

  it('the form is accessible at 1280 px and 375 px, with and without an error', async () => {
    await signInAs(page, base, 'nina', PASSWORD);
    await page.goto(`${base}/appointments/${appointmentId}/next-step`);
    await page.getByRole('heading', { name: 'Record the outcome and next step' }).waitFor();
    await expectAccessible(page, 'next-step form at 1280 px');
    await page.getByRole('button', { name: 'Record outcome and make the letter' }).click();
    await page.locator('.nhsuk-error-summary').waitFor();
    await expectAccessible(page, 'next-step form with errors at 1280 px');
    await screenshot(page, 'next-step-form-error-1280');
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(`${base}/appointments/${appointmentId}/next-step`);
    await page.getByLabel('Refer elsewhere').check();
    await page
      .getByLabel('Service the patient is referred to (if referring elsewhere)')
      .fill('Leeds Pain Service');
    await noSidewaysScroll('next-step form at 375 px');
    await expectAccessible(page, 'next-step form at 375 px');
    await screenshot(page, 'next-step-form-375');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('records a selection assessment with JavaScript off, after a mistake', async () => {
    await signInAs(noJs, base, 'nina', PASSWORD);
    await noJs.goto(`${base}/referrals/${referralId}`);
    await noJs.getByRole('link', { name: /Record the outcome and next step/ }).click();
    await noJs.getByRole('button', { name: 'Record outcome and make the letter' }).click();
    const summary = noJs.locator('.nhsuk-error-summary');
    await summary.waitFor();
    const problems = (await summary.textContent()) ?? '';
    assert.match(problems, /Select the next step/);
    assert.match(problems, /Enter the summary for the clinic letter/);
    await noJs.getByLabel('Start a selection assessment').check();
    await noJs
      .getByLabel('What was found and agreed')
      .fill('Tone is high in both legs.\n\nWe agreed goals: easier transfers and less pain at night.');
    await noJs.getByRole('button', { name: 'Record outcome and make the letter' }).click();
    await noJs
      .locator('.nhsuk-notification-banner')
      .getByText(/Outcome and next step recorded/)
      .waitFor();
    const section = ((await noJs.locator('#next-step-1').textContent()) ?? '').replace(/\s+/g, ' ');
    assert.match(section, /Next step Start a selection assessment/);
    assert.match(section, /Recorded by Test nurse-specialist, 24 November 2026/);
    assert.match(section, /Clinic letter \(to the patient, copied to the referrer\)/);
    const timeline = ((await noJs.locator('body').textContent()) ?? '').replace(/\s+/g, ' ');
    assert.match(timeline, /Next step after the first appointment: Start a selection assessment/);
    // The patient's overview puts the same next step first, and its timeline says it.
    await noJs.goto(`${base}/patients/${patientId}`);
    const overview = ((await noJs.locator('main').textContent()) ?? '').replace(/\s+/g, ' ');
    assert.match(overview, /Next step: Start a selection assessment/);
    await noJs.getByRole('link', { name: 'Start the selection assessment' }).first().click();
    await noJs.waitForURL(/\/assessments\/new\?referralId=/);
    const chosen = await noJs.locator('#referralId').inputValue();
    assert.equal(chosen, referralId);
  });

  it('the referral page with the next step is accessible at 1280 px and 375 px', async () => {
    await page.goto(`${base}/referrals/${referralId}?done=next-step-recorded`);
    await page.locator('#next-steps').waitFor();
    await expectAccessible(page, 'referral page with its next step at 1280 px');
    await screenshot(page, 'next-step-referral-1280');
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(`${base}/referrals/${referralId}`);
    await page.locator('#next-steps').waitFor();
    const fits = await page.evaluate<boolean>(`(() => {
      const section = document.querySelector('#next-step-1');
      return section ? section.getBoundingClientRect().right <= window.innerWidth : false;
    })()`);
    assert.ok(fits, 'the next-step section fits a 375 px window');
    await expectAccessible(page, 'referral page with its next step at 375 px');
    await screenshot(page, 'next-step-referral-375');
    assert.deepEqual(cspViolations, []);
  });
});
