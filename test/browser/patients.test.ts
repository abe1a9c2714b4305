import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  FIRST_PRESCRIPTION,
  PUMP,
  pumpsApiCalls,
  startPumpsApi,
  type PumpsApiWorld,
} from '../support/pumps-api-fixtures.ts';
import { ERS_REFERRAL } from '../support/referral-fixtures.ts';
import { PASSWORD } from '../support/test-app.ts';
import { actorOf } from '../../src/services/audit-service.ts';
import {
  collectCspViolations,
  expectAccessible,
  launchChromium,
  screenshot,
  signInAs,
  expectNoSidewaysScroll,
} from './browser-support.ts';

/**
 * Finding and registering patients, and the patient overview, in a real browser: a nurse finds
 * Ann by a part of her name and by her birthday written in words, opens her overview (banner,
 * pump, referrals, timeline, next action), at 1280 px and at 375 px with no sideways scroll, and
 * registers a likely duplicate with JavaScript off, which is held back until she confirms. Every
 * page is checked with axe.
 */
describe('patients: search, registration and the overview', () => {
  let w: PumpsApiWorld;
  let browser: Browser;
  let base = '';
  const cspViolations: string[][] = [];
  const { ok } = pumpsApiCalls(() => w.t);

  before(async () => {
    w = await startPumpsApi();
    const referral = await w.t.deps.services.referrals.create(
      actorOf(w.consultant, null),
      { patientId: w.patientId },
      ERS_REFERRAL,
    );
    assert.ok(referral.id);
    const pumpId = (await ok('POST', `/patients/${w.patientId}/pumps`, w.nurseToken, 201, PUMP)).id as string;
    const proposed = await ok(
      'POST',
      `/pumps/${pumpId}/prescriptions`,
      w.nurseToken,
      201,
      FIRST_PRESCRIPTION,
    );
    await ok('POST', `/prescriptions/${String(proposed.id)}/confirm`, w.consultantToken, 200, {});
    await w.t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = w.t.app.server.address();
    assert.ok(address && typeof address === 'object');
    base = `http://localhost:${address.port}`;
    browser = await launchChromium();
  });
  after(async () => {
    await browser.close();
    await w.t.close();
    assert.deepEqual(cspViolations.flat(), []);
  });

  const signedIn = async (options: {
    width: number;
    javaScript: boolean;
  }): Promise<[BrowserContext, Page]> => {
    const context = await browser.newContext({
      viewport: { width: options.width, height: 900 },
      javaScriptEnabled: options.javaScript,
    });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    cspViolations.push(collectCspViolations(page));
    await signInAs(page, base, 'nina', PASSWORD);
    return [context, page];
  };

  for (const width of [1280, 375]) {
    it(`finds Ann by part of her name and by her birthday in words, and opens her overview (${width} px)`, async () => {
      const [context, page] = await signedIn({ width, javaScript: true });
      await page.goto(`${base}/patients`);
      await expectAccessible(page, `search page at ${width}`);
      await page.getByLabel('NHS number, name, date of birth or hospital number').fill('smi');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByRole('heading', { name: '1 patient found' }).waitFor();
      await page.getByLabel('NHS number, name, date of birth or hospital number').fill('14 March 1961');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByRole('heading', { name: '1 patient found' }).waitFor();
      await expectAccessible(page, `search results at ${width}`);
      await expectNoSidewaysScroll(page, `search results at ${width}`);
      await page.getByRole('link', { name: 'SMITH, Ann' }).click();
      await page.getByRole('heading', { name: /SMITH, Ann/ }).waitFor();
      const banner = (await page.locator('.app-patient-banner').textContent()) ?? '';
      assert.match(banner, /485 777 3457/);
      assert.match(banner, /14 March 1961 \(65 years\)/);
      assert.match(banner, /Allergies\s*Not recorded/);
      const main = (await page.locator('main').textContent()) ?? '';
      assert.match(main, /100 micrograms a day/);
      assert.match(main, /Referral received from Dr A Patel/);
      assert.match(main, /Triage the referral/);
      await expectAccessible(page, `overview at ${width}`);
      await expectNoSidewaysScroll(page, `overview at ${width}`);
      await screenshot(page, `patient-overview-${width}`);
      // On paper: the banner and the record, not the header or the buttons.
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.locator('.nhsuk-header').isVisible(), false);
      assert.equal(await page.locator('.app-patient-banner').isVisible(), true);
      await context.close();
    });
  }

  // Axe and the width check run scripts in the page, which a context with JavaScript off cannot:
  // the journey is run with it off (the form must work without it) and again with it on to check
  // the same pages.
  const runs = [
    { width: 1280, javaScript: false, nhsNumber: '943 476 5919' },
    { width: 375, javaScript: false, nhsNumber: '401 023 2137' },
    { width: 1280, javaScript: true, nhsNumber: '999 000 0026' },
    { width: 375, javaScript: true, nhsNumber: '987 654 3210' },
  ];
  for (const { width, javaScript, nhsNumber } of runs) {
    const how = `JavaScript ${javaScript ? 'on' : 'off'}, ${width} px`;
    it(`holds back a likely duplicate until the nurse confirms (${how})`, async () => {
      const [context, page] = await signedIn({ width, javaScript });
      const check = async (label: string) => {
        if (javaScript) {
          await expectAccessible(page, `${label} (${how})`);
          await expectNoSidewaysScroll(page, `${label} (${how})`);
        }
      };
      await page.goto(`${base}/patients/new`);
      await check('register form');
      await page.getByLabel('NHS number').fill(nhsNumber);
      await page.getByLabel('Given name').fill('Anne');
      await page.getByLabel('Family name').fill('Smith');
      await page.getByLabel('Day').fill('14');
      await page.getByLabel('Month').fill('3');
      await page.getByLabel('Year').fill('1961');
      await page.getByLabel('Female').check();
      await page.getByRole('button', { name: 'Save patient' }).click();
      await page.getByText('This patient may already be registered').waitFor();
      assert.equal(await page.getByRole('link', { name: 'SMITH, Ann', exact: true }).count(), 1);
      await check('likely duplicate warning');
      if (javaScript) {
        await screenshot(page, `patient-duplicate-${width}`);
      }
      await page.getByLabel('I have checked the records above: this is a different person').check();
      await page.getByRole('button', { name: 'Save patient' }).click();
      await page.getByText('Patient registered').waitFor();
      assert.match((await page.locator('.app-patient-banner').textContent()) ?? '', new RegExp(nhsNumber));
      await check('new patient overview');
      await context.close();
    });
  }
});
