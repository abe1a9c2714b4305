import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { PlainDate } from '../../src/domain/calendar-date.ts';
import { buildFiguresFacts, insertFiguresWorld } from '../support/figures-world.ts';
import { addTestUser, PASSWORD, startTestApp, type TestApp } from '../support/test-app.ts';
import {
  collectCspViolations,
  expectAccessible,
  expectNoSidewaysScroll,
  launchChromium,
  screenshot,
  signInAs,
} from './browser-support.ts';

/**
 * The figures page in the browser: a service manager signs in over a seeded two-year history,
 * reads the figures for the last 12 months, changes the period (a reversed one first, refused
 * naming the field), and downloads one figure's CSV. Checked with axe, and for sideways
 * scrolling at 1280 px and at 375 px. Today is Tuesday 24 November 2026.
 */
describe('figures journey', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base = '';
  let cspViolations: string[] = [];

  before(async () => {
    t = await startTestApp();
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    assert.ok(address && typeof address === 'object');
    base = `http://localhost:${String(address.port)}`;
    await addTestUser(t, 'service-manager', 'maxine');
    await insertFiguresWorld(
      t.deps.database.db,
      buildFiguresFacts({
        referrals: 200,
        pumps: 60,
        assessments: 80,
        episodes: 40,
        from: '2024-12-01' as PlainDate,
        to: '2026-11-24' as PlainDate,
        seed: 17,
      }),
    );
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    cspViolations = collectCspViolations(page);
  });
  after(async () => {
    await context.close();
    await browser.close();
    await t.close();
  });

  it('shows every figure for the last 12 months with its definition, chart and table', async () => {
    await signInAs(page, base, 'maxine', PASSWORD);
    await page.getByRole('link', { name: 'Figures' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Service figures' }).waitFor();
    assert.equal(await page.locator('#from').inputValue(), '2025-12-01');
    assert.equal(await page.locator('#to').inputValue(), '2026-11-24');
    await page.getByRole('heading', { level: 3, name: 'Referrals received, by source' }).waitFor();
    assert.ok(
      (await page.getByRole('img', { name: /^Bar chart: Referrals received, by source/ }).count()) === 1,
    );
    await expectAccessible(page, 'figures page');
    await expectNoSidewaysScroll(page, 'figures page at 1280 px');
    await screenshot(page, 'figures-1280');
  });

  it('refuses a reversed period naming the end date, then shows the period asked for', async () => {
    await page.locator('#from').fill('2026-06-01');
    await page.locator('#to').fill('2026-03-31');
    await page.getByRole('button', { name: 'Show figures' }).click();
    const summary = page.locator('.nhsuk-error-summary');
    await summary.waitFor();
    assert.match((await summary.textContent()) ?? '', /End date must be the same as or after the start date/);
    await expectAccessible(page, 'figures page with an error');
    await page.locator('#from').fill('2026-01-01');
    await page.locator('#to').fill('2026-06-30');
    await page.getByRole('button', { name: 'Show figures' }).click();
    await page.getByText('Figures from 1 January 2026 to 30 June 2026').waitFor();
    const table = page.getByRole('table', { name: /Implants, revisions, replacements and explants/ });
    assert.match((await table.textContent()) ?? '', /Jun 2026/);
    assert.doesNotMatch((await table.textContent()) ?? '', /Jul 2026/);
  });

  it('downloads one figure as CSV for that period', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page
        .getByRole('link', { name: /Download “Implants, revisions, replacements and explants” as CSV/ })
        .click(),
    ]);
    assert.equal(download.suggestedFilename(), 'procedures-2026-01-01-to-2026-06-30.csv');
    const path = await download.path();
    const csv = await readFile(path, 'utf8');
    assert.match(csv, /^Figure,"?Implants, revisions, replacements and explants"?/);
    assert.match(
      csv,
      /\nMonth,First implants,Replacements,Pump revisions,Catheter revisions,Explants,Total\n/,
    );
  });

  it('fits a phone screen: the tables stack, nothing scrolls sideways', async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Service figures' }).waitFor();
    await expectAccessible(page, 'figures page at 375 px');
    await expectNoSidewaysScroll(page, 'figures page at 375 px');
    await screenshot(page, 'figures-375');
    assert.deepEqual(cspViolations, []);
  });
});
