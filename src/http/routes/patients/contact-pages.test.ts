import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fakeNotifyEnv, startFakeNotify, type FakeNotify } from '../../../../test/support/fake-notify.ts';
import {
  addTestUser,
  apiTokenFor,
  Browser,
  registerAnn,
  startTestApp,
  TEST_SERVICE_CONTACTS,
  type TestApp,
} from '../../../../test/support/test-app.ts';
import { loadConfig } from '../../../config.ts';
import type { User } from '../../../storage/users.repository.ts';

type ApiError = { error: { code: string; fields?: { field: string; message: string }[] } };

const text = (html: string): string =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');

const consentBoxes = { 'consentDate-day': '20', 'consentDate-month': '11', 'consentDate-year': '2026' };

/**
 * The contact preferences page, form and API, and the reminder status page, on a service without
 * a Notify key (the default) and one with a key pointing at the fake Notify. Today is 24 November
 * 2026 (the test clock).
 */
describe('contact preferences pages and API without a Notify key', () => {
  let t: TestApp;
  let nina: User;
  let admin: User;
  let patientId = '';
  const as = async (user: User) => {
    const b = new Browser(t);
    await b.signIn(user.username);
    return b;
  };

  before(async () => {
    t = await startTestApp();
    nina = await addTestUser(t, 'nurse-specialist', 'nina');
    admin = await addTestUser(t, 'administrator', 'adam');
    patientId = (await registerAnn(t, nina)).id;
  });
  after(async () => {
    await t.close();
  });

  it('says plainly on the patient page and the status page that no reminders are sent', async () => {
    const b = await as(nina);
    const page = await b.get(`/patients/${patientId}/contact`);
    assert.equal(page.statusCode, 200);
    assert.match(text(page.body), /No reminders are being sent/);
    assert.match(text(page.body), /NOTIFY_API_KEY is not set/);
    assert.match(text(page.body), /No contact preferences are recorded/);
    const overview = await b.get(`/patients/${patientId}`);
    assert.match(overview.body, new RegExp(`href="/patients/${patientId}/contact"`));
    const status = await (await as(admin)).get('/reminders/status');
    assert.equal(status.statusCode, 200);
    assert.match(text(status.body), /No reminders are being sent/);
    assert.doesNotMatch(status.body, /NOTIFY_API_KEY=/);
  });

  it('records preferences from the form, normalising the mobile number, with who recorded them', async () => {
    const b = await as(nina);
    const res = await b.post(
      `/patients/${patientId}/contact`,
      {
        version: '0',
        consentGiven: 'yes',
        ...consentBoxes,
        channels: ['sms', 'email'],
        email: 'ann@example.com',
        mobile: '+44 7700 900123',
      },
      `/patients/${patientId}/contact/edit`,
    );
    assert.equal(res.statusCode, 303, res.body);
    assert.equal(res.headers.location, `/patients/${patientId}/contact?done=saved`);
    const page = text((await b.get(`/patients/${patientId}/contact?done=saved`)).body);
    assert.match(page, /Contact preferences saved/);
    assert.match(page, /07700 900123/);
    assert.match(page, /Yes \(decided 20 November 2026\)/);
    assert.match(page, /Email and Text message \(SMS\)/);
    assert.match(page, /Test nurse-specialist/);
  });

  it('shows the form again with the problems named when the input is wrong, saving nothing', async () => {
    const b = await as(nina);
    const res = await b.post(
      `/patients/${patientId}/contact`,
      {
        version: '1',
        consentGiven: 'yes',
        'consentDate-day': '31',
        'consentDate-month': '2',
        'consentDate-year': '2026',
        channels: 'sms',
        mobile: '0113 243 3144',
      },
      `/patients/${patientId}/contact/edit`,
    );
    assert.equal(res.statusCode, 400);
    const body = text(res.body);
    assert.match(body, /There is a problem/);
    assert.match(body, /Enter a UK mobile number/);
    assert.match(body, /Date of the consent decision must be a real date/);
    assert.match(res.body, /href="#consentDate-day"/);
    const again = text((await b.get(`/patients/${patientId}/contact`)).body);
    assert.match(again, /07700 900123/, 'the stored number is unchanged');
  });

  it('refuses a form opened before someone else saved (409), and a role without clinical access (403)', async () => {
    const b = await as(nina);
    const stale = await b.post(
      `/patients/${patientId}/contact`,
      { version: '0', consentGiven: 'no', ...consentBoxes },
      `/patients/${patientId}/contact/edit`,
    );
    assert.equal(stale.statusCode, 409);
    assert.match(text(stale.body), /changed by someone else/);
    // An administrator has no clinical access (roles.ts): neither the page nor the form.
    const a = await as(admin);
    assert.equal((await a.get(`/patients/${patientId}/contact`)).statusCode, 403);
    assert.equal((await a.get(`/patients/${patientId}/contact/edit`)).statusCode, 403);
  });

  it('reads and writes the preferences through the API, with 400 naming fields and 409 on a stale version', async () => {
    const token = await apiTokenFor(t, nina);
    const call = (method: 'GET' | 'PUT', payload?: unknown) =>
      t.app.inject({
        method,
        url: `/api/v1/patients/${patientId}/contact-preferences`,
        headers: { authorization: `Bearer ${token}` },
        ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
      });
    const got = await call('GET');
    assert.equal(got.statusCode, 200);
    const body = got.json<{
      preferences: { mobile: string; version: number };
      activeChannels: string[];
      remindersOff: string;
    }>();
    assert.equal(body.preferences.mobile, '+447700900123');
    assert.deepEqual(body.activeChannels, ['email', 'sms']);
    assert.match(body.remindersOff, /NOTIFY_API_KEY/);
    const put = await call('PUT', {
      email: null,
      mobile: '07700 900456',
      channels: ['sms'],
      consentGiven: true,
      consentDate: '2026-11-24',
      version: body.preferences.version,
    });
    assert.equal(put.statusCode, 200, put.body);
    assert.equal(put.json<{ preferences: { mobile: string } }>().preferences.mobile, '+447700900456');
    const bad = await call('PUT', {
      channels: ['email'],
      consentGiven: true,
      consentDate: '2026-12-25',
      version: 2,
    });
    assert.equal(bad.statusCode, 400);
    const fields = bad
      .json<ApiError>()
      .error.fields?.map((f) => f.field)
      .sort();
    assert.deepEqual(fields, ['consentDate', 'email']);
    const stale = await call('PUT', {
      channels: [],
      consentGiven: false,
      consentDate: '2026-11-24',
      version: 1,
    });
    assert.equal(stale.statusCode, 409);
    const missing = await t.app.inject({
      method: 'GET',
      url: '/api/v1/patients/no-such-patient/contact-preferences',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(missing.statusCode, 404);
  });

  it('documents the routes in the OpenAPI document', async () => {
    const token = await apiTokenFor(t, nina);
    const doc = await t.app.inject({
      method: 'GET',
      url: '/api/v1/openapi.json',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(doc.statusCode, 200, doc.body);
    const paths = doc.json<{ paths: Record<string, Record<string, unknown>> }>().paths;
    const path = paths['/api/v1/patients/{patientId}/contact-preferences'];
    assert.ok(path?.get && path.put, Object.keys(paths).join(', '));
  });
});

describe('the status page with Notify set up', () => {
  let t: TestApp;
  let fake: FakeNotify;
  before(async () => {
    fake = await startFakeNotify();
    const env = {
      ...TEST_SERVICE_CONTACTS,
      SERVICE_ADDRESS: 'Neuro Rehab Unit|Leeds',
      ...fakeNotifyEnv(fake),
    };
    t = await startTestApp('sqlite', { reminders: loadConfig(env).reminders });
  });
  after(async () => {
    await t.close();
    await fake.close();
  });

  it('says reminders go, to a test address, and never shows the key', async () => {
    const manager = await addTestUser(t, 'service-manager', 'sam');
    const b = new Browser(t);
    await b.signIn(manager.username);
    const page = await b.get('/reminders/status');
    assert.equal(page.statusCode, 200);
    const body = text(page.body);
    assert.match(body, /sent through GOV.UK Notify \(a test address/);
    assert.match(body, /7 and 1/);
    assert.ok(!page.body.includes(fakeNotifyEnv(fake).NOTIFY_API_KEY ?? 'x'), 'the key is never shown');
    assert.ok(!page.body.includes('3d844edf'), 'nor any part of its secret');
  });
});
