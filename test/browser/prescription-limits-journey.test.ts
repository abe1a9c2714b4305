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
  launchChromium,
  screenshot,
  signInAs,
} from './browser-support.ts';

/**
 * A prescriber changes a SynchroMed II programme (200 mcg/day at 500 mcg/mL, confirmed two days
 * ago): types 1.5 and is asked "Did you mean 1,500 mcg/day?" beside the box; then a 30 mcg bolus
 * (15 % of 200) and is shown the warning with its figures and why the reason is needed; gives the
 * reason and the change is proposed. Each state is checked with axe. Today is 24 November 2026.
 */
describe('prescription limits journey', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let base = '';
  let pumpId = '';
  let cspViolations: string[] = [];

  before(async () => {
    t = await startTestApp('sqlite');
    t.clock.set('2026-11-22T10:00:00.000Z');
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    assert.ok(address && typeof address === 'object');
    base = `http://localhost:${address.port}`;
    const nina = await addTestUser(t, 'nurse-specialist', 'nina');
    const carl = await addTestUser(t, 'consultant', 'carl');
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
    const p = await proposePrescription(svc, actorOf(carl, null), pumpId, {
      reason: 'Starting dose from a test dose given at another centre',
      concentrationMcgPerMl: 500,
      phase: 'titration',
      programme: { mode: 'simple', doseMcgPerDay: 200, schedules: [], bolus: null },
    });
    await confirmPrescription(svc, actorOf(nina, null), p.id, {});
    t.clock.set('2026-11-24T10:00:00.000Z');
    browser = await launchChromium();
    page = await (await browser.newContext()).newPage();
    cspViolations = collectCspViolations(page);
  });
  after(async () => {
    await browser.close();
    await t.close();
  });

  it('asks "Did you mean 1,500 mcg/day?" beside the dose box, then lists a warning until a reason is given', async () => {
    await signInAs(page, base, 'nina', PASSWORD);
    await page.goto(`${base}/pumps/${pumpId}/prescriptions/new`);
    await page.getByRole('heading', { name: 'Change the prescription' }).waitFor();
    await page.getByLabel('Daily dose (simple continuous only)').fill('1.5');
    await page.getByRole('button', { name: 'Propose the change' }).click();
    await page.locator('.nhsuk-error-summary').waitFor();
    const suggestion = page.locator('#doseMcgPerDay-suggestion');
    assert.equal((await suggestion.textContent())?.trim(), 'Did you mean 1,500 mcg/day?');
    assert.match(
      (await page.locator('#doseMcgPerDay').getAttribute('aria-describedby')) ?? '',
      /doseMcgPerDay-suggestion/,
    );
    await expectAccessible(page, 'prescription form asking "did you mean"');
    await screenshot(page, 'prescription-did-you-mean');

    // 200 mcg/day with up to 2 boluses of 30 mcg: 30 ÷ 200 = 15 %, over the usual 10 %;
    // 200 + 60 = 260 in a day is +30 %, at the spinal titration limit.
    await page.getByLabel('Daily dose (simple continuous only)').fill('200');
    await page.getByLabel('Bolus dose').fill('30');
    await page.getByLabel('Most a day').fill('2');
    await page.getByLabel('Lock-out').fill('120');
    await page.getByRole('button', { name: 'Propose the change' }).click();
    const warnings = page.locator('#prescription-warnings');
    await warnings.waitFor();
    assert.match(
      (await warnings.textContent()) ?? '',
      /A bolus of 30 mcg is 15% of the continuous daily dose of 200 mcg, more than the usual 10%/,
    );
    assert.ok(await page.getByText('Required because of the warnings listed above').isVisible());
    await expectAccessible(page, 'prescription form with a warning');
    await screenshot(page, 'prescription-warning');
    await warnings.getByRole('link').first().click();
    assert.equal(await page.locator('#bolusDoseMcg:focus').count(), 1, 'the warning links to the bolus box');

    await page.getByLabel('Reason for the change').fill('Bolus before stretching sessions');
    await page.getByRole('button', { name: 'Propose the change' }).click();
    await page.locator('#pending-comparison').waitFor();
    assert.match(
      (await page.locator('#pending-comparison').textContent()) ?? '',
      /Titration limits: no maintenance dose has been confirmed yet[\s\S]*A bolus of 30 mcg is 15%/,
    );
    await expectAccessible(page, 'pump page with the pending change and its warning');
    assert.deepEqual(cspViolations, []);
  });
});
