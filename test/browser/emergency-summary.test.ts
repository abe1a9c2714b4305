import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { loadConfig } from '../../src/config.ts';
import { buildEmergencyWorld, type EmergencyWorld } from '../support/emergency-fixtures.ts';
import { PASSWORD, startTestApp, TEST_SERVICE_CONTACTS, type TestApp } from '../support/test-app.ts';
import { checkBothWidths, openBrowserJourney, type BrowserJourney } from '../support/browser-journey.ts';
import { screenshot, signInAs, signOutOf } from './browser-support.ts';

/**
 * The emergency summary and break-glass in Chromium: a nurse opens Ann's summary from her
 * overview and prints it (one A4 page, counted in the PDF Chromium makes); an emergency
 * clinician breaks the glass with a reason and sees only the summary; the ITB team sees the
 * access listed. Every page is checked with axe at 1280 px and at 375 px, where nothing may
 * scroll sideways.
 */

/** The pages of a PDF Chromium wrote: each page object is "/Type /Page" (the tree is "/Pages"). */
function pdfPageCount(pdf: Buffer): number {
  return [...pdf.toString('latin1').matchAll(/\/Type\s*\/Page(?![a-zA-Z])/g)].length;
}

describe('emergency summary and break-glass in the browser', () => {
  let t: TestApp;
  let w: EmergencyWorld;
  let journey: BrowserJourney;
  let page: Page;
  let base = '';
  let cspViolations: string[] = [];

  before(async () => {
    const service = loadConfig(TEST_SERVICE_CONTACTS).service;
    t = await startTestApp('sqlite', {
      service: {
        ...service,
        outOfHours: {
          phone: '0113 243 3144',
          text: 'Ask the switchboard for the on-call neurosurgical registrar, who can reach the ITB consultant',
        },
      },
    });
    w = await buildEmergencyWorld(t);
    // A dose change waiting for its second check makes the record as long as it gets.
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/pumps/${w.pumpId}/prescriptions`,
      headers: { authorization: `Bearer ${w.nurseToken}` },
      payload: {
        concentrationMcgPerMl: 500,
        programme: {
          mode: 'simple',
          doseMcgPerDay: 275,
          bolus: { doseMcg: 25, maxPerDay: 3, lockoutMinutes: 120 },
        },
        phase: 'titration',
        reason: 'Spasms at night: bolus for the evenings, agreed with the patient',
      },
    });
    assert.equal(res.statusCode, 201, res.body);
    journey = await openBrowserJourney(t);
    ({ page, base, cspViolations } = journey);
    page.setDefaultTimeout(20_000);
  });
  after(async () => {
    await journey.close();
  });

  it('the ITB team opens the summary from the overview', async () => {
    await signInAs(page, base, 'nina', PASSWORD);
    await page.goto(`${base}/patients/${w.annId}`);
    await page.locator('#emergency-summary-link a').click();
    await page.waitForURL(`${base}/patients/${w.annId}/emergency-summary`);
    const text = (await page.locator('main').textContent())?.replace(/\s+/g, ' ') ?? '';
    assert.match(text, /Medtronic SynchroMed II \(8637\), serial NGP700001H/);
    assert.match(text, /About 15 mL left today/);
    assert.match(text, /A change to 275 mcg\/day is waiting for a second check/);
    assert.match(text, /0113 243 3144/);
    await screenshot(page, 'emergency-summary');
    await checkBothWidths(page, 'emergency summary');
  });

  it('prints the summary of a full record on exactly one A4 page', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    await page.emulateMedia({ media: 'screen' });
    // Kept beside the screenshots for people to look at (test-results/, not committed).
    mkdirSync('test-results', { recursive: true });
    writeFileSync('test-results/emergency-summary.pdf', pdf);
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.equal(pdfPageCount(pdf), 1, 'the emergency summary prints on one A4 page');
  });

  it('an emergency clinician breaks the glass with a reason and sees only the summary', async () => {
    await signOutOf(page);
    await signInAs(page, base, 'erin', PASSWORD);
    await page.goto(`${base}/patients/${w.annId}/emergency-summary`);
    assert.equal(
      await page.locator('#patient-heading').count(),
      0,
      'nothing of the record before break-glass',
    );
    await page.goto(`${base}/break-glass`);
    await checkBothWidths(page, 'break-glass form');
    await page.getByLabel('NHS number').fill('485 777 3457');
    await page.locator('#dateOfBirth-day').fill('14');
    await page.locator('#dateOfBirth-month').fill('3');
    await page.locator('#dateOfBirth-year').fill('1962');
    await page.getByRole('button', { name: 'Open the emergency summary' }).click();
    assert.match((await page.locator('.nhsuk-error-summary').textContent()) ?? '', /Enter why you need/);
    await checkBothWidths(page, 'break-glass form with errors');
    await page.getByLabel('Why do you need').fill('Patient in A&E, drowsy with slow breathing');
    await page.getByRole('button', { name: 'Open the emergency summary' }).click();
    assert.match(
      (await page.locator('.nhsuk-error-summary').textContent()) ?? '',
      /No patient with this NHS number and date of birth/,
    );
    await page.locator('#dateOfBirth-year').fill('1961');
    await page.getByRole('button', { name: 'Open the emergency summary' }).click();
    await page.waitForURL(`${base}/patients/${w.annId}/emergency-summary`);
    assert.match((await page.locator('#break-glass-notice').textContent()) ?? '', /break-glass access until/);
    await checkBothWidths(page, 'emergency summary under break-glass');
    const overview = await page.goto(`${base}/patients/${w.annId}`);
    assert.equal(overview?.status(), 403);
  });

  it('the ITB team sees the access on the home page and in the list', async () => {
    await signOutOf(page);
    await signInAs(page, base, 'carl', PASSWORD);
    await page.locator('#queue-break-glass-recent a').click();
    await page.waitForURL(`${base}/break-glass/accesses`);
    assert.match((await page.locator('#break-glass-list').textContent()) ?? '', /Patient in A&E, drowsy/);
    await checkBothWidths(page, 'break-glass accesses');
    assert.deepEqual(cspViolations, []);
  });
});
