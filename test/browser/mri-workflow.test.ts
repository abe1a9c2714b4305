import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { actorOf } from '../../src/services/audit-service.ts';
import { registerPump } from '../../src/services/pump-service.ts';
import { addTestUser, PASSWORD, registerAnn, startTestApp, type TestApp } from '../support/test-app.ts';
import {
  collectCspViolations,
  expectAccessible,
  expectNoSidewaysScroll,
  launchChromium,
  screenshot,
  signInAs,
} from './browser-support.ts';

/**
 * The MRI workflow through the pages (hazards H-130, H-137): a nurse plans an MRI scan for a
 * SynchroMed pump (after leaving a step unconfirmed), records the scan, sees the post-scan check
 * on the pump page and the worklist, then, once it is late, sees it red and overdue; she records
 * the check. Today is Tuesday 24 November 2026. Every page is checked with axe at 1280 px and
 * 375 px, and must not scroll sideways.
 */
describe('MRI workflow journey', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let base = '';
  let pumpId = '';
  let cspViolations: string[] = [];

  before(async () => {
    t = await startTestApp('sqlite');
    t.clock.set('2026-11-24T08:00:00.000Z');
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    assert.ok(address && typeof address === 'object');
    base = `http://localhost:${address.port}`;
    const nina = await addTestUser(t, 'nurse-specialist', 'nina');
    const patientId = (await registerAnn(t, nina)).id;
    const svc = { db: t.deps.database.db, clock: t.clock, config: t.deps.config };
    pumpId = (
      await registerPump(svc, actorOf(nina, null), patientId, {
        modelId: 'synchromed-ii',
        reservoirMl: 20,
        serialNumber: 'NGP888001H',
        implantedOn: '2026-09-01',
        surgeon: 'Mr A Khan',
        alarmMl: 2,
        origin: 'spinal',
      })
    ).id;
    browser = await launchChromium();
    page = await (await browser.newContext()).newPage();
    cspViolations = collectCspViolations(page);
  });
  after(async () => {
    await browser.close();
    await t.close();
  });

  /** axe and no sideways scroll at 1280 px and 375 px, ending at 1280 px. */
  const checkWidths = async (label: string) => {
    for (const width of [375, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      await expectNoSidewaysScroll(page, `${label} at ${String(width)} px`);
      await expectAccessible(page, `${label} at ${String(width)} px`);
    }
  };
  const fillDate = async (id: string, day: string, month: string, year: string) => {
    await page.locator(`#${id}-day`).fill(day);
    await page.locator(`#${id}-month`).fill(month);
    await page.locator(`#${id}-year`).fill(year);
  };

  it('plans a scan with every step of the checklist, after an error', async () => {
    await signInAs(page, base, 'nina', PASSWORD);
    await page.goto(`${base}/pumps/${pumpId}`);
    await page
      .locator('#mri')
      .getByRole('link', { name: /Plan an MRI scan/ })
      .click();
    await page.getByRole('heading', { name: 'Plan an MRI scan' }).waitFor();
    await checkWidths('MRI plan form');
    await fillDate('plan-plannedOn', '24', '11', '2026');
    await page.getByLabel('Field strength in tesla (optional)').fill('1.5');
    const steps = page.locator('input[name="plan-confirmedSteps"]');
    await steps.nth(0).check();
    await page.getByRole('button', { name: 'Confirm the MRI plan' }).click();
    const summary = page.locator('.nhsuk-error-summary');
    await summary.waitFor();
    assert.match((await summary.textContent()) ?? '', /Confirm every step before the scan/);
    await checkWidths('MRI plan form with an error');
    await screenshot(page, 'mri-plan-error');
    for (let i = 0; i < (await steps.count()); i += 1) {
      await steps.nth(i).check();
    }
    await page.getByRole('button', { name: 'Confirm the MRI plan' }).click();
    await page
      .locator('.nhsuk-notification-banner')
      .getByText(/MRI planned/)
      .waitFor();
    await checkWidths('MRI planned');
  });

  it('records the scan: the check waits on the pump page and the worklist', async () => {
    // A few minutes on, within the session's idle time-out.
    t.clock.set('2026-11-24T08:20:00.000Z');
    await fillDate('scan-scannedAt', '24', '11', '2026');
    await page.getByLabel('Time of the scan').fill('08:10');
    await page.getByRole('button', { name: 'Record the scan' }).click();
    await page
      .locator('.nhsuk-notification-banner')
      .getByText(/Scan recorded/)
      .waitFor();
    assert.match(
      (await page.locator('#open-mri-summary').textContent()) ?? '',
      /25 November 2026, 00:00|24 November 2026/,
    );
    await checkWidths('MRI scanned, check waiting');

    await page.goto(`${base}/pumps/${pumpId}`);
    assert.match((await page.locator('#mri-check-waiting').textContent()) ?? '', /Post-scan check waiting/);
    await page.goto(`${base}/worklist`);
    const row = page.locator('#mri-checks-table tr', { has: page.locator(`a[href="/pumps/${pumpId}/mri"]`) });
    assert.match((await row.textContent()) ?? '', /Due/);
    await checkWidths('worklist with a post-scan check');
  });

  it('shows the check overdue in red once late, then records it', async () => {
    // The next morning: the session has timed out overnight, so the nurse signs in again.
    t.clock.set('2026-11-25T09:00:00.000Z');
    await signInAs(page, base, 'nina', PASSWORD);
    await page.goto(`${base}/worklist`);
    const row = page.locator('#mri-checks-table tr', { has: page.locator(`a[href="/pumps/${pumpId}/mri"]`) });
    assert.ok(await row.locator('.nhsuk-tag--red', { hasText: 'Overdue' }).count());
    await checkWidths('worklist with an overdue post-scan check');
    await screenshot(page, 'mri-check-overdue');
    await page.goto(`${base}/`);
    assert.match(
      (await page.locator('#queue-mri-checks-overdue').textContent()) ?? '',
      /1 post-MRI pump check overdue/,
    );

    await page.goto(`${base}/pumps/${pumpId}/mri`);
    await fillDate('check-checkedAt', '25', '11', '2026');
    await page.getByLabel('Time of the check').fill('08:30');
    await page.getByLabel('Yes, running and delivering').check();
    await page.getByLabel('Rotor turning: no stall').check();
    await page.getByLabel(/I read the pump’s logs/).check();
    await page.getByLabel('Reservoir volume (mL)').fill('11.5');
    await page.getByRole('button', { name: 'Record the check' }).click();
    await page.locator('.nhsuk-notification-banner').getByText('Post-scan check recorded').waitFor();
    assert.match(
      (await page.locator('#mri-history').textContent()) ?? '',
      /running, Rotor turning: no stall, reservoir 11.5 mL/,
    );
    await checkWidths('MRI check recorded');
    assert.deepEqual(cspViolations, []);
  });
});
