import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { countRows } from '../../../../test/support/assertions.ts';
import { TINY_PDF } from '../../../../test/support/referral-email.ts';
import { addTestUser, Browser, startTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import {
  ERS_FORM,
  registerPatient,
  assertSummaryNames,
  idFromLocation,
  upload,
} from '../../../../test/support/referral-pages.ts';

/**
 * The referral pages under configured settings: the upload size limit, and the dashboard's
 * working days before a referral is overdue for triage.
 */

describe('upload size limit', () => {
  let t: TestApp;
  let booking: Browser;
  let referralId = '';

  before(async () => {
    t = await startTestApp('sqlite', { uploadMaxBytes: 1024 * 1024 });
    const bea = await addTestUser(t, 'booking-coordinator', 'bea');
    await registerPatient(t, bea);
    booking = new Browser(t);
    await booking.signIn('bea');
    referralId = idFromLocation(await booking.post('/referrals', ERS_FORM, '/referrals/new'), '/referrals');
  });
  after(async () => {
    await t.close();
  });

  it('refuses a file over the configured size by name, and keeps nothing', async () => {
    const big = Buffer.concat([TINY_PDF, Buffer.alloc(1536 * 1024, 0x20)]);
    for (const [url, formPage, filename] of [
      [`/referrals/${referralId}/attachments`, `/referrals/${referralId}`, 'scan.pdf'],
      ['/intake/upload', '/intake', 'big.eml'],
    ] as const) {
      const res = await upload(
        booking,
        url,
        { filename, contentType: 'application/octet-stream', content: big },
        formPage,
      );
      assert.equal(res.statusCode, 400, url);
      assertSummaryNames(res.body, 'file', /must be smaller than 1 MB/);
    }
    assert.equal(await countRows(t.deps.database.db, 'documents'), 0);
    assert.equal(await countRows(t.deps.database.db, 'intake_items'), 0);
  });
});

describe('dashboard', () => {
  let t: TestApp;
  let nurse: Browser;

  // A service of its own for each test: one moves the clock, another adds an account.
  beforeEach(async () => {
    // Flag after 3 working days, not the default 5, to show the setting is the one used.
    t = await startTestApp('sqlite', { triageAlertWorkingDays: 3 });
    const bea = await addTestUser(t, 'booking-coordinator', 'bea');
    await addTestUser(t, 'nurse-specialist', 'nia');
    await registerPatient(t, bea);
    const booking = new Browser(t);
    await booking.signIn('bea');
    // Received Thursday 19 November: on Tuesday 24 November it has waited 3 working days.
    const res = await booking.post('/referrals', { ...ERS_FORM, 'receivedOn-day': '19' }, '/referrals/new');
    assert.equal(res.statusCode, 303);
    nurse = new Browser(t);
    await nurse.signIn('nia');
  });
  afterEach(async () => {
    await t.close();
  });

  it('shows nothing overdue while the referral is within the configured working days', async () => {
    const home = await nurse.get('/');
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /Needs attention today/);
    assert.match(home.body, /id="attention">Nothing is overdue/);
  });

  it('counts the referral as overdue for triage once it has waited longer', async () => {
    t.clock.set('2026-11-25T09:00:00.000Z'); // Wednesday: 4 working days
    const fresh = new Browser(t); // a new session, so the moved clock does not matter
    await fresh.signIn('nia');
    const home = await fresh.get('/');
    assert.match(home.body, /<a href="\/triage">1 referral waiting more than 3 working days for triage<\/a>/);
    const queue = await fresh.get('/triage');
    assert.match(queue.body, /Overdue for triage/);
    assert.match(queue.body, /6 \(4 working\)/);
  });

  it('shows no referral alerts to a role without referral access', async () => {
    await addTestUser(t, 'service-manager', 'max');
    const manager = new Browser(t);
    await manager.signIn('max');
    const home = await manager.get('/');
    assert.equal(home.statusCode, 200);
    assert.ok(!home.body.includes('Needs attention today'));
  });
});
