import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ERS_REFERRAL } from '../../../../test/support/referral-fixtures.ts';
import {
  addTestUser,
  Browser,
  registerAnn,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';
import { actorOf } from '../../../services/audit-service.ts';
import { createPatient } from '../../../services/patient-service.ts';

/** The test clock's today is Tuesday 24 November 2026 (Europe/London, GMT). */

const BANNER = /id="emergency-alert"[^>]*role="region"|role="region"[^>]*id="emergency-alert"/;

describe('emergency events and advice-line calls as pages', () => {
  let t: TestApp;
  let ann = '';
  let bob = '';
  let pumpId = '';
  let referralId = '';
  let nurse: Browser;
  let consultant: Browser;
  let booker: Browser;
  let eventId = '';

  const as = async (username: string) => {
    const b = new Browser(t);
    assert.equal((await b.signIn(username)).statusCode, 303, username);
    return b;
  };

  before(async () => {
    t = await startTestApp();
    const nina = await addTestUser(t, 'nurse-specialist', 'nina');
    await addTestUser(t, 'consultant', 'carl');
    await addTestUser(t, 'booking-coordinator', 'bea');
    ann = (await registerAnn(t, nina)).id;
    bob = (
      await createPatient(
        { db: t.deps.database.db, clock: t.clock, timeZone: 'Europe/London' },
        actorOf(nina, null),
        {
          nhsNumber: '9434765919',
          givenName: 'Bob',
          familyName: 'Jones',
          dateOfBirth: '1970-05-01',
          sex: 'male',
        },
      )
    ).id;
    pumpId = (
      await t.deps.services.pumps.register(actorOf(nina, null), ann, {
        modelId: 'synchromed-ii',
        reservoirMl: 20,
        serialNumber: 'NGP555H',
        implantedOn: '2026-06-01',
        surgeon: 'Mr A Khan',
        alarmMl: 2,
        origin: 'spinal',
      })
    ).id;
    referralId = (
      await t.deps.services.referrals.create(actorOf(nina, null), { patientId: ann }, ERS_REFERRAL)
    ).id;
    nurse = await as('nina');
    consultant = await as('carl');
    booker = await as('bea');
  });
  after(async () => {
    await t.close();
  });

  it('asks what happened first, then shows that kind’s checklist; a missing field is named in the summary', async () => {
    const first = await nurse.get(`/patients/${ann}/emergency-events/new`);
    assert.equal(first.statusCode, 200);
    assert.match(first.body, /What happened\?/);
    const form = await nurse.get(`/patients/${ann}/emergency-events/new?kind=withdrawal`);
    assert.match(form.body, /Itching with no rash/);
    assert.doesNotMatch(form.body, /Slow or shallow breathing/);
    const res = await nurse.post(
      `/patients/${ann}/emergency-events`,
      {
        kind: 'withdrawal',
        'onsetAt-day': '24',
        'onsetAt-month': '11',
        'onsetAt-year': '2026',
        'onsetAt-time': '08:15',
        signs: ['itch'],
        actionsTaken: '',
      },
      `/patients/${ann}/emergency-events/new?kind=withdrawal`,
    );
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /href="#actionsTaken"[^>]*>\s*Enter the actions taken/);
    assert.match(res.body, /name="signs" type="checkbox" value="itch" checked/);
  });

  it('records the event and shows the banner on every page of the patient’s record, and only hers', async () => {
    const res = await nurse.post(
      `/patients/${ann}/emergency-events`,
      {
        kind: 'withdrawal',
        'onsetAt-day': '24',
        'onsetAt-month': '11',
        'onsetAt-year': '2026',
        'onsetAt-time': '08:15',
        signs: ['itch', 'fever'],
        actionsTaken: 'Told to attend A&E now',
      },
      `/patients/${ann}/emergency-events/new?kind=withdrawal`,
    );
    assert.equal(res.statusCode, 303, res.body);
    eventId = /\/emergency-events\/([^?]+)\?done=recorded/.exec(res.headers.location ?? '')?.[1] ?? '';
    assert.ok(eventId);
    for (const page of [
      `/patients/${ann}`,
      `/pumps/${pumpId}`,
      `/pumps/${pumpId}/refills/new`,
      `/pumps/${pumpId}/prescriptions/new`,
      `/patients/${ann}/measures`,
      `/patients/${ann}/test-doses`,
      `/patients/${ann}/assessments`,
      `/referrals/${referralId}`,
      `/patients/${ann}/emergencies`,
      `/emergency-events/${eventId}`,
    ]) {
      const body = (await nurse.get(page)).body;
      assert.match(body, BANNER, page);
      assert.match(
        body,
        /Suspected withdrawal<\/strong> since 24 November 2026, 08:15, recorded by Test nurse-specialist/,
        page,
      );
    }
    // The banner is a landmark before the page's heading, not an alert read out on every page.
    const overview = (await booker.get(`/patients/${ann}`)).body;
    assert.ok(overview.indexOf('id="emergency-alert"') < overview.indexOf('<h1'), 'before the h1');
    assert.doesNotMatch(overview, /id="emergency-alert"[^>]*role="alert"/);
    assert.doesNotMatch((await nurse.get(`/patients/${bob}`)).body, BANNER);
    assert.doesNotMatch((await nurse.get('/patients')).body, BANNER);
  });

  it('heads the refill worklist and the open list', async () => {
    const audits = () =>
      t.deps.database.db.selectFrom('audit_events').select(['action', 'details']).orderBy('seq').execute();
    const before = (await audits()).length;
    const worklist = (await booker.get('/worklist')).body;
    assert.deepEqual(
      (await audits()).slice(before).map((a) => [a.action, JSON.parse(a.details) as unknown]),
      [['referral.list', { list: 'refill-worklist', shown: 1, emergencyEventsShown: 1 }]],
      'one audit row for the view, saying what both lists showed',
    );
    assert.match(worklist, /id="worklist-emergencies"/);
    assert.ok(
      worklist.indexOf('worklist-emergencies') < worklist.indexOf('id="worklist"') ||
        !worklist.includes('id="worklist"'),
    );
    assert.match(worklist, new RegExp(`href="/emergency-events/${eventId}"`));
    assert.match((await booker.get('/emergency-events')).body, /SMITH, Ann/);
  });

  it('lets only a consultant close it: others see no form and get 403; closing twice answers 409', async () => {
    const forNurse = (await nurse.get(`/emergency-events/${eventId}`)).body;
    assert.match(forNurse, /Only a consultant can close this event/);
    assert.doesNotMatch(forNurse, /Close the emergency event/);
    const refused = await nurse.post(
      `/emergency-events/${eventId}/close`,
      { outcome: 'resolved', outcomeNote: 'x' },
      `/emergency-events/${eventId}`,
    );
    assert.equal(refused.statusCode, 403);
    const missing = await consultant.post(
      `/emergency-events/${eventId}/close`,
      { outcome: 'resolved' },
      `/emergency-events/${eventId}`,
    );
    assert.equal(missing.statusCode, 400);
    assert.match(missing.body, /href="#outcomeNote"/);
    const closed = await consultant.post(
      `/emergency-events/${eventId}/close`,
      { outcome: 'resolved', outcomeNote: 'Refilled; delivery restored' },
      `/emergency-events/${eventId}`,
    );
    assert.equal(closed.statusCode, 303);
    assert.doesNotMatch((await nurse.get(`/pumps/${pumpId}`)).body, BANNER);
    // The closed event's page has no form any more: the token comes from another form page.
    const again = await consultant.post(
      `/emergency-events/${eventId}/close`,
      { outcome: 'other', outcomeNote: 'Again' },
      `/patients/${ann}/emergency-events/new?kind=withdrawal`,
    );
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /Closed/);
  });

  it('logs a call, shows the alarm advice on the form, and offers the emergency event the call suggests', async () => {
    const form = (await nurse.get(`/advice-calls/new?patientId=${ann}`)).body;
    assert.match(form, /Two tones is the critical alarm: the drug has stopped flowing/);
    assert.match(form, /One tone about once an hour is not critical/);
    assert.doesNotMatch(form, /\[MDT-ALARM\]/, 'source keys are shown as a link, not as keys');
    const res = await nurse.post(
      '/advice-calls',
      {
        patientId: ann,
        'calledAt-day': '24',
        'calledAt-month': '11',
        'calledAt-year': '2026',
        'calledAt-time': '09:40',
        callerKind: 'carer',
        reason: 'alarm-critical',
        withdrawalSigns: ['itch'],
        adviceGiven: 'Go to A&E now; take the emergency card',
        followUp: 'emergency-department',
      },
      `/advice-calls/new?patientId=${ann}`,
    );
    assert.equal(res.statusCode, 303, res.body);
    const page = (await nurse.get(res.headers.location ?? '')).body;
    assert.match(page, /The caller reported signs of an emergency/);
    const link = /href="(\/patients\/[^"]+\/emergency-events\/new\?kind=withdrawal&amp;call=[^"]+)"/.exec(
      page,
    )?.[1];
    assert.ok(link, 'offers a withdrawal event');
    const eventForm = (await nurse.get(link.replace(/&amp;/g, '&'))).body;
    assert.match(eventForm, /name="adviceCallId" value="/);
    assert.match((await booker.get('/advice-calls')).body, /SMITH, Ann/);
    assert.match((await booker.get(`/patients/${ann}/emergencies`)).body, /Pump alarm: two tones/);
  });

  it('refuses a call with no follow-up for a two-tone alarm, naming the field; logs an unknown caller', async () => {
    const bad = await nurse.post(
      '/advice-calls',
      {
        patientId: ann,
        'calledAt-day': '24',
        'calledAt-month': '11',
        'calledAt-year': '2026',
        'calledAt-time': '09:40',
        callerKind: 'patient',
        reason: 'alarm-critical',
        adviceGiven: 'x',
        followUp: 'none',
        followUpNote: 'x',
      },
      `/advice-calls/new?patientId=${ann}`,
    );
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /href="#followUp"[^>]*>\s*An urgent call/);
    const unknown = await nurse.post(
      '/advice-calls',
      {
        'calledAt-day': '24',
        'calledAt-month': '11',
        'calledAt-year': '2026',
        'calledAt-time': '09:50',
        callerIdentity: 'A GP asking about a patient not yet named',
        callerKind: 'gp',
        reason: 'medicines',
        adviceGiven: 'Explained oral baclofen cover',
        followUp: 'none',
        followUpNote: 'Question answered',
      },
      '/advice-calls/new',
    );
    assert.equal(unknown.statusCode, 303, unknown.body);
    assert.equal((await booker.get('/advice-calls/new')).statusCode, 403);
  });
});
