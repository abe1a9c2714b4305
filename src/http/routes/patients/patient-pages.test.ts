import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { addTestUser, Browser, startTestApp, type TestApp } from '../../../../test/support/test-app.ts';

const form = {
  nhsNumber: '485 777 3457',
  hospitalNumber: 'RR8123456',
  givenName: 'Ann',
  familyName: 'Smith',
  'dateOfBirth-day': '14',
  'dateOfBirth-month': '3',
  'dateOfBirth-year': '1961',
  sex: 'female',
  postcode: 'ls1 3ex',
};

describe('patient register pages', () => {
  // Each test starts on an empty register of its own, with a nurse and a consultant signed in.
  let t: TestApp;
  let nurse: Browser;
  let consultant: Browser;
  beforeEach(async () => {
    t = await startTestApp();
    await addTestUser(t, 'nurse-specialist', 'nia');
    await addTestUser(t, 'consultant', 'cas');
    nurse = new Browser(t);
    consultant = new Browser(t);
    await nurse.signIn('nia');
    await consultant.signIn('cas');
  });
  afterEach(async () => {
    await t.close();
  });

  /** The nurse registers Ann Smith with the form; the record's address. */
  const registerAnn = async (): Promise<string> => {
    const res = await nurse.post('/patients', form, '/patients/new');
    assert.equal(res.statusCode, 303);
    return String(res.headers.location).split('?')[0] ?? '';
  };

  it('registers a patient and shows the record with the NHS number as 3-3-4', async () => {
    const patientUrl = await registerAnn();
    const page = await nurse.get(patientUrl);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /485 777 3457/);
    assert.match(page.body, /14 March 1961/);
    assert.match(page.body, /LS1 3EX/);
  });

  it('shows every problem in an error summary linked to its field, and keeps what was typed', async () => {
    const res = await nurse.post(
      '/patients',
      {
        ...form,
        nhsNumber: '485 777 3456',
        givenName: '',
        'dateOfBirth-day': '31',
        'dateOfBirth-month': '2',
      },
      '/patients/new',
    );
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /There is a problem/);
    assert.match(res.body, /href="#nhsNumber"[^>]*>[^<]*check digit/);
    assert.match(res.body, /href="#givenName"/);
    assert.match(res.body, /href="#dateOfBirth-day"[^>]*>\s*Date of birth must be a real date/);
    assert.match(res.body, /<title>Error: /);
    assert.match(res.body, /value="Smith"/);
  });

  it('refuses a duplicate NHS number and links to the existing record', async () => {
    const patientUrl = await registerAnn();
    const res = await nurse.post('/patients', { ...form, givenName: 'Anne' }, '/patients/new');
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /already registered/);
    assert.ok(res.body.includes(`href="${patientUrl}"`));
  });

  it('finds the patient by NHS number, by name and by date of birth', async () => {
    await registerAnn();
    for (const q of ['4857773457', 'smith', 'Ann Smith', '14/03/1961', 'RR8123456']) {
      const res = await nurse.get(`/patients?q=${encodeURIComponent(q)}`);
      assert.equal(res.statusCode, 200, q);
      assert.match(res.body, /1 patient found/, q);
    }
    const bad = await nurse.get('/patients?q=485%20777%203456');
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /href="#q"/);
  });

  it('refuses the second of two overlapping edits, saying who changed the record', async () => {
    const patientUrl = await registerAnn();
    const editUrl = `${patientUrl}/edit`;
    const nurseForm = await nurse.get(editUrl);
    const version = /name="version" value="(\d+)"/.exec(nurseForm.body)?.[1] ?? '';
    const first = await consultant.post(patientUrl, { ...form, version, phone: '0113 496 0000' }, editUrl);
    assert.equal(first.statusCode, 303);
    const second = await nurse.post(patientUrl, { ...form, version, phone: '0113 496 9999' }, editUrl);
    assert.equal(second.statusCode, 409);
    assert.match(second.body, /Test consultant changed this record/);
    assert.match(second.body, /Your changes were not saved/);
    const now = await nurse.get(patientUrl);
    assert.match(now.body, /0113 496 0000/);
  });

  it('records every view and search in the audit trail', async () => {
    const patientUrl = await registerAnn();
    await nurse.get(patientUrl);
    await consultant.get(`${patientUrl}/edit`);
    await nurse.get('/patients?q=4857773457');
    const id = patientUrl.split('/').pop() ?? '';
    const rows = await t.deps.database.db
      .selectFrom('audit_events')
      .select(['action', 'username'])
      .where('patient_id', '=', id)
      .where('action', '=', 'patient.view')
      .execute();
    assert.ok(rows.length >= 2);
    const searches = await t.deps.database.db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'patient.search')
      .execute();
    assert.ok(searches.some((s) => s.details.includes('4857773457')));
  });
});
