import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { actorOf } from '../../src/services/audit-service.ts';
import { confirmPrescription, proposePrescription } from '../../src/services/prescription-service.ts';
import { registerPump } from '../../src/services/pump-service.ts';
import { addTestUser, PASSWORD, registerAnn, startTestApp, type TestApp } from '../support/test-app.ts';
import {
  collectCspViolations,
  expectAccessible,
  expectNoSidewaysScroll,
  launchChromium,
  screenshot,
  signInAs,
  signOutOf,
} from './browser-support.ts';

/**
 * Life events through the patient's page: a nurse records a pregnancy (after an error) and sees
 * its checklist on the overview; a consultant marks the dose review done; the nurse records a
 * transfer of care, downloads the transfer letter, and the pump stays on the worklist until the
 * consultant confirms its end. Today is Tuesday 24 November 2026. Each page is checked with axe
 * at 1280 px and at 375 px, with no sideways scrolling.
 */
describe('life events journey', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let base = '';
  let patientId = '';
  let pumpId = '';
  let cspViolations: string[] = [];

  before(async () => {
    t = await startTestApp('sqlite');
    t.clock.set('2026-11-24T10:00:00.000Z');
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    assert.ok(address && typeof address === 'object');
    base = `http://localhost:${address.port}`;
    const nina = await addTestUser(t, 'nurse-specialist', 'nina');
    const carl = await addTestUser(t, 'consultant', 'carl');
    patientId = (await registerAnn(t, nina)).id;
    const svc = { db: t.deps.database.db, clock: t.clock, config: t.deps.config };
    pumpId = (
      await registerPump(svc, actorOf(nina, null), patientId, {
        modelId: 'synchromed-ii',
        reservoirMl: 20,
        serialNumber: 'NGP778001H',
        implantedOn: '2026-09-01',
        surgeon: 'Mr A Khan',
        alarmMl: 2,
        catheterModel: '8709SC',
        catheterTipLevel: 'T10',
        origin: 'spinal',
      })
    ).id;
    const p = await proposePrescription(svc, actorOf(nina, null), pumpId, {
      concentrationMcgPerMl: 500,
      phase: 'titration',
      reason: 'Test dose given at another centre',
      programme: { mode: 'simple', doseMcgPerDay: 150, schedules: [], bolus: null },
    });
    await confirmPrescription(svc, actorOf(carl, null), p.id, {});
    browser = await launchChromium();
    page = await (await browser.newContext()).newPage();
    cspViolations = collectCspViolations(page);
  });
  after(async () => {
    await browser.close();
    await t.close();
  });

  /** axe and the width check at desktop and phone widths, back at desktop width after. */
  const checkBothWidths = async (label: string) => {
    for (const [width, height] of [
      [1280, 900],
      [375, 800],
    ] as const) {
      await page.setViewportSize({ width, height });
      await expectAccessible(page, `${label} at ${String(width)} px`);
      await expectNoSidewaysScroll(page, `${label} at ${String(width)} px`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  };
  const fillDate = async (id: string, day: string, month: string, year: string) => {
    await page.locator(`#${id}-day`).fill(day);
    await page.locator(`#${id}-month`).fill(month);
    await page.locator(`#${id}-year`).fill(year);
  };
  const worklistRow = () => page.locator('#worklist tr', { has: page.locator(`a[href="/pumps/${pumpId}"]`) });

  it('a nurse records a pregnancy, after an error, and sees its checklist on the patient page', async () => {
    await signInAs(page, base, 'nina', PASSWORD);
    await page.goto(`${base}/patients/${patientId}`);
    await checkBothWidths('patient page with no life events');
    await page.getByRole('link', { name: 'Record a pregnancy' }).click();
    await page.getByRole('heading', { name: 'Record pregnancy' }).waitFor();
    await fillDate('expectedDeliveryOn', '1', '3', '2027');
    await page.getByRole('button', { name: 'Record pregnancy' }).click();
    const summary = page.locator('.nhsuk-error-summary');
    await summary.waitFor();
    assert.match((await summary.textContent()) ?? '', /Enter the obstetric team/);
    await checkBothWidths('pregnancy form with an error');
    await page.getByLabel('Obstetric team').fill('Leeds maternity, Dr O Bstet');
    await page.getByRole('button', { name: 'Record pregnancy' }).click();
    await page
      .locator('.nhsuk-notification-banner')
      .getByText(/Recorded/)
      .waitFor();
    assert.match((await page.locator('#action-alert-obstetric').textContent()) ?? '', /GAP/);
    await checkBothWidths('pregnancy checklist');
    await screenshot(page, 'life-event-pregnancy');

    await page.goto(`${base}/patients/${patientId}`);
    const block = page.locator('.app-life-event');
    assert.match((await block.textContent()) ?? '', /Consultant review of the ITB dose in pregnancy/);
    await checkBothWidths('patient page with an open pregnancy');
    await signOutOf(page);
  });

  it('a consultant marks the dose review done', async () => {
    await signInAs(page, base, 'carl', PASSWORD);
    await page.goto(`${base}/patients/${patientId}`);
    await page.locator('.app-life-event').getByRole('link', { name: 'Pregnancy' }).click();
    await page
      .getByRole('button', { name: 'Mark done: Consultant review of the ITB dose in pregnancy' })
      .click();
    await page.locator('.nhsuk-notification-banner').getByText('Action marked done').waitFor();
    assert.match((await page.locator('#action-dose-review').textContent()) ?? '', /Done by/);
    await checkBothWidths('pregnancy checklist with an action done');
    await signOutOf(page);
  });

  it('the nurse records a transfer: the letter downloads and the pump stays on the worklist', async () => {
    await signInAs(page, base, 'nina', PASSWORD);
    await page.goto(`${base}/patients/${patientId}/life-events/transfer/new`);
    await checkBothWidths('transfer form');
    await fillDate('transferOn', '24', '11', '2026');
    await page.getByLabel('Receiving service', { exact: true }).fill('Sheffield ITB service');
    await page.getByLabel('Contact at the receiving service').fill('Sister J Smith, 0114 000 0000');
    await page.getByRole('button', { name: 'Record transfer of care' }).click();
    await page
      .locator('.nhsuk-notification-banner')
      .getByText(/a different clinician must confirm it/)
      .waitFor();
    await checkBothWidths('transfer checklist');
    await screenshot(page, 'life-event-transfer');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /Download the letter/ }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^transfer-letter-2026-11-24\.pdf$/);

    await page.goto(`${base}/worklist`);
    await page.getByRole('heading', { name: 'Refill worklist' }).waitFor();
    assert.match((await worklistRow().textContent()) ?? '', /Ending: awaiting confirmation/);
    await signOutOf(page);
  });

  it('the consultant confirms the transfer on the pump page, and only then it leaves the worklist', async () => {
    await signInAs(page, base, 'carl', PASSWORD);
    await page.goto(`${base}/pumps/${pumpId}`);
    await page.getByRole('button', { name: 'Confirm: end this pump' }).click();
    await page
      .locator('.nhsuk-notification-banner')
      .getByText(/has left the refill worklist/)
      .waitFor();
    await page.goto(`${base}/worklist`);
    await page.getByRole('heading', { name: 'Refill worklist' }).waitFor();
    assert.equal(await worklistRow().count(), 0);
    assert.deepEqual(cspViolations, [], 'nothing blocked by the CSP');
  });
});
