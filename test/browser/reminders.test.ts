import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loadConfig } from '../../src/config.ts';
import { notifyTransport } from '../../src/integrations/notify/notify-sender.ts';
import { actorOf } from '../../src/services/audit-service.ts';
import type { User } from '../../src/storage/users.repository.ts';
import { fakeNotifyEnv, startFakeNotify, type FakeNotify } from '../support/fake-notify.ts';
import {
  addTestUser,
  PASSWORD,
  registerAnn,
  startTestApp,
  TEST_SERVICE_CONTACTS,
  type TestApp,
} from '../support/test-app.ts';
import {
  collectCspViolations,
  expectAccessible,
  expectNoSidewaysScroll,
  launchChromium,
  screenshot,
  signInAs,
} from './browser-support.ts';

/**
 * Reminders to patients, in the browser: a nurse records Ann's contact preferences and consent
 * (a landline refused first), her refill tomorrow is reminded by text through the fake GOV.UK
 * Notify, and her page shows it sent; the status page says reminders go. Today is Tuesday 24
 * November 2026, 10:00. Every page is checked with axe at 1280 px and at 375 px.
 */
describe('patient reminders journey', () => {
  let t: TestApp;
  let fake: FakeNotify;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base = '';
  let patientId = '';
  let pumpId = '';
  let nina: User;
  let cspViolations: string[] = [];

  before(async () => {
    fake = await startFakeNotify();
    const env = {
      ...TEST_SERVICE_CONTACTS,
      SERVICE_ADDRESS: 'Neuro Rehabilitation Unit|Leeds',
      ...fakeNotifyEnv(fake),
    };
    t = await startTestApp('sqlite', { reminders: loadConfig(env).reminders });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    assert.ok(address && typeof address === 'object');
    base = `http://localhost:${String(address.port)}`;
    nina = await addTestUser(t, 'nurse-specialist', 'nina');
    patientId = (await registerAnn(t, nina)).id;
    pumpId = (
      await t.deps.services.pumps.register(actorOf(nina, null), patientId, {
        modelId: 'synchromed-ii',
        reservoirMl: 20,
        serialNumber: 'NGP777001H',
        implantedOn: '2026-06-01',
        surgeon: 'Mr A Khan',
        alarmMl: 2,
        origin: 'spinal',
      })
    ).id;
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    cspViolations = collectCspViolations(page);
  });
  after(async () => {
    await context.close();
    await browser.close();
    await t.close();
    await fake.close();
  });

  it('shows a patient with nothing recorded, then refuses a landline with the error summary', async () => {
    await signInAs(page, base, 'nina', PASSWORD);
    await page.goto(`${base}/patients/${patientId}`);
    await page.getByRole('link', { name: 'Reminders and contact preferences' }).click();
    await page.locator('#nothing-recorded').waitFor();
    await expectAccessible(page, 'contact page with nothing recorded');
    await page.getByRole('link', { name: 'Record contact preferences' }).click();
    await expectAccessible(page, 'contact preferences form');
    await page.getByLabel('Yes').check();
    await page.locator('#consentDate-day').fill('20');
    await page.locator('#consentDate-month').fill('11');
    await page.locator('#consentDate-year').fill('2026');
    await page.getByLabel('Text message (SMS)').check();
    await page.getByLabel('UK mobile number (optional)').fill('0113 243 3144');
    await page.getByRole('button', { name: 'Save contact preferences' }).click();
    const summary = page.locator('.nhsuk-error-summary');
    await summary.waitFor();
    assert.match((await summary.textContent()) ?? '', /Enter a UK mobile number/);
    assert.equal(await page.getByLabel('UK mobile number (optional)').inputValue(), '0113 243 3144');
    await expectAccessible(page, 'contact preferences form with an error');
    await screenshot(page, 'reminders-form-error');
  });

  it('saves the mobile number and consent, and says reminders go by text', async () => {
    await page.getByLabel('UK mobile number (optional)').fill('07700 900123');
    await page.getByRole('button', { name: 'Save contact preferences' }).click();
    await page.locator('.nhsuk-notification-banner').getByText('Contact preferences saved').waitFor();
    const on = (await page.locator('#reminders-on').textContent()) ?? '';
    assert.match(on, /go by Text message \(SMS\)/);
    assert.match((await page.locator('main').textContent()) ?? '', /07700 900123/);
    await expectAccessible(page, 'contact page with consent recorded');
    await expectNoSidewaysScroll(page, 'contact page at 1280 px');
  });

  it('reminds Ann of her refill tomorrow through Notify and shows it sent', async () => {
    await t.deps.services.pumps.bookAppointment(actorOf(nina, null), pumpId, {
      kind: 'refill',
      onDate: '2026-11-25',
    });
    assert.equal((await t.deps.services.reminders.scheduleDue()).queued, 1);
    const notify = t.deps.config.reminders.notify;
    assert.ok(notify);
    assert.equal((await t.deps.services.reminders.sendDue(notifyTransport(notify))).sent, 1);
    assert.equal(fake.requests.at(-1)?.to, '+447700900123');
    assert.equal(fake.requests.at(-1)?.personalisation.appointment_date, 'Wednesday 25 November 2026');
    await page.goto(`${base}/patients/${patientId}/contact`);
    const row = (await page.locator('#reminders tbody tr').first().textContent()) ?? '';
    assert.match(row.replace(/\s+/g, ' '), /25 November 2026 .*1 day before .*Text message \(SMS\) .*Sent/);
    await expectAccessible(page, 'contact page with a reminder sent');
    await screenshot(page, 'reminders-sent-1280');
  });

  it('the status page says reminders go, without the key', async () => {
    await page.goto(`${base}/reminders/status`);
    await page.locator('#reminders-on').waitFor();
    assert.ok(!(await page.content()).includes(fakeNotifyEnv(fake).NOTIFY_API_KEY ?? 'x'));
    await expectAccessible(page, 'reminder status page');
  });

  it('at 375 px the pages do not scroll sideways', async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    for (const path of [
      `/patients/${patientId}/contact`,
      `/patients/${patientId}/contact/edit`,
      '/reminders/status',
    ]) {
      await page.goto(`${base}${path}`);
      await expectNoSidewaysScroll(page, `${path} at 375 px`);
      await expectAccessible(page, `${path} at 375 px`);
    }
    await page.goto(`${base}/patients/${patientId}/contact`);
    await screenshot(page, 'reminders-sent-375');
    assert.deepEqual(cspViolations, []);
  });
});
