import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { actorOf } from '../../src/services/audit-service.ts';
import { pdfText } from '../support/pdf-text.ts';
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
 * The emergency card journey: a nurse opens the pump's emergency cards page from the pump page,
 * issues a card with JavaScript off and downloads it; after a dose change the patient and pump
 * pages flag the card as out of date. Every page is checked with axe at 1280 px and at 375 px,
 * where nothing may scroll sideways. Today is Tuesday 24 November 2026.
 */

describe('patient-held documents: the emergency card', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let noJsContext: BrowserContext;
  let noJs: Page;
  let base = '';
  let pumpId = '';
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
    patientId = (await registerAnn(t, nina)).id;
    const pumps = t.deps.services.pumps;
    pumpId = (
      await pumps.register(actorOf(nina, null), patientId, {
        modelId: 'synchromed-ii',
        reservoirMl: 20,
        serialNumber: 'NGP123456H',
        implantedOn: '2026-06-01',
        surgeon: 'Mr A Khan',
        alarmMl: 2,
        origin: 'spinal',
      })
    ).id;
    const p = await pumps.proposePrescription(actorOf(nina, null), pumpId, {
      concentrationMcgPerMl: 2000,
      programme: { mode: 'simple', doseMcgPerDay: 400 },
      phase: 'titration',
      reason: 'Test dose given at another centre',
    });
    await pumps.confirmPrescription(actorOf(carl, null), p.id, {});
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    cspViolations = collectCspViolations(page);
    noJsContext = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });
    noJs = await noJsContext.newPage();
    noJs.setDefaultTimeout(20_000);
  });
  after(async () => {
    // The server is closed even when the set-up failed part way (so the run cannot hang).
    try {
      await noJsContext.close();
      await context.close();
      await browser.close();
    } finally {
      await t.close();
    }
  });

  it('issues a card from the pump page with JavaScript off and downloads it', async () => {
    await signInAs(noJs, base, 'nina', PASSWORD);
    await noJs.goto(`${base}/pumps/${pumpId}`);
    await noJs.getByRole('link', { name: 'Issue an emergency card for this pump' }).click();
    await noJs.getByRole('heading', { name: 'Emergency cards', level: 1 }).waitFor();
    assert.match((await noJs.locator('#card-facts').textContent()) ?? '', /400 mcg\/day/);
    await noJs.getByRole('button', { name: 'Issue a card' }).click();
    await noJs
      .locator('.nhsuk-notification-banner')
      .getByText(/Emergency card issued/)
      .waitFor();
    const [download] = await Promise.all([
      noJs.waitForEvent('download'),
      noJs.locator('#cards-issued a').first().click(),
    ]);
    assert.equal(download.suggestedFilename(), 'emergency-card-2026-11-24.pdf');
    const path = await download.path();
    const text = pdfText(await readFile(path)).replace(/\s+/g, ' ');
    assert.match(text, /Daily dose: 400 mcg\/day/);
    assert.match(text, /Concentration: 2,000 mcg\/ml/);
  });

  it('the cards page is accessible and fits at 1280 px and 375 px', async () => {
    await signInAs(page, base, 'nina', PASSWORD);
    await page.goto(`${base}/pumps/${pumpId}/emergency-cards`);
    await expectAccessible(page, 'emergency cards page');
    await expectNoSidewaysScroll(page, 'emergency cards page at 1280 px');
    await screenshot(page, 'patient-documents-cards-1280');
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(`${base}/pumps/${pumpId}/emergency-cards`);
    await expectAccessible(page, 'emergency cards page at 375 px');
    await expectNoSidewaysScroll(page, 'emergency cards page at 375 px');
    await screenshot(page, 'patient-documents-cards-375');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('flags the card out of date on the patient and pump pages after a dose change', async () => {
    const pumps = t.deps.services.pumps;
    const users = await t.deps.database.db.selectFrom('users').selectAll().execute();
    const byName = (u: string) => {
      const found = users.find((x) => x.username === u);
      assert.ok(found);
      return { userId: found.id, username: found.username, role: found.role, requestId: null };
    };
    const p = await pumps.proposePrescription(byName('nina'), pumpId, {
      concentrationMcgPerMl: 2000,
      programme: { mode: 'simple', doseMcgPerDay: 380 },
      phase: 'titration',
      reason: 'Weakness when walking',
    });
    await pumps.confirmPrescription(byName('carl'), p.id, {});
    for (const [url, label] of [
      [`/patients/${patientId}`, 'patient overview'],
      [`/pumps/${pumpId}`, 'pump page'],
      [`/pumps/${pumpId}/emergency-cards`, 'emergency cards page'],
    ] as const) {
      for (const width of [1280, 375]) {
        await page.setViewportSize({ width, height: 900 });
        await page.goto(`${base}${url}`);
        assert.match((await page.locator('main').textContent()) ?? '', /out of date/i, label);
        await expectAccessible(page, `${label} with an out-of-date card at ${String(width)} px`);
        await expectNoSidewaysScroll(page, `${label} at ${String(width)} px`);
      }
    }
    await screenshot(page, 'patient-documents-out-of-date-375');
    assert.deepEqual(cspViolations, []);
  });
});
