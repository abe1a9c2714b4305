import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { addTestUser, PASSWORD, registerAnn, startTestApp, type TestApp } from '../support/test-app.ts';
import {
  collectCspViolations,
  expectAccessible,
  launchChromium,
  screenshot,
  expectNoSidewaysScroll,
} from './browser-support.ts';

/**
 * Outcome measures in a real browser: a physiotherapist records a baseline set
 * (Ashworth, Penn 3 with severity, pain 7, two GAS goals with baselines), then a review with the
 * goals scored, and reads the charts and tables. The form, its error state and the measures
 * page are checked with axe; the page must load under the CSP with no inline style.
 */
describe('outcome measures journey', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let base = '';
  let patientId = '';
  let cspViolations: string[] = [];

  before(async () => {
    t = await startTestApp('sqlite');
    t.clock.set('2026-11-24T10:00:00.000Z');
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    assert.ok(address && typeof address === 'object');
    base = `http://localhost:${address.port}`;
    const physio = await addTestUser(t, 'physiotherapist', 'pat');
    patientId = (await registerAnn(t, physio)).id;
    browser = await launchChromium();
    page = await (await browser.newContext()).newPage();
    cspViolations = collectCspViolations(page);
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('Username').fill('pat');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/`);
  });
  after(async () => {
    await browser.close();
    await t.close();
  });

  const fillDate = async (day: string, month: string, year: string) => {
    await page.getByLabel('Day').fill(day);
    await page.getByLabel('Month').fill(month);
    await page.getByLabel('Year').fill(year);
  };

  it('records a baseline set, after refusing a Penn severity with no spasms', async () => {
    await page.goto(`${base}/patients/${patientId}/measures`);
    await expectAccessible(page, 'empty measures page');
    await page.getByRole('link', { name: 'Record outcome measures' }).click();
    await page.getByRole('heading', { name: 'Record outcome measures' }).waitFor();
    await expectAccessible(page, 'measures form');
    await screenshot(page, 'measures-form');

    await fillDate('10', '11', '2026');
    await page.getByLabel('Assessment', { exact: true }).check();
    await page.getByLabel('Hip adductors, left').selectOption('3');
    await page.getByLabel('Hip adductors, right').selectOption('1+');
    await page.getByLabel('Ankle plantarflexors, left').selectOption('2');
    await page.getByLabel('0: no spasms').check();
    await page.getByLabel('2: moderate').check();
    const goal = (n: number) => page.getByRole('group', { name: `Goal ${n}` });
    await goal(1).getByLabel('Goal', { exact: true }).fill('Sit in wheelchair for 2 hours');
    await goal(1).getByLabel('Weight').fill('2');
    await goal(1).getByLabel('Baseline').selectOption('-1');
    await goal(2).getByLabel('Goal', { exact: true }).fill('Easier perineal care');
    await goal(2).getByLabel('Weight').fill('1');
    await goal(2).getByLabel('Baseline').selectOption('-2');
    await page.getByLabel('Pain score').selectOption('7');
    await page.getByRole('button', { name: 'Save measures' }).click();

    const summary = page.locator('.nhsuk-error-summary');
    await summary.waitFor();
    assert.match(
      (await summary.textContent()) ?? '',
      /Penn severity is only recorded when spasm frequency is above 0/,
    );
    await expectAccessible(page, 'measures form with an error');
    await screenshot(page, 'measures-form-error');
    // What was entered is still there.
    assert.equal(await page.getByLabel('Hip adductors, right').inputValue(), '1+');
    assert.equal(await goal(2).getByLabel('Goal', { exact: true }).inputValue(), 'Easier perineal care');
    // The summary link takes the person to the field.
    await summary.getByRole('link', { name: /Penn severity/ }).click();
    assert.equal(await page.locator('#pennSeverity:focus').count(), 1, 'the first severity radio has focus');

    await page.getByLabel('3: spasms more than once an hour').check();
    await page.getByRole('button', { name: 'Save measures' }).click();
    await page.locator('.nhsuk-notification-banner').getByText('Outcome measures recorded').waitFor();
    assert.match((await page.locator('#gas-scores').textContent()) ?? '', /33\.94/);
  });

  it('records a review with the goals scored and shows the charts with their tables', async () => {
    await page.getByRole('link', { name: 'Record outcome measures' }).click();
    const goal = (n: number) => page.getByRole('group', { name: new RegExp(`^Goal ${n}`) });
    // The baseline's goals are set once and scored again: fixed, with only the achieved score.
    assert.ok(await page.getByRole('group', { name: 'Goal 1: Sit in wheelchair for 2 hours' }).isVisible());
    assert.equal(await goal(1).getByLabel('Goal', { exact: true }).count(), 0, 'not typed again');
    assert.equal(await goal(2).getByLabel('Weight').count(), 0);
    assert.ok(await page.getByRole('link', { name: 'Set new goals instead' }).isVisible());
    await fillDate('24', '11', '2026');
    await page.getByLabel('Review').check();
    await page.getByLabel('Hip adductors, left').selectOption('1');
    await page.getByLabel('Hip adductors, right').selectOption('1');
    await page.getByLabel('1: mild spasms only on stimulation').check();
    await page.getByLabel('1: mild', { exact: true }).check();
    await goal(1).getByLabel('Achieved').selectOption('1');
    await goal(2).getByLabel('Achieved').selectOption('2');
    await page.getByLabel('Pain score').selectOption('4');
    await page.getByRole('button', { name: 'Save measures' }).click();
    await page.locator('.nhsuk-notification-banner').getByText('Outcome measures recorded').waitFor();

    // Charts: GAS, pain, Penn, hip adductors and ankle plantarflexors, each a named image.
    const charts = page.locator('svg.app-chart[role="img"]');
    assert.equal(await charts.count(), 5);
    for (const name of [/GAS T-score/, /pain score/, /Penn spasm frequency/, /hip adductors/]) {
      const chart = page.getByRole('img', { name });
      assert.ok(await chart.isVisible(), `chart ${String(name)} is visible`);
      const box = await chart.boundingBox();
      assert.ok(box && box.width > 200 && box.height > 100, `chart ${String(name)} has a size`);
    }
    // The same numbers as tables: weights 2 and 1, scored +1 and +2 → 66.06 (worked example 17).
    const gas = (await page.locator('#gas-scores').textContent()) ?? '';
    assert.match(gas, /33\.94/);
    assert.match(gas, /66\.06/);
    const pain = (await page.locator('#pain-scores').textContent()) ?? '';
    assert.match(pain, /\u22123\s*\(a change of 2 or more\)/);
    assert.match((await page.getByRole('table', { name: /hip adductors/i }).textContent()) ?? '', /1\+/);
    await expectAccessible(page, 'measures page with charts');
    await screenshot(page, 'measures-page');
    assert.deepEqual(cspViolations, [], 'nothing blocked by the CSP');
  });

  const noSidewaysScroll = (label: string) => expectNoSidewaysScroll(page, label);

  it('at 375 px the measures page, its tables and the form do not scroll sideways', async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(`${base}/patients/${patientId}/measures`);
    await page.locator('#gas-scores').waitFor();
    await noSidewaysScroll('measures page at 375 px');
    // Each row is a block with its headings beside the values.
    const gasRow = (await page.locator('#gas-scores tbody tr').first().textContent()) ?? '';
    assert.match(gasRow.replace(/\s+/g, ' '), /Date .*Occasion .*Baseline T-score .*Achieved T-score/);
    await expectAccessible(page, 'measures page at 375 px');
    await screenshot(page, 'measures-page-375');
    await page.getByRole('link', { name: 'Record outcome measures' }).click();
    await page.getByLabel('Hip adductors, left').waitFor();
    await noSidewaysScroll('measures form at 375 px');
    await expectAccessible(page, 'measures form at 375 px');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('records measures with JavaScript off: the error summary, then the set', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const noJs = await context.newPage();
    await noJs.goto(`${base}/sign-in`);
    await noJs.getByLabel('Username').fill('pat');
    await noJs.getByLabel('Password').fill(PASSWORD);
    await noJs.getByRole('button', { name: 'Sign in' }).click();
    await noJs.waitForURL(`${base}/`);
    await noJs.goto(`${base}/patients/${patientId}/measures/new`);
    await noJs.getByRole('button', { name: 'Save measures' }).click();
    await noJs.locator('.nhsuk-error-summary').waitFor();
    await noJs.getByLabel('Day').fill('24');
    await noJs.getByLabel('Month').fill('11');
    await noJs.getByLabel('Year').fill('2026');
    await noJs.getByLabel('Review').check();
    await noJs.getByLabel('Pain score').selectOption('3');
    await noJs.getByRole('button', { name: 'Save measures' }).click();
    await noJs.locator('.nhsuk-notification-banner').getByText('Outcome measures recorded').waitFor();
    await context.close();
  });
});
