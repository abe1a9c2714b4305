import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { addTestUser, Browser, startTestApp, type TestApp } from '../../../../test/support/test-app.ts';

const mary = {
  nhsNumber: '943 476 5919',
  hospitalNumber: 'RR8 123456',
  givenName: 'Mary',
  familyName: "O'BRIEN-SMITH",
  'dateOfBirth-day': '7',
  'dateOfBirth-month': '3',
  'dateOfBirth-year': '1978',
  sex: 'female',
};

async function referralEmail(text: string): Promise<Buffer> {
  return new MailComposer({
    from: 'Dr Rhiannon Hughes <rhiannon.hughes@nhs.net>',
    to: 'itb.referrals@nhs.net',
    subject: 'Referral for ITB assessment',
    date: new Date('2026-11-20T09:15:00Z'),
    text,
  })
    .compile()
    .build();
}

describe('registering and finding patients (pages)', () => {
  let t: TestApp;
  let nurse: Browser;
  beforeEach(async () => {
    t = await startTestApp();
    await addTestUser(t, 'nurse-specialist', 'nia');
    nurse = new Browser(t);
    await nurse.signIn('nia');
  });
  afterEach(async () => {
    await t.close();
  });

  const register = async (fields: Record<string, string>) => nurse.post('/patients', fields, '/patients/new');

  it("finds O'BRIEN-SMITH by any part of her name, her birthday however written, and her hospital number", async () => {
    assert.equal((await register(mary)).statusCode, 303);
    for (const q of [
      'obrien',
      "o'brien",
      'Brien-Smith',
      'smith',
      'Mary',
      'Mar',
      '7 March 1978',
      '07/03/1978',
      '1978-03-07',
      'RR8 123456',
      'RR8123456',
      '943 476 5919',
    ]) {
      const res = await nurse.get(`/patients?q=${encodeURIComponent(q)}`);
      assert.equal(res.statusCode, 200, q);
      assert.match(res.body, /1 patient found/, q);
      assert.match(res.body, /O&#39;BRIEN-SMITH, Mary/, q);
      assert.match(res.body, /943 476 5919/, q);
    }
  });

  it('keeps a hospital number as entered, spaces and all', async () => {
    const res = await register(mary);
    const page = await nurse.get(String(res.headers.location));
    assert.match(page.body, /Hospital number<\/dt><dd>RR8 123456/);
  });

  it('warns of a likely duplicate with links to the matches, and registers only once confirmed', async () => {
    const first = await register(mary);
    const firstUrl = String(first.headers.location).split('?')[0] ?? '';
    const twin = { ...mary, nhsNumber: '401 023 2137', hospitalNumber: '', familyName: 'OBrien Smith' };
    const warned = await register(twin);
    assert.equal(warned.statusCode, 409);
    assert.match(warned.body, /This patient may already be registered/);
    assert.ok(warned.body.includes(`href="${firstUrl}"`));
    assert.match(warned.body, /href="#confirmNotDuplicate"/);
    // What was typed is kept, the NHS number as 3-3-4.
    assert.match(warned.body, /name="nhsNumber"[^>]*value="401 023 2137"/);
    assert.match((await nurse.get('/patients?q=obrien')).body, /1 patient found/);
    const confirmed = await register({ ...twin, confirmNotDuplicate: 'yes' });
    assert.equal(confirmed.statusCode, 303);
    assert.match((await nurse.get('/patients?q=obrien')).body, /2 patients found/);
  });

  it('still refuses a registered NHS number outright, linking to the record', async () => {
    const first = await register(mary);
    const again = await register({ ...mary, confirmNotDuplicate: 'yes' });
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /already registered/);
    assert.ok(again.body.includes(`href="${String(first.headers.location).split('?')[0]}"`));
  });

  it('fills the form from an email referral and returns to the email after saving', async () => {
    const raw = await referralEmail(
      [
        'Dear colleagues,',
        '',
        "Name: Mrs Mary O'BRIEN-SMITH",
        'DOB: 07/03/1978',
        'NHS number: 9434765919',
        'Address: 12 Park Lane, Headingley, Leeds, LS6 2AB',
        '',
        'Severe spasticity despite oral baclofen.',
      ].join('\n'),
    );
    const { item } = await t.deps.services.referrals.ingestEmail(null, raw, 'upload');
    const form = await nurse.get(`/patients/new?intake=${item.id}`);
    assert.equal(form.statusCode, 200);
    const value = (name: string) => new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(form.body)?.[1];
    assert.equal(value('nhsNumber'), '943 476 5919');
    assert.equal(value('givenName'), 'Mary');
    assert.equal(value('familyName'), 'O&#39;BRIEN-SMITH');
    assert.equal(value('dateOfBirth-day'), '7');
    assert.equal(value('dateOfBirth-month'), '3');
    assert.equal(value('dateOfBirth-year'), '1978');
    assert.equal(value('addressLine1'), '12 Park Lane');
    assert.equal(value('town'), 'Leeds');
    assert.equal(value('postcode'), 'LS6 2AB');
    assert.match(form.body, /Details taken from the email referral from Dr Rhiannon Hughes/);
    assert.ok(form.body.includes(`name="intake" value="${item.id}"`));
    const saved = await nurse.post(
      '/patients',
      {
        nhsNumber: '943 476 5919',
        givenName: 'Mary',
        familyName: "O'BRIEN-SMITH",
        'dateOfBirth-day': '7',
        'dateOfBirth-month': '3',
        'dateOfBirth-year': '1978',
        sex: 'female',
        intake: item.id,
      },
      `/patients/new?intake=${item.id}`,
    );
    assert.equal(saved.statusCode, 303);
    assert.match(String(saved.headers.location), new RegExp(`^/intake/${item.id}\\?registered=[0-9a-f-]+$`));
  });

  it('answers 404 for an email that is not in the intake, and ignores an intake id that is not an id', async () => {
    assert.equal((await nurse.get('/patients/new?intake=no-such-item')).statusCode, 404);
    const odd = await nurse.get(`/patients/new?intake=${encodeURIComponent('//evil.example')}`);
    assert.equal(odd.statusCode, 200);
    assert.doesNotMatch(odd.body, /name="intake"/);
  });
});
