import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  FIRST_PRESCRIPTION,
  PUMP,
  pumpsApiCalls,
  startPumpsApi,
  type PumpsApiWorld,
} from '../../../../test/support/pumps-api-fixtures.ts';
import { ERS_REFERRAL } from '../../../../test/support/referral-fixtures.ts';
import { Browser } from '../../../../test/support/test-app.ts';
import { actorOf } from '../../../services/audit-service.ts';

describe("the patient overview (the patient's home page)", () => {
  let w: PumpsApiWorld;
  let nurse: Browser;
  let referralId = '';
  let pumpId = '';
  const { ok } = pumpsApiCalls(() => w.t);

  before(async () => {
    w = await startPumpsApi();
    nurse = new Browser(w.t);
    await nurse.signIn('nina');
    const referral = await w.t.deps.services.referrals.create(
      actorOf(w.consultant, null),
      { patientId: w.patientId },
      ERS_REFERRAL,
    );
    referralId = referral.id;
    pumpId = (await ok('POST', `/patients/${w.patientId}/pumps`, w.nurseToken, 201, PUMP)).id as string;
    const proposed = await ok(
      'POST',
      `/pumps/${pumpId}/prescriptions`,
      w.nurseToken,
      201,
      FIRST_PRESCRIPTION,
    );
    await ok('POST', `/prescriptions/${String(proposed.id)}/confirm`, w.consultantToken, 200, {});
  });
  after(async () => {
    await w.t.close();
  });

  it('shows the banner, the pump with its dose and refill, the referrals and one timeline, newest first', async () => {
    const page = await nurse.get(`/patients/${w.patientId}`);
    assert.equal(page.statusCode, 200);
    const body = page.body;
    assert.match(body, /SMITH, Ann/);
    assert.match(body, /<dd class="app-nowrap">485 777 3457<\/dd>/);
    assert.match(body, /14 March 1961 \(65 years\)/);
    assert.match(body, /Allergies<\/dt><dd>Not recorded/);
    assert.match(body, /No alerts/);
    assert.match(body, /100 micrograms a day \(500 micrograms\/ml\)/);
    assert.match(body, /serial number NGP123456H/);
    // The referrals list (the patient page lists the patient's referrals).
    assert.ok(body.includes(`href="/referrals/${referralId}"`));
    assert.match(body, /Dr A Patel, Chapeltown Surgery/);
    assert.match(body, /Waiting for triage/);
    // One timeline, newest first: the dose confirmed today (24 November), the referral received
    // on 16 November, the pump implanted on 2 November.
    const timeline = body.slice(body.indexOf('class="app-timeline"'));
    const order = ['Dose confirmed', 'Referral received from Dr A Patel', 'Pump implanted'].map((t) =>
      timeline.indexOf(t),
    );
    assert.ok(
      order.every((i) => i >= 0),
      `timeline: ${order.join(',')}`,
    );
    assert.deepEqual(
      [...order].sort((a, b) => a - b),
      order,
    );
    // The next action, with its link: the referral waits for triage.
    assert.match(body, new RegExp(`<a href="/referrals/${referralId}">Triage the referral</a>`));
  });

  it('is audited as a view of the patient record, one row a view', async () => {
    const count = async () =>
      (
        await w.t.deps.database.db
          .selectFrom('audit_events')
          .select('seq')
          .where('action', '=', 'patient.view')
          .where('patient_id', '=', w.patientId)
          .execute()
      ).length;
    const before = await count();
    await nurse.get(`/patients/${w.patientId}`);
    assert.equal(await count(), before + 1);
  });

  it('shows recorded allergies and alerts in the banner', async () => {
    const edit = await nurse.get(`/patients/${w.patientId}/edit`);
    const version = /name="version" value="(\d+)"/.exec(edit.body)?.[1] ?? '';
    // The edit form fills the NHS number in as 3-3-4.
    assert.match(edit.body, /name="nhsNumber"[^>]*value="485 777 3457"/);
    const saved = await nurse.post(
      `/patients/${w.patientId}`,
      {
        nhsNumber: '485 777 3457',
        givenName: 'Ann',
        familyName: 'Smith',
        'dateOfBirth-day': '14',
        'dateOfBirth-month': '3',
        'dateOfBirth-year': '1961',
        sex: 'female',
        allergies: 'Penicillin (rash)',
        alerts: 'MR conditional pump: check before any scan',
        version,
      },
      `/patients/${w.patientId}/edit`,
    );
    assert.equal(saved.statusCode, 303, saved.body);
    const page = await nurse.get(`/patients/${w.patientId}`);
    assert.match(page.body, /Allergies<\/dt><dd>Penicillin \(rash\)/);
    assert.match(page.body, /<li>MR conditional pump: check before any scan<\/li>/);
  });

  it('answers 404 for a patient who does not exist', async () => {
    const page = await nurse.get('/patients/no-such-patient');
    assert.equal(page.statusCode, 404);
  });
});
