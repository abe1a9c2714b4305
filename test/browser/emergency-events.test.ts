import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { actorOf } from '../../src/services/audit-service.ts';
import { registerPump } from '../../src/services/pump-service.ts';
import { addTestUser, PASSWORD, registerAnn, startTestApp, type TestApp } from '../support/test-app.ts';
import { checkBothWidths, openBrowserJourney, type BrowserJourney } from '../support/browser-journey.ts';
import { SYNCHROMED_II } from '../support/service-setup.ts';
import { screenshot, signInAs, signOutOf } from './browser-support.ts';

/**
 * An advice-line call reporting withdrawal signs, the emergency event it opens, the alert on
 * every page of the patient's record and at the head of the worklist, and a consultant closing
 * it. Today is Tuesday 24 November 2026. Every page is checked with axe, at 1280 px and 375 px.
 */
describe('emergency events journey', () => {
  let t: TestApp;
  let journey: BrowserJourney;
  let page: Page;
  let base = '';
  let patientId = '';
  let pumpId = '';
  let cspViolations: string[] = [];

  before(async () => {
    t = await startTestApp('sqlite');
    t.clock.set('2026-11-24T10:00:00.000Z');
    const nina = await addTestUser(t, 'nurse-specialist', 'nina');
    await addTestUser(t, 'consultant', 'carl');
    patientId = (await registerAnn(t, nina)).id;
    const svc = { db: t.deps.database.db, clock: t.clock, config: t.deps.config };
    pumpId = (
      await registerPump(svc, actorOf(nina, null), patientId, {
        ...SYNCHROMED_II,
        serialNumber: 'NGP888001H',
        surgeon: 'Mr A Khan',
      })
    ).id;
    journey = await openBrowserJourney(t);
    ({ page, base, cspViolations } = journey);
  });
  after(async () => {
    await journey.close();
  });

  it('a nurse logs a call reporting withdrawal signs; the form shows the advice for each alarm', async () => {
    await signInAs(page, base, 'nina', PASSWORD);
    await page.goto(`${base}/patients/${patientId}/emergencies`);
    await page.getByRole('heading', { name: 'Emergencies and advice-line calls' }).waitFor();
    await checkBothWidths(page, 'patient emergencies, none yet');
    await page.getByRole('link', { name: /Log an advice-line call/ }).click();
    await page.getByRole('heading', { name: 'Log an advice-line call' }).waitFor();
    const form = (await page.locator('main').textContent()) ?? '';
    assert.match(form, /Two tones is the critical alarm: the drug has stopped flowing/);
    assert.match(form, /One tone about once an hour is not critical/);
    await checkBothWidths(page, 'call form');
    await page.getByLabel('A carer or family member').check();
    await page.getByLabel('Signs of withdrawal', { exact: true }).check();
    await page.getByLabel('Itching with no rash').check();
    await page.getByLabel('None needed').check();
    await page.getByRole('button', { name: 'Log the call' }).click();
    const summary = page.locator('.nhsuk-error-summary');
    await summary.waitFor();
    assert.match((await summary.textContent()) ?? '', /Enter the advice given/);
    await checkBothWidths(page, 'call form with errors');
    await page
      .getByLabel('Advice given')
      .fill('Go to A&E now with the emergency card; take oral baclofen as instructed');
    await page.getByRole('button', { name: 'Log the call' }).click();
    // An urgent call (withdrawal signs) cannot end with no follow-up (H-114).
    await page
      .locator('.nhsuk-error-summary')
      .getByText(/An urgent call/)
      .waitFor();
    await screenshot(page, 'advice-call-errors');
    await page.getByLabel('Sent to A&E or told to call 999').check();
    await page.getByRole('button', { name: 'Log the call' }).click();
    await page.locator('.nhsuk-notification-banner').getByText('Call logged').waitFor();
    await checkBothWidths(page, 'call logged, suggesting an event');
  });

  it('opens the suggested withdrawal event; the alert shows on every page of her record', async () => {
    await page.getByRole('link', { name: 'Record: suspected withdrawal' }).click();
    await page.getByRole('heading', { name: 'Record an emergency event' }).waitFor();
    await page.getByLabel('Itching with no rash').check();
    await page.getByLabel('Fever').check();
    await page.getByRole('button', { name: 'Record the emergency event' }).click();
    const summary = page.locator('.nhsuk-error-summary');
    await summary.waitFor();
    assert.match((await summary.textContent()) ?? '', /Enter the actions taken/);
    await checkBothWidths(page, 'event form with an error');
    await page.getByLabel('Actions taken').fill('Sent to A&E; A&E told; pump to be interrogated');
    await page.getByRole('button', { name: 'Record the emergency event' }).click();
    await page.locator('.nhsuk-notification-banner--success').waitFor();
    await checkBothWidths(page, 'open event');
    for (const path of [`/patients/${patientId}`, `/pumps/${pumpId}`, `/patients/${patientId}/measures`]) {
      await page.goto(`${base}${path}`);
      const banner = page.getByRole('region', { name: 'Emergency alert' });
      await banner.waitFor();
      assert.match((await banner.textContent()) ?? '', /Suspected withdrawal/);
      await checkBothWidths(page, `alert on ${path}`);
    }
    await screenshot(page, 'emergency-alert');
    await page.goto(`${base}/worklist`);
    const head = page.locator('#worklist-emergencies');
    await head.waitFor();
    assert.match((await head.textContent()) ?? '', /SMITH, Ann/);
    await checkBothWidths(page, 'worklist headed by the open emergency');
    await page.goto(`${base}/emergency-events`);
    await checkBothWidths(page, 'open emergencies');
    await page.goto(`${base}/advice-calls`);
    await checkBothWidths(page, 'call log');
    await page.goto(`${base}/patients/${patientId}/emergencies`);
    await page.locator('#events').getByRole('link', { name: 'Suspected withdrawal' }).click();
    assert.match((await page.locator('main').textContent()) ?? '', /Only a consultant can close this event/);
    await signOutOf(page);
  });

  it('a consultant closes it with the outcome, and the alert goes', async () => {
    await signInAs(page, base, 'carl', PASSWORD);
    await page.goto(`${base}/patients/${patientId}/emergencies`);
    await page.locator('#events').getByRole('link', { name: 'Suspected withdrawal' }).click();
    await page.getByRole('button', { name: 'Close the emergency event' }).click();
    await page.locator('.nhsuk-error-summary').waitFor();
    await checkBothWidths(page, 'close form with errors');
    await page.getByLabel('Resolved: delivery restored or the patient recovered').check();
    await page.getByLabel('Outcome details').fill('Pump refilled in A&E; itch settled by evening');
    await page.getByRole('button', { name: 'Close the emergency event' }).click();
    await page.locator('.nhsuk-notification-banner--success').getByText('Emergency event closed').waitFor();
    await checkBothWidths(page, 'closed event');
    await page.goto(`${base}/pumps/${pumpId}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    assert.equal(await page.getByRole('region', { name: 'Emergency alert' }).count(), 0);
    assert.deepEqual(cspViolations, [], 'nothing blocked by the CSP');
  });
});
