import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { countRows } from '../../../../test/support/assertions.ts';
import { pdfText } from '../../../../test/support/pdf-text.ts';
import { dateFields, decide, recordReferral, SLOT } from '../../../../test/support/referral-journey.ts';
import {
  ANN,
  documentIdFor,
  registerPatient,
  startReferralPages,
  versionOf,
  type ReferralPages,
} from '../../../../test/support/referral-pages.ts';
import { addTestUser, Browser, startTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { loadConfig } from '../../../config.ts';

/**
 * Letters fit to send, through the pages: the acceptance letter quotes the advice, the redirect
 * form asks whether the referral was sent on and the page says which, and a letter that would
 * go out missing a fact is refused in the NHS error pattern with nothing saved.
 */
describe('letters fit to send, in the pages', () => {
  let p: ReferralPages;

  before(async () => {
    p = await startReferralPages();
  });
  after(async () => {
    await p.t.close();
  });

  it("quotes the consultant's advice in the acceptance letter", async () => {
    const id = await recordReferral(p);
    await decide(p, id, {
      outcome: 'accepted',
      priority: 'routine',
      advice: 'Please stop tizanidine two weeks before the appointment.',
    });
    const page = await p.booking.get(`/referrals/${id}`);
    const docId = documentIdFor(page.body, /Acknowledgement letter/);
    const pdf = await p.booking.get(`/documents/${docId}`);
    assert.equal(pdf.statusCode, 200);
    assert.match(
      pdfText(pdf.rawPayload).replace(/\s+/g, ' '),
      /Please stop tizanidine two weeks before the appointment\./,
    );
  });

  it('asks whether a redirected referral was sent on, and how', async () => {
    const id = await recordReferral(p);
    const url = `/referrals/${id}/triage`;
    const form = await p.consultant.get(url);
    assert.match(form.body, /Has the referral been sent on to that service\?/);
    assert.match(form.body, /name="redirectMethod" type="radio" value="e-rs"/);
    const res = await p.consultant.post(
      url,
      {
        outcome: 'redirected',
        redirectTo: 'Leeds Pain Service',
        advice: 'Pain.',
        redirectSent: 'yes',
        version: versionOf(form.body),
      },
      url,
    );
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /There is a problem/);
    assert.match(res.body, /href="#redirectMethod">\s*Select how the referral was sent on/);
  });

  it('says on the referral page when a redirected referral was not sent on', async () => {
    const id = await recordReferral(p);
    await decide(p, id, {
      outcome: 'redirected',
      redirectTo: 'Leeds Pain Service',
      advice: 'Pain.',
      redirectSent: 'no',
    });
    const page = await p.booking.get(`/referrals/${id}`);
    assert.match(page.body, /id="redirect-note">Not sent on: the referrer was advised to refer there\./);
    const sentId = await recordReferral(p);
    await decide(p, sentId, {
      outcome: 'redirected',
      redirectTo: 'Leeds Pain Service',
      advice: 'Pain.',
      redirectSent: 'yes',
      redirectMethod: 'post',
    });
    assert.match((await p.booking.get(`/referrals/${sentId}`)).body, /id="redirect-note">Sent on by Post\./);
  });

  it('refuses to book an appointment for a patient with no address, saying what to add', async () => {
    const nell = await addTestUser(p.t, 'nurse-specialist', 'nell');
    await registerPatient(p.t, nell, {
      nhsNumber: '9434765919',
      givenName: 'Bob',
      familyName: 'Jones',
      dateOfBirth: '1970-01-02',
      sex: 'male',
    });
    const id = await recordReferral(p, { nhsNumber: '943 476 5919' });
    await decide(p, id, { outcome: 'accepted', priority: 'routine' });
    const before = await countRows(p.t.deps.database.db, 'appointments');
    const res = await p.booking.post(
      `/referrals/${id}/appointments`,
      { ...SLOT, ...dateFields('1', '12') },
      `/referrals/${id}/appointments/new`,
    );
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /There is a problem/);
    assert.match(
      res.body,
      /The letter to Bob Jones cannot be made: their record has no first line of the address and postcode/,
    );
    assert.equal(await countRows(p.t.deps.database.db, 'appointments'), before);
  });
});

describe('letters refused while the service contacts are unset, in the pages', () => {
  let t: TestApp;
  let consultant: Browser;

  before(async () => {
    t = await startTestApp('sqlite', { service: loadConfig({}).service });
    const bea = await addTestUser(t, 'booking-coordinator', 'bea');
    await addTestUser(t, 'consultant', 'cas');
    consultant = new Browser(t);
    await consultant.signIn('cas');
    await registerPatient(t, bea, ANN);
  });
  after(async () => {
    await t.close();
  });

  it('refuses the triage decision above the form, naming the settings, and saves nothing', async () => {
    const p = { t, booking: consultant, consultant, nurse: consultant, patientId: '' } as ReferralPages;
    const id = await recordReferral(p);
    const url = `/referrals/${id}/triage`;
    const form = await consultant.get(url);
    const res = await consultant.post(
      url,
      { outcome: 'accepted', priority: 'routine', version: versionOf(form.body) },
      url,
    );
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /<title>Error: /);
    assert.match(
      res.body,
      /href="#form">\s*No letter can be made until SERVICE_PHONE \(the service&#39;s phone number\) and SERVICE_EMAIL \(the service&#39;s email address\) are set/,
    );
    assert.match(res.body, /id="form"/);
    assert.equal(await countRows(t.deps.database.db, 'triage_decisions'), 0);
    assert.equal(await countRows(t.deps.database.db, 'documents'), 0);
  });
});
