import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { actorOf } from '../../src/services/audit-service.ts';
import { confirmPrescription, proposePrescription } from '../../src/services/prescription-service.ts';
import { registerPump } from '../../src/services/pump-service.ts';
import { recordRefill } from '../../src/services/refill-service.ts';
import { signRefill } from '../../src/services/refill-sign-service.ts';
import { addTestUser, PASSWORD, registerAnn, startTestApp, type TestApp } from '../support/test-app.ts';
import {
  collectCspViolations,
  expectAccessible,
  launchChromium,
  screenshot,
  signInAs,
  signOutOf,
} from './browser-support.ts';

/**
 * The refill checks in a browser, axe on every new page state: a refill 60 days after a 20 mL fill
 * at 0.5 mL a day (empty after 40 days, 11 October 2026) is flagged as run dry and after the alarm,
 * with the signs of withdrawal beside it; another nurse's review records the withdrawal check; the
 * consultant rejects one recorded wrongly; a volume correction is confirmed by a second clinician.
 */
describe('refill checks journey', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let base = '';
  let pumpId = '';
  let refillUrl = '';
  let cspViolations: string[] = [];
  let ninaActor: ReturnType<typeof actorOf> | null = null;

  before(async () => {
    t = await startTestApp('sqlite');
    t.clock.set('2026-09-01T10:00:00.000Z');
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    assert.ok(address && typeof address === 'object');
    base = `http://localhost:${address.port}`;
    const nina = await addTestUser(t, 'nurse-specialist', 'nina');
    ninaActor = actorOf(nina, null);
    await addTestUser(t, 'nurse-specialist', 'nora');
    const carl = await addTestUser(t, 'consultant', 'carl');
    const patientId = (await registerAnn(t, nina)).id;
    const svc = { db: t.deps.database.db, clock: t.clock, config: t.deps.config };
    pumpId = (
      await registerPump(svc, actorOf(nina, null), patientId, {
        modelId: 'synchromed-ii',
        reservoirMl: 20,
        serialNumber: 'NGP777002H',
        implantedOn: '2026-08-01',
        surgeon: 'Mr A Khan',
        alarmMl: 2,
        origin: 'spinal',
      })
    ).id;
    const p = await proposePrescription(svc, actorOf(carl, null), pumpId, {
      reason: 'Starting dose from a test dose given at another centre',
      concentrationMcgPerMl: 500,
      phase: 'titration',
      programme: { mode: 'simple', doseMcgPerDay: 250, schedules: [], bolus: null },
    });
    await confirmPrescription(svc, actorOf(nina, null), p.id, {});
    const fill = {
      performedOn: '2026-09-01',
      expectedResidualMl: 5,
      withdrawnMl: 5,
      concentrationMcgPerMl: 500,
      batch: 'LB2026-400',
      expiresOn: '2027-06-30',
      instilledMl: 20,
      alarmMl: 2,
    };
    const first = await recordRefill(svc, actorOf(nina, null), pumpId, fill);
    await signRefill(svc, actorOf(carl, null), first.id, { version: first.version });
    t.clock.set('2026-10-31T10:00:00.000Z');
    const late = await recordRefill(svc, actorOf(nina, null), pumpId, {
      ...fill,
      performedOn: '2026-10-31',
      expectedResidualMl: 0,
      withdrawnMl: 0,
    });
    refillUrl = `${base}/refills/${late.id}`;
    browser = await launchChromium();
    page = await (await browser.newContext()).newPage();
    cspViolations = collectCspViolations(page);
  });
  after(async () => {
    await browser.close();
    await t.close();
  });

  const signIn = (username: string) => signInAs(page, base, username, PASSWORD);

  it('a refill after the pump ran dry shows the flags and the signs of withdrawal', async () => {
    await signIn('nina');
    await page.goto(refillUrl);
    assert.match((await page.locator('#flag-RAN_DRY').textContent()) ?? '', /ran dry on 11 October 2026/);
    assert.ok(await page.locator('#withdrawal-signs').getByText('itching with no rash').isVisible());
    assert.equal(await page.getByRole('button', { name: 'Record the review' }).count(), 0);
    await expectAccessible(page, 'refill that ran dry');
    await screenshot(page, 'refill-ran-dry');
    await signOutOf(page);
  });

  it('another nurse reviews it, and must record the withdrawal check', async () => {
    await signIn('nora');
    await page.goto(refillUrl);
    await page.getByLabel('Review of the findings').fill('Reservoir empty on arrival; patient seen at once.');
    await page.getByRole('button', { name: 'Record the review' }).click();
    const summary = page.locator('.nhsuk-error-summary');
    await summary.waitFor();
    assert.match((await summary.textContent()) ?? '', /signs of baclofen withdrawal/);
    await expectAccessible(page, 'review without the withdrawal check');
    await page.getByLabel('I have checked the patient for signs of baclofen withdrawal').check();
    await page
      .getByLabel('What the check for signs of withdrawal found')
      .fill('Itching since yesterday; team told');
    await page.getByRole('button', { name: 'Record the review' }).click();
    await page.locator('.nhsuk-notification-banner').getByText('Review recorded').waitFor();
    await signOutOf(page);
  });

  it('the consultant rejects it: voided, with the reason', async () => {
    await signIn('carl');
    await page.goto(refillUrl);
    await page.getByLabel('Why the refill is rejected').fill('Batch taken from the wrong box');
    await page.getByRole('button', { name: 'Reject the refill' }).click();
    await page
      .locator('.nhsuk-notification-banner')
      .getByText(/Refill rejected/)
      .waitFor();
    assert.match((await page.locator('#voided').textContent()) ?? '', /Batch taken from the wrong box/);
    await expectAccessible(page, 'voided refill');
    await screenshot(page, 'refill-voided');
    await page.goto(`${base}/pumps/${pumpId}`);
    assert.match((await page.locator('#refill-history').textContent()) ?? '', /Voided/);
    await expectAccessible(page, 'pump page with a voided refill');
    await signOutOf(page);
  });

  it('a volume correction waits for a second clinician, old and new side by side', async () => {
    const svc = { db: t.deps.database.db, clock: t.clock, config: t.deps.config };
    assert.ok(ninaActor);
    // Recorded again after the void (the programmer's 20 mL is far from the software's 0: flagged too).
    const again = await recordRefill(svc, ninaActor, pumpId, {
      performedOn: '2026-10-31',
      expectedResidualMl: 20,
      withdrawnMl: 20,
      concentrationMcgPerMl: 500,
      batch: 'LB2026-401',
      expiresOn: '2027-06-30',
      instilledMl: 20,
      alarmMl: 2,
    });
    assert.ok(again.flagged, 'ran dry and after the alarm, as before');
    await signIn('nora');
    await page.goto(`${base}/refills/${again.id}`);
    await page.getByLabel('I have checked the patient for signs of baclofen withdrawal').check();
    await page.getByLabel('What the check for signs of withdrawal found').fill('None found');
    await page.getByLabel('Review of the findings').fill('Empty on arrival; the patient was well.');
    await page.getByRole('button', { name: 'Record the review' }).click();
    await page.locator('.nhsuk-notification-banner').getByText('Review recorded').waitFor();
    await signOutOf(page);
    await signIn('carl');
    await page.goto(`${base}/refills/${again.id}`);
    await page.getByLabel('I have checked the volumes, concentration and programme against the pump').check();
    await page.getByRole('button', { name: 'Sign the refill' }).click();
    await page.locator('.nhsuk-notification-banner').getByText('Refill checked and signed').waitFor();
    await signOutOf(page);

    await signIn('nina');
    await page.goto(`${base}/refills/${again.id}`);
    await page.getByLabel('Reason for the correction').fill('The syringe held 18 mL');
    await page.getByLabel('Corrected volume instilled (optional)').fill('18');
    await page.getByRole('button', { name: 'Propose the correction' }).click();
    await page
      .locator('.nhsuk-notification-banner')
      .getByText(/Volume correction recorded/)
      .waitFor();
    assert.match((await page.locator('#volume-comparison').textContent()) ?? '', /20 mL[\s\S]*18 mL/);
    await expectAccessible(page, 'volume correction waiting');
    await signOutOf(page);
    await signIn('carl');
    await page.goto(`${base}/refills/${again.id}`);
    await page.getByRole('button', { name: 'Confirm the correction' }).click();
    await page
      .locator('.nhsuk-notification-banner')
      .getByText(/Volume correction confirmed/)
      .waitFor();
    // 18 mL at 0.5 mL a day: (18 − 2) ÷ 0.5 = 32 days after 31 October: 2 December 2026.
    assert.match((await page.locator('#plan').textContent()) ?? '', /2 December 2026/);
    await expectAccessible(page, 'volume correction confirmed');
    await signOutOf(page);
  });

  it('breaks no content security rule', () => {
    assert.deepEqual(cspViolations, []);
  });
});
