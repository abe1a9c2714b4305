import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { actorOf, type Actor } from '../../src/services/audit-service.ts';
import { registerPump } from '../../src/services/pump-service.ts';
import { requestPumpEnd } from '../../src/services/pump-end-requests.ts';
import { addTestUser, PASSWORD, registerAnn, startTestApp, type TestApp } from '../support/test-app.ts';
import { checkBothWidths, openBrowserJourney, type BrowserJourney } from '../support/browser-journey.ts';
import { SYNCHROMED_II } from '../support/service-setup.ts';
import { screenshot, signInAs, signOutOf } from './browser-support.ts';

/**
 * The complications register through its pages: a nurse records a pocket infection with its
 * organism (after an error), then a catheter kink from the pump page; a consultant tries to
 * confirm the explant the nurse asked for, is refused because no bridging plan is recorded,
 * follows the page's link to record one, and confirms; the service-wide register is filtered by
 * kind. Every page and the forms' error states are checked with axe, at 1280 px and at 375 px
 * with no sideways scrolling. Today is Tuesday 24 November 2026.
 */
describe('complications register journey', () => {
  let t: TestApp;
  let journey: BrowserJourney;
  let page: Page;
  let base = '';
  let patientId = '';
  let pumpId = '';
  let cspViolations: string[] = [];
  let nina: Actor;

  const fillDate = async (id: string, day: string, month: string, year: string) => {
    await page.locator(`#${id}-day`).fill(day);
    await page.locator(`#${id}-month`).fill(month);
    await page.locator(`#${id}-year`).fill(year);
  };
  before(async () => {
    t = await startTestApp('sqlite');
    t.clock.set('2026-11-24T10:00:00.000Z');
    const ninaUser = await addTestUser(t, 'nurse-specialist', 'nina');
    nina = actorOf(ninaUser, null);
    await addTestUser(t, 'consultant', 'carl');
    patientId = (await registerAnn(t, ninaUser)).id;
    const svc = { db: t.deps.database.db, clock: t.clock, config: t.deps.config };
    pumpId = (
      await registerPump(svc, nina, patientId, {
        ...SYNCHROMED_II,
        serialNumber: 'NGP888001H',
        implantedOn: '2026-06-01',
        surgeon: 'Mr A Khan',
        catheterModel: '8709SC',
        catheterTipLevel: 'T10',
      })
    ).id;
    journey = await openBrowserJourney(t);
    ({ page, base, cspViolations } = journey);
  });
  after(async () => {
    await journey.close();
  });

  it('a nurse records a pocket infection with its organism, after an error', async () => {
    await signInAs(page, base, 'nina', PASSWORD);
    await page.goto(`${base}/patients/${patientId}`);
    await page.getByRole('link', { name: 'Complications register' }).click();
    await page.getByRole('heading', { name: 'Complications register' }).waitFor();
    await page.getByText('No complication has been recorded for this patient.').waitFor();
    await checkBothWidths(page, 'empty patient register');
    await page.getByRole('button', { name: 'Record a complication' }).click();
    await page.getByLabel('Infection: pump pocket').check();
    await fillDate('onsetOn', '2', '10', '2026');
    await page.getByLabel('Resolved', { exact: true }).check();
    await page.getByLabel('Organism (infections only, optional)').fill('Staphylococcus aureus');
    await page.getByRole('button', { name: 'Save complication' }).click();
    const summary = page.locator('.nhsuk-error-summary');
    await summary.waitFor();
    const problems = (await summary.textContent()) ?? '';
    assert.match(problems, /Choose the pump this complication is linked to|Enter the date resolved/);
    await checkBothWidths(page, 'complication form with errors');
    await page.getByLabel(/NGP888001H/).check();
    await page.getByLabel('The pump', { exact: true }).check();
    await fillDate('resolvedOn', '30', '10', '2026');
    await page.getByLabel('Actions taken (optional)').fill('Flucloxacillin for six weeks');
    await page.getByRole('button', { name: 'Save complication' }).click();
    await page.locator('.nhsuk-notification-banner').getByText('Complication recorded').waitFor();
    assert.match((await page.locator('main').textContent()) ?? '', /Staphylococcus aureus/);
    await checkBothWidths(page, 'complication');
    await screenshot(page, 'complication');
  });

  it('records a catheter kink from the pump page: the catheter as registered is kept', async () => {
    await page.goto(`${base}/pumps/${pumpId}`);
    await page.getByRole('link', { name: 'Record a complication for this pump' }).click();
    await page.getByLabel('Catheter fault: kink').check();
    await fillDate('onsetOn', '20', '11', '2026');
    await page.getByLabel('The catheter', { exact: true }).check();
    await page.getByRole('button', { name: 'Save complication' }).click();
    await page.locator('.nhsuk-notification-banner').getByText('Complication recorded').waitFor();
    assert.match((await page.locator('main').textContent()) ?? '', /8709SC, tip at T10/);
    await page.goto(`${base}/pumps/${pumpId}`);
    const section = (await page.locator('main').textContent()) ?? '';
    assert.match(section, /Catheter fault: kink/);
    assert.match(section, /Infection: pump pocket/);
    await signOutOf(page);
  });

  it('a consultant cannot confirm the explant until its bridging plan is recorded', async () => {
    // The nurse asked for the explant; the consultant is the second clinician.
    await requestPumpEnd({ db: t.deps.database.db, clock: t.clock, config: t.deps.config }, nina, pumpId, {
      kind: 'explant',
      endedOn: '2026-11-24',
      reason: 'Pocket infection came back: pump removed',
    });
    await signInAs(page, base, 'carl', PASSWORD);
    await page.goto(`${base}/pumps/${pumpId}`);
    assert.match(
      (await page.locator('#bridging-plan').textContent()) ?? '',
      /Bridging plan needed before this explant is confirmed/,
    );
    await checkBothWidths(page, 'pump ending without a bridging plan');
    await page.getByRole('button', { name: 'Confirm: end this pump' }).click();
    await page.getByText('Nothing was saved').waitFor();
    assert.match(
      (await page.locator('main').textContent()) ?? '',
      /Record a bridging plan for this explant first/,
    );
    await checkBothWidths(page, 'explant refused for want of a bridging plan');

    await page.getByRole('link', { name: 'Record the bridging plan for this explant' }).click();
    await page.getByRole('heading', { name: 'Record a bridging plan' }).waitFor();
    await page.getByRole('button', { name: 'Save bridging plan' }).click();
    await page.locator('.nhsuk-error-summary').waitFor();
    await checkBothWidths(page, 'bridging plan form with errors');
    await page.getByLabel('Oral baclofen cover during the gap in intrathecal delivery').check();
    await page.getByLabel('Dose', { exact: true }).fill('20 mg');
    await page.getByLabel('How often').fill('Three times a day');
    await fillDate('startOn', '24', '11', '2026');
    await fillDate('reviewOn', '1', '12', '2026');
    await page.getByLabel('Clinician responsible').fill('Dr C Consultant');
    await page.getByRole('button', { name: 'Save bridging plan' }).click();
    await page.locator('.nhsuk-notification-banner').getByText('Bridging plan recorded').waitFor();
    assert.match((await page.locator('#bridging-plan').textContent()) ?? '', /Oral baclofen, 20 mg/);
    await page.getByRole('button', { name: 'Confirm: end this pump' }).click();
    await page
      .locator('.nhsuk-notification-banner')
      .getByText(/has left the refill worklist/)
      .waitFor();
  });

  it('the service-wide register is filtered by kind', async () => {
    await page.goto(`${base}/complications`);
    await page.getByRole('heading', { name: 'Complications register' }).waitFor();
    await checkBothWidths(page, 'service register');
    await page.getByLabel('Kind').selectOption('catheter-kink');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/kind=catheter-kink/);
    const rows = page.locator('main tbody tr');
    assert.equal(await rows.count(), 1);
    assert.match((await rows.first().textContent()) ?? '', /Catheter fault: kink/);
    await page.goto(`${base}/complications?from=2026-11-30&to=2026-11-01`);
    await page.locator('.nhsuk-error-summary').waitFor();
    await checkBothWidths(page, 'service register with a bad filter');
    assert.deepEqual(cspViolations, [], 'nothing blocked by the CSP');
  });
});
