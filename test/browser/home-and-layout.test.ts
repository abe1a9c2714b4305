import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { buildTaskQueueWorld } from '../support/task-queue-world.ts';
import { PASSWORD, startTestApp, type TestApp } from '../support/test-app.ts';
import {
  collectCspViolations,
  expectAccessible,
  launchChromium,
  screenshot,
  signInAs,
} from './browser-support.ts';

/**
 * The home page with its task queues, a task list, the figures and the error page in Chromium, at
 * 1280 px and 375 px: no axe violation, no sideways scroll, and no Content-Security-Policy
 * violation of any kind (fonts included: the NHS.UK stylesheet is served with nothing to fetch
 * from elsewhere).
 */
describe('home page and layout in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base = '';

  before(async () => {
    t = await startTestApp('sqlite');
    await buildTaskQueueWorld(t);
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    assert.ok(address && typeof address === 'object');
    base = `http://localhost:${address.port}`;
    browser = await launchChromium();
  });
  after(async () => {
    await browser.close();
    await t.close();
  });

  const PAGES: readonly { path: string; label: string; heading: RegExp }[] = [
    { path: '/', label: 'home', heading: /^ITB service$/ },
    { path: '/tasks/refills-overdue', label: 'overdue refills list', heading: /^1 refill overdue$/ },
    { path: '/tasks/refills-to-review', label: 'refills to review list', heading: /^1 flagged refill/ },
    { path: '/triage', label: 'triage queue', heading: /^Triage queue$/ },
    { path: '/mdt', label: 'MDT list', heading: /^MDT/ },
    { path: '/waiting-list', label: 'waiting list', heading: /^Waiting list$/ },
    { path: '/worklist', label: 'refill worklist headed by an open emergency', heading: /^Refill worklist$/ },
    { path: '/emergency-events', label: 'open emergencies', heading: /^Open emergency events$/ },
    { path: '/figures', label: 'figures', heading: /^Service figures$/ },
    { path: '/no-such-page', label: 'not found', heading: /^Page not found$/ },
  ];

  for (const width of [1280, 375]) {
    it(`at ${width} px: the pages pass axe, fit the screen and break no CSP rule`, async () => {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      const page: Page = await context.newPage();
      const violations = collectCspViolations(page);
      try {
        await page.goto(`${base}/sign-in`);
        await expectAccessible(page, `sign-in at ${width}`);
        await signInAs(page, base, 'carl', PASSWORD);
        for (const p of PAGES) {
          await page.goto(`${base}${p.path}`);
          const h1 = (await page.locator('h1').first().textContent())?.trim() ?? '';
          assert.match(h1, p.heading, p.label);
          await expectAccessible(page, `${p.label} at ${width}`);
          // A string, as the browser's DOM types are not in this project's compiler settings.
          const fits = await page.evaluate<boolean>(
            'document.documentElement.scrollWidth <= window.innerWidth',
          );
          assert.ok(fits, `${p.label} scrolls sideways at ${width} px`);
          await screenshot(page, `home-layout-${p.label.replace(/\s+/g, '-')}-${width}`);
        }
        // The stylesheet applied: the header is NHS blue, and the body's font is the design
        // system's (its fallback, Arial, when no font files are served).
        const style = (selector: string, property: string) =>
          page.evaluate<string>(
            `getComputedStyle(document.querySelector(${JSON.stringify(selector)})).${property}`,
          );
        assert.equal(await style('header.nhsuk-header', 'backgroundColor'), 'rgb(0, 94, 184)');
        assert.match(await style('body', 'fontFamily'), /Frutiger W01.*Arial/i);
        assert.deepEqual(violations, [], 'no CSP violation on any page');
      } finally {
        await context.close();
      }
    });
  }

  it('shows the overdue queues as links to their lists', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    try {
      await signInAs(page, base, 'nina', PASSWORD);
      assert.equal(await page.title(), 'ITB service');
      await page.getByRole('heading', { name: 'Needs attention today' }).waitFor();
      assert.match((await page.locator('#attention').textContent()) ?? '', /11 items are overdue/);
      // The letters notice is for a service without contacts; this one has them, as its world
      // makes letters (layout-pages.test.ts shows the notice).
      assert.equal(await page.getByRole('heading', { name: 'Letters cannot be made yet' }).count(), 0);
      await page.getByRole('link', { name: '1 refill overdue' }).click();
      await page.waitForURL(`${base}/tasks/refills-overdue`);
      assert.equal(await page.title(), '1 refill overdue – ITB service');
      await page.getByRole('link', { name: 'Open the pump for SMITH, Ann' }).click();
      await page.waitForURL(/\/pumps\/[0-9a-f-]{36}$/);
      const footer = (await page.locator('footer').textContent()) ?? '';
      assert.match(footer, /© Complex Neuro Rehabilitation – Intrathecal Baclofen Service/);
      assert.ok(!footer.includes('NHS England'));
    } finally {
      await context.close();
    }
  });
});
