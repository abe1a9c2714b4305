import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { actorOf } from '../../src/services/audit-service.ts';
import { recordBridgingPlan } from '../../src/services/bridging-plan-service.ts';
import { registerPump } from '../../src/services/pump-service.ts';
import { EXPLANT_PLAN } from '../support/bridging-plan-fixtures.ts';
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
 * A pump's pause and end, through the pump page: a nurse pauses the pump for an MRI scan (after
 * an error), sees it paused on the worklist, records the resume, then records an explant; the
 * pump stays on the worklist, marked as ending, until a consultant confirms it; the consultant
 * also confirms a replacement the nurse registered. Today is Tuesday 24 November 2026. Every page visited, and the forms' error state, is checked with axe.
 */
describe('pump pause and end journey', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let base = '';
  let pumpId = '';
  let oldPumpId = '';
  let cspViolations: string[] = [];

  before(async () => {
    t = await startTestApp('sqlite');
    t.clock.set('2026-11-24T10:00:00.000Z');
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    assert.ok(address && typeof address === 'object');
    base = `http://localhost:${address.port}`;
    const nina = await addTestUser(t, 'nurse-specialist', 'nina');
    await addTestUser(t, 'consultant', 'carl');
    const patientId = (await registerAnn(t, nina)).id;
    const svc = { db: t.deps.database.db, clock: t.clock, config: t.deps.config };
    pumpId = (
      await registerPump(svc, actorOf(nina, null), patientId, {
        modelId: 'synchromed-ii',
        reservoirMl: 20,
        serialNumber: 'NGP777002H',
        implantedOn: '2026-09-01',
        surgeon: 'Mr A Khan',
        alarmMl: 2,
        origin: 'spinal',
      })
    ).id;
    // A second pump, replaced by a third the nurse registers: the replacement waits for the
    // consultant on the old pump's page.
    oldPumpId = (
      await registerPump(svc, actorOf(nina, null), patientId, {
        modelId: 'synchromed-ii',
        reservoirMl: 20,
        serialNumber: 'NGP777003H',
        implantedOn: '2026-09-01',
        surgeon: 'Mr A Khan',
        alarmMl: 2,
        origin: 'spinal',
      })
    ).id;
    await registerPump(svc, actorOf(nina, null), patientId, {
      modelId: 'synchromed-ii',
      reservoirMl: 20,
      serialNumber: 'NGP777004H',
      implantedOn: '2026-11-23',
      surgeon: 'Mr A Khan',
      alarmMl: 2,
      origin: 'spinal',
      replacesPumpId: oldPumpId,
    });
    // The explant's bridging plan, which its confirmation needs (complications.test.ts records
    // one through the page).
    await recordBridgingPlan(svc, actorOf(nina, null), pumpId, EXPLANT_PLAN);
    browser = await launchChromium();
    page = await (await browser.newContext()).newPage();
    cspViolations = collectCspViolations(page);
  });
  after(async () => {
    await browser.close();
    await t.close();
  });

  const worklistRow = () => page.locator('#worklist tr', { has: page.locator(`a[href="/pumps/${pumpId}"]`) });
  const fillDate = async (id: string, day: string, month: string, year: string) => {
    await page.locator(`#${id}-day`).fill(day);
    await page.locator(`#${id}-month`).fill(month);
    await page.locator(`#${id}-year`).fill(year);
  };

  it('a nurse pauses the pump for an MRI scan, after an error, and sees it paused on the worklist', async () => {
    await signInAs(page, base, 'nina', PASSWORD);
    await page.goto(`${base}/pumps/${pumpId}`);
    await page.getByRole('heading', { name: /serial NGP777002H/ }).waitFor();
    await page.getByText('Pause the pump (emptied or stopped for an MRI scan or surgery)').click();
    await fillDate('pause-pausedOn', '24', '11', '2026');
    await fillDate('pause-resumeBy', '1', '12', '2026');
    await page.getByRole('button', { name: 'Mark as paused' }).click();
    const summary = page.locator('.nhsuk-error-summary');
    await summary.waitFor();
    assert.match((await summary.textContent()) ?? '', /Choose why the pump is paused/);
    await expectAccessible(page, 'pause form with an error');
    await screenshot(page, 'pump-pause-error');
    assert.match((await summary.textContent()) ?? '', /Say whether the reservoir was emptied/);
    await page.getByLabel('For an MRI scan').check();
    await page.getByLabel('No, the pump was stopped with its drug inside').check();
    await page.getByRole('button', { name: 'Mark as paused' }).click();
    await page
      .locator('.nhsuk-notification-banner')
      .getByText(/Pump marked as paused/)
      .waitFor();
    assert.match((await page.locator('#paused').textContent()) ?? '', /Due to resume by 1 December 2026/);
    assert.match(
      (await page.locator('#paused').textContent()) ?? '',
      /Stopped with its drug inside \(not emptied\)/,
    );
    await expectAccessible(page, 'paused pump');
    await screenshot(page, 'pump-paused');

    await page.goto(`${base}/worklist`);
    await page.getByRole('heading', { name: 'Refill worklist' }).waitFor();
    const text = (await worklistRow().textContent()) ?? '';
    assert.match(text, /Paused/);
    assert.match(text, /Resume by 1 December 2026/);
    await expectAccessible(page, 'worklist with a paused pump');

    await worklistRow().getByRole('link').click();
    await fillDate('resume-resumedOn', '24', '11', '2026');
    await page.getByRole('button', { name: 'Record the resume' }).click();
    await page.locator('.nhsuk-notification-banner').getByText('Resume recorded').waitFor();
  });

  it('records an explant: the pump stays on the worklist, marked as ending', async () => {
    await page.getByText('Record an explant, death or transfer of care').click();
    await page.getByLabel('Pump removed (explant)').check();
    await fillDate('end-endedOn', '24', '11', '2026');
    await page.getByRole('button', { name: 'Ask a second clinician to confirm' }).click();
    const summary = page.locator('.nhsuk-error-summary');
    await summary.waitFor();
    assert.match((await summary.textContent()) ?? '', /Enter the reason/);
    await expectAccessible(page, 'end form with an error');
    await page.getByLabel('Reason', { exact: true }).fill('Pocket infection: pump removed in theatre');
    await page.getByRole('button', { name: 'Ask a second clinician to confirm' }).click();
    await page
      .locator('.nhsuk-notification-banner')
      .getByText(/Request recorded/)
      .waitFor();
    assert.match((await page.locator('#ending').textContent()) ?? '', /Ending: awaiting confirmation/);
    assert.equal(await page.getByRole('button', { name: 'Confirm: end this pump' }).count(), 0);
    await expectAccessible(page, 'pump ending, seen by the one who asked');
    await page.goto(`${base}/worklist`);
    assert.match((await worklistRow().textContent()) ?? '', /Ending: awaiting confirmation/);
    await signOutOf(page);
  });

  it('a consultant confirms it, and the pump leaves the worklist', async () => {
    await signInAs(page, base, 'carl', PASSWORD);
    await page.goto(`${base}/pumps/${pumpId}`);
    await expectAccessible(page, 'pump ending, seen by a second clinician');
    await screenshot(page, 'pump-ending');
    await page.getByRole('button', { name: 'Confirm: end this pump' }).click();
    await page
      .locator('.nhsuk-notification-banner')
      .getByText(/has left the refill worklist/)
      .waitFor();
    await expectAccessible(page, 'ended pump');
    await page.goto(`${base}/worklist`);
    await page.getByRole('heading', { name: 'Refill worklist' }).waitFor();
    assert.equal(await worklistRow().count(), 0);
  });

  it('the consultant confirms a replacement registered by the nurse, on the old pump’s page', async () => {
    await page.goto(`${base}/worklist`);
    const oldRow = page.locator('#worklist tr', { has: page.locator(`a[href="/pumps/${oldPumpId}"]`) });
    assert.match((await oldRow.textContent()) ?? '', /Ending: awaiting confirmation/);
    assert.match((await oldRow.textContent()) ?? '', /Pump replaced by a new pump/);
    await page.goto(`${base}/pumps/${oldPumpId}`);
    const ending = (await page.locator('#ending').textContent()) ?? '';
    assert.match(ending, /Pump replaced by a new pump/);
    assert.match(ending, /Replaced by NGP777004H/);
    await expectAccessible(page, 'pump replacement, seen by a second clinician');
    await screenshot(page, 'pump-replacement');
    await page.getByRole('button', { name: 'Confirm the replacement: end this pump' }).click();
    await page
      .locator('.nhsuk-notification-banner')
      .getByText(/has left the refill worklist/)
      .waitFor();
    await page.goto(`${base}/worklist`);
    await page.getByRole('heading', { name: 'Refill worklist' }).waitFor();
    assert.equal(await oldRow.count(), 0);
    assert.deepEqual(cspViolations, [], 'nothing blocked by the CSP');
  });
});
