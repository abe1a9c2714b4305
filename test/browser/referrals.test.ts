import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { actorOf } from '../../src/services/audit-service.ts';
import { pollMailbox } from '../../src/services/intake-service.ts';
import { createPatient } from '../../src/services/patient-service.ts';
import { REFERRAL_PAGE_SIZE } from '../../src/services/referral-lists-service.ts';
import { dovecotAvailable, startDovecot, type DovecotServer } from '../support/dovecot.ts';
import { pdfText } from '../support/pdf-text.ts';
import { buildReferralEmail } from '../support/referral-email.ts';
import { ERS_REFERRAL } from '../support/referral-fixtures.ts';
import { addTestUser, PASSWORD, startTestApp, type TestApp } from '../support/test-app.ts';
import {
  expectAccessible,
  launchChromium,
  screenshot,
  signInAs,
  signOutOf,
  expectNoSidewaysScroll,
} from './browser-support.ts';

const skip =
  !dovecotAvailable() && process.env.CI === undefined
    ? 'Dovecot is not installed (apt-get install dovecot-imapd): the referral journey is skipped'
    : false;

/**
 * The referral journey in a real browser: an email referral arrives in the service mailbox, the
 * booking coordinator confirms it, the consultant accepts it, it is booked and shows on the
 * waiting list as booked within target; a second is not accepted and its advice letter PDF is
 * made. Every page is checked with axe.
 */
describe('referral journey', { skip }, () => {
  let t: TestApp;
  let dovecot: DovecotServer;
  let browser: Browser;
  let page: Page;
  let base = '';

  before(async () => {
    dovecot = await startDovecot();
    t = await startTestApp('sqlite', {
      imap: {
        host: dovecot.host,
        port: dovecot.port,
        secure: false,
        user: dovecot.user,
        auth: { kind: 'password', password: dovecot.password },
        mailbox: 'INBOX',
        rejectUnauthorized: false,
      },
    });
    t.clock.set('2026-11-24T10:00:00.000Z');
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    assert.ok(address && typeof address === 'object');
    base = `http://localhost:${address.port}`;
    const booking = await addTestUser(t, 'booking-coordinator', 'bea');
    await addTestUser(t, 'consultant', 'cas');
    const actor = { userId: booking.id, username: 'bea', role: booking.role, requestId: null };
    const svc = { db: t.deps.database.db, clock: t.clock, timeZone: 'Europe/London' };
    await createPatient(svc, actor, {
      nhsNumber: '4857773457',
      givenName: 'Ann',
      familyName: 'Smith',
      dateOfBirth: '1961-03-14',
      sex: 'female',
      // Her appointment letter is posted to her: no address, no letter (letter-readiness.ts).
      addressLine1: '1 Park Row',
      town: 'Leeds',
      postcode: 'LS1 5AB',
    });
    await createPatient(svc, actor, {
      nhsNumber: '9434765919',
      givenName: 'Tom',
      familyName: 'Jones',
      dateOfBirth: '1975-07-02',
      sex: 'male',
      addressLine1: '2 Park Row',
      postcode: 'LS1 5AB',
    });
    browser = await launchChromium();
    page = await (await browser.newContext({ acceptDownloads: true })).newPage();
  });
  after(async () => {
    await browser.close();
    await t.close();
    await dovecot.stop();
  });

  const signIn = (username: string) => signInAs(page, base, username, PASSWORD);
  const signOut = () => signOutOf(page);
  const readMailbox = () =>
    pollMailbox({ db: t.deps.database.db, clock: t.clock, config: t.deps.config }, t.deps.config.imap!);

  /** The booking coordinator confirms the email waiting in the intake as a referral. */
  const confirmEmail = async (patientLabel: RegExp, shot: string) => {
    await signIn('bea');
    await expectAccessible(page, 'home with an email to confirm');
    await page.getByRole('link', { name: /1 email referral to confirm/ }).click();
    await expectAccessible(page, 'email referrals');
    await page.getByRole('link', { name: 'Referral for ITB assessment' }).first().click();
    await expectAccessible(page, 'email to confirm');
    await screenshot(page, `${shot}-email-to-confirm`);
    await page.getByLabel(patientLabel).check();
    await page.getByLabel('Role', { exact: true }).fill('Consultant neurologist');
    await page.getByLabel('Consultant', { exact: true }).check();
    await page.getByLabel('Organisation', { exact: true }).fill('Leeds Teaching Hospitals');
    await page.getByLabel('Spasticity').check();
    await page.getByLabel('Cerebral origin').check();
    await page.getByLabel('Multiple sclerosis').check();
    await page.getByRole('button', { name: 'Confirm referral' }).click();
    await page.locator('.nhsuk-notification-banner').getByText('Referral recorded').waitFor();
    await expectAccessible(page, 'referral recorded');
    const url = page.url().split('?')[0] ?? '';
    await signOut();
    return url;
  };

  let firstReferral = '';
  it('reads an email referral from the mailbox and the booking coordinator confirms it', async () => {
    await dovecot.append(
      await buildReferralEmail({
        messageId: '<journey-1@nhs.net>',
        nhsNumber: '485 777 3457',
        withPdf: true,
      }),
    );
    const pass = await readMailbox();
    assert.equal(pass.stored, 1);
    firstReferral = await confirmEmail(/SMITH, Ann/, '10');
  });

  it('the consultant accepts it from the triage queue', async () => {
    await signIn('cas');
    await page.getByRole('link', { name: 'Triage queue' }).first().click();
    await expectAccessible(page, 'triage queue');
    await screenshot(page, '11-triage-queue');
    await page.getByRole('link', { name: /SMITH, Ann/ }).click();
    await page.getByRole('link', { name: 'Triage this referral' }).click();
    await page.getByRole('button', { name: 'Record decision' }).click();
    await page.getByRole('alert').getByText('There is a problem').waitFor();
    await expectAccessible(page, 'triage with errors');
    await page.getByLabel('Accepted', { exact: true }).check();
    await page.getByLabel('Routine').check();
    await expectAccessible(page, 'triage accepted, priority shown');
    await screenshot(page, '12-triage');
    await page.getByRole('button', { name: 'Record decision' }).click();
    await page.locator('.nhsuk-notification-banner').getByText('Decision recorded: Accepted').waitFor();
    assert.match((await page.locator('#referral-state').textContent()) ?? '', /Accepted – routine/);
    await page.getByRole('link', { name: /Acknowledgement letter/ }).waitFor();
    await expectAccessible(page, 'referral accepted');
    await screenshot(page, '13-referral-accepted');
    await signOut();
  });

  it('the booking coordinator books it and it shows on the waiting list as booked within target', async () => {
    await signIn('bea');
    await page.goto(firstReferral);
    await page.getByRole('link', { name: 'Book first appointment' }).click();
    await expectAccessible(page, 'book appointment');
    await page.getByLabel('Day').fill('15');
    await page.getByLabel('Month').fill('12');
    await page.getByLabel('Year').fill('2026');
    await page.getByLabel('Time', { exact: true }).fill('14:30');
    await page.getByLabel('Clinic', { exact: true }).fill('Spasticity clinic, Chapel Allerton');
    await page.getByLabel('Clinician').fill('Dr Casey');
    await page.getByRole('button', { name: 'Book appointment' }).click();
    await page.locator('.nhsuk-notification-banner').getByText('Appointment booked').waitFor();
    await expectAccessible(page, 'referral booked');
    await page.getByRole('link', { name: 'Waiting list' }).first().click();
    const row = page.locator('#waiting-list tbody tr', { hasText: 'SMITH, Ann' });
    assert.match((await row.textContent()) ?? '', /Booked within target/);
    assert.match((await row.textContent()) ?? '', /15 December 2026, 14:30/);
    await expectAccessible(page, 'waiting list');
    await screenshot(page, '14-waiting-list');
    await signOut();
  });

  it('a second referral is not accepted and its advice letter PDF is made', async () => {
    await dovecot.append(
      await buildReferralEmail({ messageId: '<journey-2@nhs.net>', nhsNumber: '943 476 5919' }),
    );
    assert.equal((await readMailbox()).stored, 1);
    const url = await confirmEmail(/JONES, Tom/, '15');
    await signIn('cas');
    await page.goto(`${url}/triage`);
    await page.getByLabel('Not accepted', { exact: true }).check();
    await page
      .getByLabel('Advice for the referrer')
      .first()
      .fill('Please try botulinum toxin for the focal spasticity first.');
    await page.getByRole('button', { name: 'Record decision' }).click();
    await page.locator('.nhsuk-notification-banner').getByText('Decision recorded: Not accepted').waitFor();
    await expectAccessible(page, 'referral not accepted');
    await screenshot(page, '16-referral-not-accepted');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /Advice letter/ }).click(),
    ]);
    const path = await download.path();
    const pdf = await readFile(path);
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.match(pdfText(pdf), /Please try botulinum toxin for the focal spasticity first\./);
    assert.match(pdfText(pdf), /Tom Jones/);
  });

  it('an email from a registrar is marked "needs checking" until the consultant clears it', async () => {
    await dovecot.append(
      await buildReferralEmail({
        messageId: '<journey-3@nhs.net>',
        nhsNumber: '943 476 5919',
        from: 'Dr Sam Okafor <sam.okafor@nhs.net>',
      }),
    );
    assert.equal((await readMailbox()).stored, 1);
    await signOut();
    await signIn('bea');
    await page.getByRole('link', { name: /1 email referral to confirm/ }).click();
    await page.getByRole('link', { name: 'Referral for ITB assessment' }).first().click();
    await page.getByLabel(/JONES, Tom/).check();
    await page.getByLabel('Role', { exact: true }).fill('Neurology registrar (ST5)');
    await page.getByLabel('Organisation', { exact: true }).fill('Leeds Teaching Hospitals');
    await page.getByLabel('Spasticity').check();
    await page.getByLabel('Spinal origin').check();
    await page.getByLabel('Multiple sclerosis').check();
    await page.getByRole('button', { name: 'Confirm referral' }).click();
    await page.getByRole('alert').getByText('There is a problem').waitFor();
    await page.locator('.nhsuk-error-summary').getByText("Select the referrer's grade").waitFor();
    await expectAccessible(page, 'email confirm without the grade');
    await page.getByLabel('Registrar or other doctor in training').check();
    await page.getByRole('button', { name: 'Confirm referral' }).click();
    await page.locator('.nhsuk-notification-banner').getByText('Referral recorded').waitFor();
    await page
      .locator('#needs-checking')
      .getByText(/not a consultant/)
      .waitFor();
    await expectAccessible(page, 'referral that needs checking');
    const url = page.url().split('?')[0] ?? '';
    await signOut();
    await signIn('cas');
    await page.getByRole('link', { name: 'Triage queue' }).first().click();
    const row = page.getByRole('row', { name: /JONES, Tom/ }).filter({ hasText: 'Needs checking' });
    await row.getByText(/Email referral from a registrar/).waitFor();
    await expectAccessible(page, 'triage queue with a referral that needs checking');
    await page.goto(url);
    await page.getByRole('button', { name: 'Clear the mark' }).click();
    await page.getByRole('alert').getByText('There is a problem').waitFor();
    await expectAccessible(page, 'clearing the mark without a note');
    await page
      .getByLabel('Clear the mark: why can this referral stand?')
      .fill('Discussed with Dr Hughes, consultant neurologist, who supports the referral');
    await page.getByRole('button', { name: 'Clear the mark' }).click();
    await page
      .locator('.nhsuk-notification-banner')
      .getByText(/Mark cleared/)
      .waitFor();
    await page.locator('#check-cleared').waitFor();
    await expectAccessible(page, 'referral checked by a consultant');
    await screenshot(page, '18-referral-checked');
  });

  it('the other referral pages pass axe too: the list, the e-RS form with errors, rebook, cancel and outcome', async () => {
    await signOut();
    await signIn('bea');
    await page.goto(`${base}/referrals`);
    await expectAccessible(page, 'referrals list');
    await page.getByRole('link', { name: 'Add an e-RS referral' }).click();
    await page.getByRole('button', { name: 'Save referral' }).click();
    await page.getByRole('alert').getByText('There is a problem').waitFor();
    await expectAccessible(page, 'e-RS referral form with errors');
    await screenshot(page, '17-ers-form-errors');
    await page.goto(firstReferral);
    for (const action of ['Rebook', 'Cancel', 'Record outcome']) {
      await page.goto(firstReferral);
      await page.getByRole('link', { name: new RegExp(`^${action}`) }).click();
      await expectAccessible(page, `${action} appointment`);
    }
    await page.goto(`${base}/intake?view=converted`);
    await expectAccessible(page, 'emails made into referrals');
  });
});

/**
 * The referral list a page at a time and searched, and a first appointment booked after the
 * target only when confirmed: used with JavaScript off (the design's forms and page links need
 * none), and every page checked with axe at 1280 px and at 375 px, where nothing may scroll the
 * page sideways. Needs no mailbox: the referrals are recorded through the services.
 */
describe('referral list pages and booking beyond the target', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let noJsContext: BrowserContext;
  let noJs: Page;
  let base = '';
  const urgent: string[] = [];
  const FILLERS = REFERRAL_PAGE_SIZE + 2;

  before(async () => {
    t = await startTestApp('sqlite');
    t.clock.set('2026-11-24T10:00:00.000Z');
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    assert.ok(address && typeof address === 'object');
    base = `http://localhost:${address.port}`;
    const bea = await addTestUser(t, 'booking-coordinator', 'bea');
    const cas = await addTestUser(t, 'consultant', 'cas');
    const svc = t.deps.services.referrals;
    const ann = await createPatient(
      { db: t.deps.database.db, clock: t.clock, timeZone: 'Europe/London' },
      actorOf(bea, null),
      {
        nhsNumber: '4857773457',
        givenName: 'Ann',
        familyName: 'Smith',
        dateOfBirth: '1961-03-14',
        sex: 'female',
        // The appointment letter is posted: without an address the booking is refused.
        addressLine1: '1 Park Row',
        postcode: 'LS1 5AB',
      },
    );
    for (let i = 0; i < FILLERS; i += 1) {
      await svc.create(
        actorOf(bea, null),
        { patientId: ann.id },
        {
          ...ERS_REFERRAL,
          receivedOn: `2026-10-${String(1 + (i % 28)).padStart(2, '0')}`,
          ubrn: `5000 0000 ${String(i).padStart(4, '0')}`,
          referrerName: i === 0 ? 'Dr Asha Patel' : 'Dr F Filler',
        },
      );
    }
    // Two urgent referrals received 16 November: their target is 30 November.
    for (const ubrn of ['6000 0000 0001', '6000 0000 0002']) {
      const r = await svc.create(actorOf(bea, null), { patientId: ann.id }, { ...ERS_REFERRAL, ubrn });
      await svc.triage(actorOf(cas, null), r.id, null, { outcome: 'accepted', priority: 'urgent' });
      urgent.push(r.id);
    }
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    noJsContext = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 1280, height: 900 },
    });
    noJs = await noJsContext.newPage();
    noJs.setDefaultTimeout(20_000);
    await signInAs(page, base, 'bea', PASSWORD);
    await signInAs(noJs, base, 'bea', PASSWORD);
  });
  after(async () => {
    await noJsContext.close();
    await context.close();
    await browser.close();
    await t.close();
  });

  const noSidewaysScroll = (label: string) => expectNoSidewaysScroll(page, label);
  const total = FILLERS + 2;

  it('pages through the referral list and searches it, with JavaScript off', async () => {
    await noJs.goto(`${base}/referrals`);
    await noJs.getByText(`Showing 1 to ${REFERRAL_PAGE_SIZE} of ${total} referrals`).waitFor();
    await noJs.getByRole('link', { name: 'Page 2' }).click();
    await noJs.waitForURL(`${base}/referrals?page=2`);
    await noJs.getByText(`Showing ${REFERRAL_PAGE_SIZE + 1} to ${total} of ${total} referrals`).waitFor();
    assert.equal(await noJs.locator('#referral-list tbody tr').count(), total - REFERRAL_PAGE_SIZE);
    await noJs.getByLabel('Search').fill('asha patel');
    await noJs.getByRole('button', { name: 'Search' }).click();
    await noJs.getByText('1 referral matching “asha patel”').waitFor();
    assert.equal(await noJs.locator('#referral-list tbody tr').count(), 1);
    await noJs.getByLabel('Search').fill('6000 0000 0002');
    await noJs.getByRole('button', { name: 'Search' }).click();
    await noJs.getByText('1 referral matching “6000 0000 0002”').waitFor();
    await noJs.getByLabel('Search').fill('485 777 3458');
    await noJs.getByRole('button', { name: 'Search' }).click();
    await noJs
      .locator('.nhsuk-error-summary')
      .getByText(/fails its check digit/)
      .waitFor();
  });

  it('the list, its pages, a search and a refused search pass axe at 1280 px and 375 px', async () => {
    const urls = [
      '/referrals',
      '/referrals?page=2',
      '/referrals?q=smith',
      '/referrals?q=4857773458',
      '/referrals?page=x',
    ];
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: 900 });
      for (const url of urls) {
        await page.goto(`${base}${url}`);
        await expectAccessible(page, `${url} at ${width} px`);
        await noSidewaysScroll(`${url} at ${width} px`);
      }
      await page.goto(`${base}/referrals`);
      await screenshot(page, `referral-list-${width}`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('booking after the target asks for confirmation, with JavaScript off', async () => {
    const [first] = urgent;
    await noJs.goto(`${base}/referrals/${first ?? ''}`);
    await noJs.getByRole('link', { name: 'Book first appointment' }).click();
    await noJs.locator('#booking-target').getByText('30 November 2026').waitFor();
    await noJs.getByLabel('Day').fill('7');
    await noJs.getByLabel('Month').fill('12');
    await noJs.getByLabel('Year').fill('2026');
    await noJs.getByLabel('Time', { exact: true }).fill('14:30');
    await noJs.getByLabel('Clinic', { exact: true }).fill('Spasticity clinic');
    await noJs.getByLabel('Clinician').fill('Dr Casey');
    await noJs.getByRole('button', { name: 'Book appointment' }).click();
    await noJs
      .locator('.nhsuk-error-summary')
      .getByText(/7 December 2026 is after this referral's target date, 30 November 2026/)
      .waitFor();
    await noJs.getByLabel('Confirm booking beyond the target').check();
    await noJs.getByRole('button', { name: 'Book appointment' }).click();
    await noJs.locator('.nhsuk-notification-banner').getByText('Appointment booked').waitFor();
    await noJs.getByText('Booked after the target date (30 November 2026), confirmed').waitFor();
  });

  it('the booking form, warned and confirmed, passes axe at 1280 px and 375 px', async () => {
    const second = urgent[1] ?? '';
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${base}/referrals/${second}/appointments/new`);
      await expectAccessible(page, `booking form at ${width} px`);
      await page.getByLabel('Day').fill('7');
      await page.getByLabel('Month').fill('12');
      await page.getByLabel('Year').fill('2026');
      await page.getByLabel('Time', { exact: true }).fill('09:30');
      await page.getByLabel('Clinic', { exact: true }).fill('Spasticity clinic');
      await page.getByLabel('Clinician').fill('Dr Casey');
      await page.getByRole('button', { name: 'Book appointment' }).click();
      await page.getByRole('alert').getByText('There is a problem').waitFor();
      await page
        .locator('#beyond-target')
        .getByRole('heading', { name: /Booking beyond the target/ })
        .waitFor();
      await expectAccessible(page, `booking beyond the target, unconfirmed, at ${width} px`);
      await noSidewaysScroll(`booking beyond the target at ${width} px`);
      await screenshot(page, `booking-beyond-target-${width}`);
    }
    await page.getByLabel('Confirm booking beyond the target').check();
    await page.getByRole('button', { name: 'Book appointment' }).click();
    await page.locator('.nhsuk-notification-banner').getByText('Appointment booked').waitFor();
    await expectAccessible(page, 'referral booked beyond the target at 375 px');
    await noSidewaysScroll('referral booked beyond the target at 375 px');
    await page.setViewportSize({ width: 1280, height: 900 });
    await expectAccessible(page, 'referral booked beyond the target at 1280 px');
  });
});
