import assert from 'node:assert/strict';
import { Browser, type TestApp } from './test-app.ts';

/** What the test-dose page tests share (src/http/routes/test-doses/*pages.test.ts). */

/** The error summary links to `field` with a message matching `message`. */
export function assertSummaryNames(body: string, field: string, message?: RegExp): void {
  assert.match(body, /There is a problem/);
  const link = new RegExp(`href="#${field}"[^>]*>([^<]*)<`).exec(body);
  assert.ok(link, `expected the error summary to link to #${field}`);
  if (message) {
    assert.match((link[1] ?? '').trim(), message);
  }
}

/** A browser signed in as `username`. */
export async function signedIn(t: TestApp, username: string): Promise<Browser> {
  const b = new Browser(t);
  await b.signIn(username);
  return b;
}
