import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { PlainDate } from '../../src/domain/calendar-date.ts';
import { SAMPLE_HEADERS, sampleCaseloadCsv, sampleCaseloadRows } from '../support/caseload-sample.ts';
import { addTestUser, PASSWORD, startTestApp, type TestApp } from '../support/test-app.ts';
import {
  collectCspViolations,
  expectAccessible,
  expectNoSidewaysScroll,
  launchChromium,
  signInAs,
} from './browser-support.ts';

const SAMPLE = fileURLToPath(new URL('../../docs/samples/caseload-sample.xlsx', import.meta.url));

/**
 * A consultant imports a caseload: a CSV with an error is uploaded and its problems shown by row
 * and column; a CSV with a warning needs the box ticked; the 200-patient sample is imported and
 * the result links to the worklist. Every page is checked with axe, at 1280 px and at 375 px
 * with no sideways scrolling. Today is 1 December 2026, the sample's day.
 */
describe('caseload import journey', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let base = '';
  let dir = '';
  let cspViolations: string[] = [];

  const checkBothWidths = async (label: string) => {
    await expectAccessible(page, `${label} (1280 px)`);
    await page.setViewportSize({ width: 375, height: 800 });
    await expectAccessible(page, `${label} (375 px)`);
    await expectNoSidewaysScroll(page, `${label} (375 px)`);
    await page.setViewportSize({ width: 1280, height: 900 });
  };

  before(async () => {
    t = await startTestApp('sqlite');
    t.clock.set('2026-12-01T10:00:00.000Z');
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    assert.ok(address && typeof address === 'object');
    base = `http://localhost:${address.port}`;
    await addTestUser(t, 'consultant', 'carl');
    dir = mkdtempSync(join(tmpdir(), 'itb-caseload-browser-'));
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    cspViolations = collectCspViolations(page);
  });
  after(async () => {
    await browser.close();
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an upload with errors shows them by row and column, and offers no import', async () => {
    await signInAs(page, base, 'carl', PASSWORD);
    await page.goto(`${base}/import/caseload`);
    await page.getByRole('heading', { name: 'Import a caseload' }).waitFor();
    await checkBothWidths('upload page');
    await page.getByRole('button', { name: 'Upload and check' }).click();
    await page.locator('.nhsuk-error-summary').waitFor();
    await checkBothWidths('upload page with an error');
    const rows = sampleCaseloadRows(4, '2026-12-01' as PlainDate, 5, 20_000);
    const bad = rows[1];
    assert.ok(bad);
    bad[SAMPLE_HEADERS.indexOf('Daily dose (mcg/day)')] = 0.2;
    const file = join(dir, 'with-error.csv');
    writeFileSync(file, sampleCaseloadCsv(SAMPLE_HEADERS, rows));
    await page.getByLabel('Caseload spreadsheet (.xlsx or .csv)').setInputFiles(file);
    await page.getByRole('button', { name: 'Upload and check' }).click();
    await page.getByRole('heading', { name: 'Check with-error.csv' }).waitFor();
    await page.getByText('1 error and 0 warnings.').waitFor();
    assert.equal(await page.getByRole('button', { name: /^Import/ }).count(), 0);
    await checkBothWidths('report with an error');
  });

  it('a warning needs the box ticked; the sample imports and links to the worklist', async () => {
    const rows = sampleCaseloadRows(2, '2026-12-01' as PlainDate, 6, 30_000);
    const row = rows[0];
    assert.ok(row);
    row[SAMPLE_HEADERS.indexOf('Origin')] = null;
    const file = join(dir, 'with-warning.csv');
    writeFileSync(file, sampleCaseloadCsv(SAMPLE_HEADERS, rows));
    await page.goto(`${base}/import/caseload`);
    await page.getByLabel('Caseload spreadsheet (.xlsx or .csv)').setInputFiles(file);
    await page.getByRole('button', { name: 'Upload and check' }).click();
    await page.getByText('0 errors and 1 warning.').waitFor();
    await page.getByRole('button', { name: 'Import 2 patients' }).click();
    await page.locator('.nhsuk-error-summary').waitFor();
    await checkBothWidths('report with a warning not confirmed');
    await page.getByLabel('I have checked each warning and the values are right').check();
    await page.getByRole('button', { name: 'Import 2 patients' }).click();
    await page.getByRole('heading', { name: 'Caseload imported' }).waitFor();

    await page.goto(`${base}/import/caseload`);
    await page.getByLabel('Caseload spreadsheet (.xlsx or .csv)').setInputFiles(SAMPLE);
    await page.getByRole('button', { name: 'Upload and check' }).click();
    await page.getByRole('heading', { name: 'Check caseload-sample.xlsx' }).waitFor();
    await checkBothWidths('report of the sample');
    await page.getByRole('button', { name: 'Import 200 patients' }).click();
    await page.getByRole('heading', { name: 'Caseload imported' }).waitFor();
    await page.getByText('200 pumps from caseload-sample.xlsx').waitFor();
    await checkBothWidths('result');
    await page.getByRole('link', { name: 'Go to the refill worklist' }).click();
    await page
      .getByRole('heading', { name: /worklist/i })
      .first()
      .waitFor();
    assert.deepEqual(cspViolations, [], 'nothing blocked by the CSP');
  });
});
