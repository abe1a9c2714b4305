import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import {
  collectCspViolations,
  expectAccessible,
  expectNoSidewaysScroll,
  launchChromium,
} from '../browser/browser-support.ts';
import type { TestApp } from './test-app.ts';

/**
 * The set-up the browser journeys (test/browser/) repeat: the test app listening on a free
 * port, Chromium with one 1280 × 900 page that collects Content-Security-Policy violations, and
 * the check every page gets at a desktop's width and a phone's.
 */
export interface BrowserJourney {
  readonly browser: Browser;
  readonly page: Page;
  /** The app's address, http://localhost:<port>. */
  readonly base: string;
  /** What the CSP blocked so far (a journey ends by asserting it is empty). */
  readonly cspViolations: string[];
  /** Closes Chromium, then the app. */
  close(): Promise<void>;
}

/** Starts `t` listening and opens Chromium on it. */
export async function openBrowserJourney(t: TestApp): Promise<BrowserJourney> {
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const address = t.app.server.address();
  assert.ok(address && typeof address === 'object');
  const browser = await launchChromium();
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  return {
    browser,
    page,
    base: `http://localhost:${String(address.port)}`,
    cspViolations: collectCspViolations(page),
    close: async () => {
      await browser.close();
      await t.close();
    },
  };
}

/**
 * axe at 1280 px and at 375 px, with no sideways scrolling at either (WCAG 2.2 1.4.10 Reflow),
 * then back to 1280 px.
 */
export async function checkBothWidths(page: Page, label: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 900 });
  await expectAccessible(page, `${label} (1280 px)`);
  await expectNoSidewaysScroll(page, `${label} (1280 px)`);
  await page.setViewportSize({ width: 375, height: 800 });
  await expectAccessible(page, `${label} (375 px)`);
  await expectNoSidewaysScroll(page, `${label} (375 px)`);
  await page.setViewportSize({ width: 1280, height: 900 });
}
