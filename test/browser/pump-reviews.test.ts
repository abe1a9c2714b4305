import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { actorOf } from '../../src/services/audit-service.ts';
import { createPatient } from '../../src/services/patient-service.ts';
import type { User } from '../../src/storage/users.repository.ts';
import { addTestUser, PASSWORD, registerAnn, startTestApp, type TestApp } from '../support/test-app.ts';
import {
  collectCspViolations,
  expectAccessible,
  launchChromium,
  screenshot,
  signInAs,
  expectNoSidewaysScroll,
} from './browser-support.ts';

/**
 * Reviews, days in words, tables and print on the pump page and the refill worklist. Today is
 * Tuesday 24 November 2026. Ann's pump was implanted on 1 June 2026: its 2-week review was due on
 * 15 June, 162 days ago, and its refill (filled on 1 October) was due by Friday 6 November, 18
 * days ago. Other patients with long names fill the worklist. The forms are used with
 * JavaScript off; every page is checked with axe at 1280 px and at 375 px, where nothing may
 * scroll the page sideways; the worklist is checked as printed.
 */

const refillOn = (performedOn: string) => ({
  performedOn,
  expectedResidualMl: '4.0',
  withdrawnMl: '4.0',
  concentrationMcgPerMl: '500',
  batch: 'LB2026-117',
  expiresOn: '2027-06-30',
  instilledMl: '20',
  alarmMl: '2',
  complications: [],
});

/** Hypothetical NHS numbers with a valid check digit (the 999 range is never issued). */
const OTHERS: [string, string, string][] = [
  ['9990000018', 'Bartholomew-Featherstonehaugh', 'Alexandrina Maximiliana'],
  ['9990000026', "O'Brien-Smith", 'Siobhan'],
  ['9990000034', 'Wolfeschlegelsteinhausen', 'Hubert'],
  ['9990000042', 'Ng', 'Li'],
];

describe('pump reviews, days in words, responsive tables and print', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let noJsContext: BrowserContext;
  let noJs: Page;
  let base = '';
  let pumpId = '';
  let cspViolations: string[] = [];

  const registerFor = async (nina: User, patientId: string, serial: string) =>
    (
      await t.deps.services.pumps.register(actorOf(nina, null), patientId, {
        modelId: 'synchromed-ii',
        reservoirMl: 20,
        serialNumber: serial,
        implantedOn: '2026-06-01',
        surgeon: 'Mr A Khan',
        alarmMl: 2,
        catheterModel: '8709SC',
        catheterTipLevel: 'T10',
        origin: 'spinal',
      })
    ).id;

  before(async () => {
    t = await startTestApp('sqlite');
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    assert.ok(address && typeof address === 'object');
    base = `http://localhost:${address.port}`;
    const nina = await addTestUser(t, 'nurse-specialist', 'nina');
    const carl = await addTestUser(t, 'consultant', 'carl');
    await addTestUser(t, 'booking-coordinator', 'bea');
    const patientId = (await registerAnn(t, nina)).id;
    pumpId = await registerFor(nina, patientId, 'NGP123456H');
    t.clock.set('2026-10-01T09:00:00.000Z');
    const pumps = t.deps.services.pumps;
    const p = await pumps.proposePrescription(actorOf(nina, null), pumpId, {
      concentrationMcgPerMl: 500,
      programme: { mode: 'simple', doseMcgPerDay: 200 },
      phase: 'titration',
      reason: 'Test dose given at another centre',
    });
    await pumps.confirmPrescription(actorOf(carl, null), p.id, { programmedOn: '2026-10-01' });
    const refill = await t.deps.services.refills.record(actorOf(nina, null), pumpId, refillOn('2026-10-01'));
    await t.deps.services.refills.sign(actorOf(carl, null), refill.id, { version: refill.version });
    t.clock.set('2026-11-24T10:00:00.000Z');
    let n = 0;
    for (const [nhsNumber, familyName, givenName] of OTHERS) {
      n += 1;
      const other = await createPatient(
        { db: t.deps.database.db, clock: t.clock, timeZone: t.deps.config.timeZone },
        actorOf(nina, null),
        { nhsNumber, familyName, givenName, dateOfBirth: '1970-01-01', sex: 'female' },
      );
      await registerFor(nina, other.id, `NGP90000${String(n)}H`);
    }
    browser = await launchChromium();
    // Axe and the width checks run scripts in the page, so they use a page with JavaScript on;
    // the forms are used in a second page with JavaScript off, as the design requires.
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    cspViolations = collectCspViolations(page);
    noJsContext = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 1280, height: 900 },
    });
    noJs = await noJsContext.newPage();
    noJs.setDefaultTimeout(20_000);
  });
  after(async () => {
    await noJsContext.close();
    await context.close();
    await browser.close();
    await t.close();
  });

  const noSidewaysScroll = (label: string) => expectNoSidewaysScroll(page, label);
  const fillDate = async (on: Page, id: string, day: string, month: string, year: string) => {
    await on.locator(`#${id}-day`).fill(day);
    await on.locator(`#${id}-month`).fill(month);
    await on.locator(`#${id}-year`).fill(year);
  };

  it('the pump page shows the overdue review and the refill overdue in words, at 1280 px', async () => {
    await signInAs(page, base, 'bea', PASSWORD);
    await page.goto(`${base}/pumps/${pumpId}`);
    const review = (await page.locator('#review-standing').textContent()) ?? '';
    assert.match(review.replace(/\s+/g, ' '), /2 weeks review, due 15 June 2026 162 days overdue/);
    const refill = (await page.locator('#refill-standing').textContent()) ?? '';
    assert.match(refill.replace(/\s+/g, ' '), /Time left 18 days overdue/);
    assert.doesNotMatch(refill, /[-\u2212]\d/);
    await page.locator('#review-overdue').waitFor();
    await expectAccessible(page, 'pump page with an overdue review');
    await noSidewaysScroll('pump page at 1280 px');
    await screenshot(page, 'pump-reviews-pump-1280');
  });

  it('records a review held, with JavaScript off: a future date is refused, then last Friday is taken', async () => {
    await signInAs(noJs, base, 'bea', PASSWORD);
    await noJs.goto(`${base}/pumps/${pumpId}`);
    await fillDate(noJs, 'review-heldOn', '25', '11', '2026');
    await noJs.getByRole('button', { name: 'Record the review as held' }).click();
    const summary = noJs.locator('.nhsuk-error-summary');
    await summary.waitFor();
    assert.match((await summary.textContent()) ?? '', /Date of the review must be today or in the past/);
    assert.equal(await noJs.locator('#review-heldOn-day').inputValue(), '25');
    // The same error state, with scripts on for axe.
    await page.goto(`${base}/pumps/${pumpId}`);
    await fillDate(page, 'review-heldOn', '25', '11', '2026');
    await page.getByRole('button', { name: 'Record the review as held' }).click();
    await page.locator('.nhsuk-error-summary').waitFor();
    await expectAccessible(page, 'review form with an error');
    await screenshot(page, 'pump-reviews-error');

    await fillDate(noJs, 'review-heldOn', '20', '11', '2026');
    await noJs.getByLabel('Review note (optional)').fill('Seen at the refill clinic');
    await noJs.getByRole('button', { name: 'Record the review as held' }).click();
    await noJs
      .locator('.nhsuk-notification-banner')
      .getByText(/Review recorded as held/)
      .waitFor();
    const review = ((await noJs.locator('#review-standing').textContent()) ?? '').replace(/\s+/g, ' ');
    assert.match(review, /6 weeks review, due 13 July 2026 134 days overdue/);
    assert.match(review, /Reviews held since the implant 1/);
    await page.goto(`${base}/pumps/${pumpId}?done=review-held`);
    await expectAccessible(page, 'pump page after a review held');
  });

  it('books the missed review for today in one press, with JavaScript off', async () => {
    await noJs.getByRole('button', { name: 'Book the review for today' }).click();
    await noJs
      .locator('.nhsuk-notification-banner')
      .getByText(/Appointment booked/)
      .waitFor();
    const review = ((await noJs.locator('#review-standing').textContent()) ?? '').replace(/\s+/g, ' ');
    assert.match(review, /Review booked 24 November 2026/);
    assert.equal(await noJs.getByRole('button', { name: 'Book the review for today' }).count(), 0);
    assert.equal(await noJs.locator('#appointments tbody tr').count(), 2);
    await page.goto(`${base}/pumps/${pumpId}?done=booked`);
    await expectAccessible(page, 'pump page with a review booked today');
  });

  it('at 375 px the pump page and its tables do not scroll sideways', async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(`${base}/pumps/${pumpId}`);
    await noSidewaysScroll('pump page at 375 px');
    // The responsive pattern: each cell carries its heading.
    assert.equal(
      await page
        .locator('#appointments tbody tr')
        .first()
        .locator('.nhsuk-table__heading')
        .first()
        .isVisible(),
      true,
    );
    await expectAccessible(page, 'pump page at 375 px');
    await screenshot(page, 'pump-reviews-pump-375');
  });

  it('at 375 px the worklist does not scroll sideways', async () => {
    await page.goto(`${base}/worklist`);
    await noSidewaysScroll('worklist at 375 px');
    await expectAccessible(page, 'worklist at 375 px');
    await screenshot(page, 'pump-reviews-worklist-375');
  });

  it('at 1280 px the worklist columns fit with no horizontal scrollbar, days in words', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${base}/worklist`);
    await noSidewaysScroll('worklist at 1280 px');
    const fits = await page.evaluate<boolean>(`(() => {
      const table = document.querySelector('#worklist');
      const container = table && table.parentElement;
      return table && container
        ? table.getBoundingClientRect().right <= container.getBoundingClientRect().right + 4
        : false;
    })()`);
    assert.ok(fits, 'the worklist table stays inside the page column');
    const row = page.locator('#worklist tr', { has: page.locator(`a[href="/pumps/${pumpId}"]`) });
    const text = (await row.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /6 November 2026 18 days overdue/);
    assert.match(text, /6 weeks review: 134 days overdue \(due 13 July 2026, booked 24 November 2026\)/);
    assert.match(text, /485 777 3457/);
    assert.doesNotMatch(text, /[-\u2212]\d/);
    await expectAccessible(page, 'worklist at 1280 px');
    await screenshot(page, 'pump-reviews-worklist-1280');
  });

  it('prints the worklist: no navigation or controls, no link addresses, every column on the sheet', async () => {
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: 794, height: 1123 });
    await page.goto(`${base}/worklist`);
    const shown = await page.evaluate<{
      nav: boolean;
      footer: boolean;
      table: boolean;
      headings: string;
      linkAfter: string;
      tableRight: number;
      width: number;
    }>(`(() => {
      const visible = (selector) =>
        [...document.querySelectorAll(selector)].some((el) => getComputedStyle(el).display !== 'none');
      const link = document.querySelector('#worklist a');
      return {
        nav: visible('.nhsuk-header__navigation'),
        footer: visible('.nhsuk-footer-container, .nhsuk-footer'),
        table: visible('#worklist'),
        headings: getComputedStyle(document.querySelector('#worklist thead')).display,
        linkAfter: link ? getComputedStyle(link, '::after').content : 'none',
        tableRight: document.querySelector('#worklist').getBoundingClientRect().right,
        width: document.documentElement.clientWidth,
      };
    })()`);
    assert.equal(shown.nav, false, 'navigation is not printed');
    assert.equal(shown.footer, false, 'the footer is not printed');
    assert.equal(shown.table, true);
    assert.equal(shown.headings, 'table-header-group', 'column headings repeat on every sheet');
    assert.ok(
      shown.linkAfter === 'none' || shown.linkAfter === 'normal',
      `no link address: ${shown.linkAfter}`,
    );
    assert.ok(shown.tableRight <= shown.width, `table ends at ${shown.tableRight} of ${shown.width} px`);
    await screenshot(page, 'pump-reviews-worklist-print');

    await page.goto(`${base}/pumps/${pumpId}`);
    const pumpPrint = await page.evaluate<{ forms: number; review: string }>(`({
      forms: [...document.querySelectorAll('main form')].filter((f) => getComputedStyle(f).display !== 'none')
        .length,
      review: getComputedStyle(document.querySelector('#review-standing')).display,
    })`);
    assert.equal(pumpPrint.forms, 0, 'no forms are printed on the pump page');
    assert.notEqual(pumpPrint.review, 'none');
    await page.emulateMedia({ media: 'screen' });
  });

  it('the prescription shows who proposed and confirmed it and since when, and its form page fits at 375 px', async () => {
    // The nurse's own session.
    await context.close();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    cspViolations.push(...collectCspViolations(page));
    await signInAs(page, base, 'nina', PASSWORD);
    await page.goto(`${base}/pumps/${pumpId}`);
    const body = ((await page.locator('main').textContent()) ?? '').replace(/\s+/g, ' ');
    assert.match(body, /Active since 1 October 2026/);
    assert.match(body, /Proposed by Test nurse-specialist, 1 October 2026/);
    assert.match(body, /Confirmed by Test consultant, 1 October 2026/);
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(`${base}/pumps/${pumpId}/prescriptions/new`);
    await noSidewaysScroll('prescription form at 375 px');
    await expectAccessible(page, 'prescription form at 375 px');
    const side = ((await page.locator('main').textContent()) ?? '').replace(/\s+/g, ' ');
    assert.match(side, /Current prescription[\s\S]*Confirmed by Test consultant/);
    assert.deepEqual(cspViolations, []);
  });
});
