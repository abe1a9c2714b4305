import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { actorOf } from '../../src/services/audit-service.ts';
import { confirmPrescription, proposePrescription } from '../../src/services/prescription-service.ts';
import { registerPump } from '../../src/services/pump-service.ts';
import { addTestUser, PASSWORD, registerAnn, startTestApp, type TestApp } from '../support/test-app.ts';
import {
  expectAccessible,
  launchChromium,
  screenshot,
  collectCspViolations,
  signInAs,
  signOutOf,
} from './browser-support.ts';

/**
 * The refill journey: a nurse records a refill with a 1.5 mL discrepancy on a 20 mL pump, another
 * nurse reviews it, a second clinician checks and signs, and the worklist shows the new due date.
 * The patient, pump and a confirmed prescription (200 mcg/day at 500 mcg/mL, alarm at 2 mL) are
 * set up through the services. Today is Tuesday 24 November 2026: a 20 mL fill alarms on
 * 8 January 2027, due 7 days before on 1 January (a bank holiday), so on Thursday 31 December.
 * Every page visited, and the form's error state, is checked with axe.
 */
describe('refill journey', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let base = '';
  let patientId = '';
  let pumpId = '';
  let refillUrl = '';
  let cspViolations: string[] = [];

  before(async () => {
    t = await startTestApp('sqlite');
    t.clock.set('2026-11-24T10:00:00.000Z');
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    assert.ok(address && typeof address === 'object');
    base = `http://localhost:${address.port}`;
    const nina = await addTestUser(t, 'nurse-specialist', 'nina');
    const nora = await addTestUser(t, 'nurse-specialist', 'nora');
    const carl = await addTestUser(t, 'consultant', 'carl');
    patientId = (await registerAnn(t, nina)).id;
    const svc = { db: t.deps.database.db, clock: t.clock, config: t.deps.config };
    const pump = await registerPump(svc, actorOf(nina, null), patientId, {
      modelId: 'synchromed-ii',
      reservoirMl: 20,
      serialNumber: 'NGP777001H',
      implantedOn: '2026-09-01',
      surgeon: 'Mr A Khan',
      alarmMl: 2,
      catheterModel: '8709SC',
      catheterTipLevel: 'T10',
      origin: 'spinal',
    });
    pumpId = pump.id;
    const p = await proposePrescription(svc, actorOf(carl, null), pumpId, {
      reason: 'Starting dose from a test dose given at another centre',
      concentrationMcgPerMl: 500,
      phase: 'titration',
      programme: { mode: 'simple', doseMcgPerDay: 200, schedules: [], bolus: null },
    });
    await confirmPrescription(svc, actorOf(nora, null), p.id, {});
    browser = await launchChromium();
    page = await (await browser.newContext()).newPage();
    cspViolations = collectCspViolations(page);
  });
  after(async () => {
    await browser.close();
    await t.close();
  });

  const signIn = (username: string) => signInAs(page, base, username, PASSWORD);
  const signOut = () => signOutOf(page);

  it('a nurse records a refill 1.5 mL short, after an error, and sees it flagged', async () => {
    await signIn('nina');
    await page.goto(`${base}/patients/${patientId}`);
    await page.getByRole('link', { name: 'Pumps and refills' }).click();
    await page.getByRole('heading', { name: 'Pumps and refills' }).waitFor();
    await expectAccessible(page, 'patient pumps');
    await page.getByRole('link', { name: /SynchroMed II/ }).click();
    await page.getByRole('heading', { name: /serial NGP777001H/ }).waitFor();
    await expectAccessible(page, 'pump page before the refill');
    await screenshot(page, 'pump-page');
    await page.getByRole('button', { name: 'Record a refill' }).click();
    await page.getByRole('heading', { name: 'Record a refill' }).waitFor();
    await expectAccessible(page, 'refill form');

    // Prefilled from the pump and the prescription.
    assert.equal(await page.getByLabel('Concentration', { exact: true }).inputValue(), '500');
    assert.equal(await page.getByLabel('Low-reservoir alarm volume').inputValue(), '2');
    await page.getByLabel('Expected residual volume').fill('6.0');
    await page.getByLabel('Volume withdrawn').fill('4.5 mL');
    await page.getByLabel('Batch number').fill('LB2026-117');
    await page.locator('#expiresOn-day').fill('30');
    await page.locator('#expiresOn-month').fill('6');
    await page.locator('#expiresOn-year').fill('2027');
    await page.getByLabel('Volume instilled').fill('20');
    await page.getByRole('button', { name: 'Record the refill' }).click();

    const summary = page.locator('.nhsuk-error-summary');
    await summary.waitFor();
    assert.match((await summary.textContent()) ?? '', /Volume withdrawn must be a number of mL, digits only/);
    await expectAccessible(page, 'refill form with an error');
    await screenshot(page, 'refill-form-error');
    assert.equal(await page.getByLabel('Batch number').inputValue(), 'LB2026-117');
    await summary.getByRole('link', { name: /Volume withdrawn/ }).click();
    assert.equal(await page.locator('#withdrawnMl:focus').count(), 1, 'the withdrawn box has focus');
    await page.getByLabel('Volume withdrawn').fill('4.5');
    await page.getByRole('button', { name: 'Record the refill' }).click();

    await page.locator('.nhsuk-notification-banner').getByText('Refill recorded').waitFor();
    refillUrl = page.url().replace(/\?.*$/, '');
    const urgent = page.locator('.nhsuk-card--care--urgent');
    assert.match((await urgent.textContent()) ?? '', /more than 1 mL on a 20 mL pump: review before signing/);
    assert.match((await page.locator('#residual').textContent()) ?? '', /\u22121\.5 mL, \u221225%/);
    await expectAccessible(page, 'flagged refill');
    await screenshot(page, 'refill-flagged');
  });

  it('is made to have it reviewed: no signing is offered until another nurse records the review', async () => {
    assert.equal(await page.getByRole('button', { name: 'Sign the refill' }).count(), 0);
    // The review is someone else's to write: the nurse who did the refill is told so.
    assert.equal(await page.getByRole('button', { name: 'Record the review' }).count(), 0);
    assert.ok(await page.getByText('must be reviewed before this refill can be signed').isVisible());
    await signOut();
    await signIn('nora');
    await page.goto(refillUrl);
    await page
      .getByLabel('Review of the discrepancy')
      .fill('Pump log checked: two boluses given that the programmer had not counted. No pocket swelling.');
    await page.getByRole('button', { name: 'Record the review' }).click();
    await page.locator('.nhsuk-notification-banner').getByText('Review recorded').waitFor();
    await expectAccessible(page, 'reviewed refill');
    await signOut();
    // The nurse who did the refill is still not offered the signature.
    await signIn('nina');
    await page.goto(refillUrl);
    assert.equal(await page.getByRole('button', { name: 'Sign the refill' }).count(), 0);
    assert.ok(
      await page.getByText('You did this refill: a different clinician must check and sign it').isVisible(),
    );
    await signOut();
  });

  it('a consultant checks and signs; the worklist shows the new due date', async () => {
    await signIn('carl');
    await page.goto(refillUrl);
    await page.getByRole('button', { name: 'Sign the refill' }).click();
    const summary = page.locator('.nhsuk-error-summary');
    await summary.waitFor();
    assert.match((await summary.textContent()) ?? '', /I have checked the volumes/i);
    await expectAccessible(page, 'sign form with an error');
    await page.getByLabel('I have checked the volumes, concentration and programme against the pump').check();
    await page.getByRole('button', { name: 'Sign the refill' }).click();
    await page.locator('.nhsuk-notification-banner').getByText('Refill checked and signed').waitFor();
    const plan = (await page.locator('#plan').textContent()) ?? '';
    assert.match(plan, /8 January 2027/);
    assert.match(plan, /31 December 2026 \(working day\)/);
    await expectAccessible(page, 'signed refill');
    await screenshot(page, 'refill-signed');

    await page.goto(`${base}/worklist`);
    await page.getByRole('heading', { name: 'Refill worklist' }).waitFor();
    const row = page.locator('#worklist tr', { has: page.locator(`a[href="/pumps/${pumpId}"]`) });
    assert.equal(await row.count(), 1, 'the pump is on the worklist');
    const text = (await row.textContent()) ?? '';
    assert.match(text, /31 December 2026/);
    assert.match(text, /8 January 2027/);
    assert.match(text, /Not booked/);
    await expectAccessible(page, 'worklist');
    await screenshot(page, 'refill-worklist');

    await row.getByRole('link').click();
    await page.getByRole('heading', { name: /serial NGP777001H/ }).waitFor();
    assert.match(
      (await page.locator('#refill-standing').textContent()) ?? '',
      /31 December 2026 \(working day\)/,
    );
    await expectAccessible(page, 'pump page after the refill');
    assert.deepEqual(cspViolations, [], 'nothing blocked by the CSP');
  });
});
