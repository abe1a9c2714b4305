import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium, started with the flags this closed network needs (DEVELOPERS.md). */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Fails the test on any WCAG 2.2 A or AA violation axe can find on the page as it stands. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'])
    .analyze();
  const summary = results.violations.map(
    (v) =>
      `${v.id} (${v.impact ?? 'n/a'}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`,
  );
  assert.equal(results.violations.length, 0, `${label}: accessibility violations\n${summary.join('\n')}`);
}

/** Keeps a screenshot of each page for people to look at (test-results/, not committed). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync('test-results', { recursive: true });
  await page.screenshot({ path: `test-results/${name}.png`, fullPage: true });
}

/**
 * Collects every Content-Security-Policy violation the page reports: styles, scripts and fonts
 * (the NHS.UK stylesheet is served with its fonts from this service or none, so nothing is
 * blocked; http/plugins/design-system-css.ts).
 */
export function collectCspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) {
      violations.push(msg.text());
    }
  });
  return violations;
}

/** Signs in through the sign-in page and waits for the home page. */
export async function signInAs(page: Page, base: string, username: string, password: string): Promise<void> {
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/`);
}

/** Signs out through the header link and the confirmation button. */
export async function signOutOf(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/\/sign-in\?signedOut=1/);
}

/**
 * Waits (up to 2 s) until the page no longer scrolls sideways, so a width check taken straight
 * after a viewport change or a navigation measures the settled layout, not a frame in which the
 * narrow-screen styles have not yet applied. It never fails: the caller's check reports the width.
 */
async function layoutSettled(page: Page): Promise<void> {
  await page
    .waitForFunction('document.documentElement.scrollWidth <= window.innerWidth', undefined, {
      timeout: 2000,
    })
    .catch(() => undefined);
}

/** Asserts the page fits its window, once its layout has settled: no sideways scrolling. */
export async function expectNoSidewaysScroll(page: Page, label: string): Promise<void> {
  await layoutSettled(page);
  // Scripts as text: the project's TypeScript has no DOM types.
  const { scrollWidth, innerWidth } = await page.evaluate<{ scrollWidth: number; innerWidth: number }>(
    '({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })',
  );
  assert.ok(
    scrollWidth <= innerWidth,
    `${label}: page is ${scrollWidth} px wide in a ${innerWidth} px window`,
  );
}
