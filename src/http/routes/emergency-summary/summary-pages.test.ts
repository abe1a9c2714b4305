import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ANN,
  BOB,
  buildEmergencyWorld,
  type EmergencyWorld,
} from '../../../../test/support/emergency-fixtures.ts';
import { Browser, startTestApp, type TestApp } from '../../../../test/support/test-app.ts';

/**
 * The emergency summary and break-glass through the pages and the API (app.inject): the ITB team
 * opens the summary directly; an emergency clinician only after stating a reason, only that
 * patient's summary, only until the grant ends; and nothing else of the record opens under it.
 */
describe('emergency summary and break-glass pages', () => {
  let t: TestApp;
  let w: EmergencyWorld;
  let nurse: Browser;
  let erin: Browser;

  const api = (method: 'GET' | 'POST', url: string, token: string, payload?: Record<string, unknown>) =>
    t.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { authorization: `Bearer ${token}` },
      ...(payload ? { payload } : {}),
    });
  const breakGlass = (b: Browser, fields: Record<string, string>) =>
    b.post('/break-glass', fields, '/break-glass');
  const annForm = {
    nhsNumber: '485 777 3457',
    'dateOfBirth-day': '14',
    'dateOfBirth-month': '3',
    'dateOfBirth-year': '1961',
    reason: 'Patient in A&E, drowsy with slow breathing',
  };
  const audits = async (action: string) =>
    t.deps.database.db.selectFrom('audit_events').selectAll().where('action', '=', action).execute();

  before(async () => {
    t = await startTestApp('sqlite');
    w = await buildEmergencyWorld(t);
    nurse = new Browser(t);
    await nurse.signIn('nina');
    erin = new Browser(t);
    await erin.signIn('erin');
  });
  after(async () => {
    await t.close();
  });

  it('the patient overview links prominently to the emergency summary', async () => {
    const res = await nurse.get(`/patients/${w.annId}`);
    assert.equal(res.statusCode, 200);
    assert.match(
      res.body,
      new RegExp(`id="emergency-summary-link"[\\s\\S]*?href="/patients/${w.annId}/emergency-summary"`),
    );
  });

  it('shows the ITB team everything a doctor who has never met the patient needs', async () => {
    const res = await nurse.get(`/patients/${w.annId}/emergency-summary`);
    assert.equal(res.statusCode, 200, res.body);
    const b = res.body;
    for (const fact of [
      'Medtronic SynchroMed II (8637), serial NGP700001H',
      '1 August 2026',
      '20 mL; low-reservoir alarm at 2 mL',
      '8709SC; tip at T10',
      'Catheter access port',
      'Baclofen (intrathecal), 500 mcg/mL',
      '250 mcg/day',
      '1 September 2026: 20 mL at 500 mcg/mL',
      // 20 mL at 0.5 mL a day for 10 days: 15 mL as 11 September begins (residualFromHistory).
      'About 15 mL left today',
      'Penicillin (rash)',
      'Spinal cord injury at T4 (2009); epilepsy',
      '0113 392 4000',
      'itb.service@nhs.net',
    ]) {
      assert.ok(b.includes(fact), `the summary shows ${fact}`);
    }
    assert.match(b, /id="out-of-hours"[\s\S]*?Not set: this service has not given an out-of-hours contact/);
    assert.match(b, /Oral baclofen cover/);
    assert.match(b, /Call intensive care/);
    assert.match(b, /<a href="\/sources#source-nsn-od">\[NSN-OD\]<\/a>/);
    assert.match(b, /href="\/sources"/);
    assert.equal((await audits('patient.emergency-summary')).length, 1);
  });

  it('says plainly when the patient has no pump', async () => {
    const res = await nurse.get(`/patients/${w.bobId}/emergency-summary`);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /id="no-pump"[\s\S]*?NO intrathecal baclofen pump recorded/);
  });

  it('refuses an emergency clinician everything until a reason is stated', async () => {
    const res = await erin.get(`/patients/${w.annId}/emergency-summary`);
    assert.equal(res.statusCode, 403);
    assert.doesNotMatch(res.body, /Smith|NGP700001H|Penicillin/);
    assert.match(res.body, /action="\/break-glass"/);
    for (const url of ['/patients', `/patients/${w.annId}`, `/pumps/${w.pumpId}`, '/worklist']) {
      assert.equal((await erin.get(url)).statusCode, 403, url);
    }
  });

  it('asks for a reason, a real date of birth and an NHS number, naming each field', async () => {
    const res = await breakGlass(erin, {
      ...annForm,
      reason: 'x',
      'dateOfBirth-day': '31',
      'dateOfBirth-month': '2',
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /href="#reason"/);
    assert.match(res.body, /href="#dateOfBirth-day"/);
    const blank = await breakGlass(erin, { nhsNumber: '', reason: '' });
    assert.equal(blank.statusCode, 400);
    assert.match(blank.body, /href="#nhsNumber"/);
    assert.equal((await audits('patient.break-glass')).length, 0);
  });

  it('finds nobody when the date of birth does not match, and says nothing of the patient', async () => {
    const res = await breakGlass(erin, { ...annForm, 'dateOfBirth-year': '1962' });
    assert.equal(res.statusCode, 404);
    assert.match(res.body, /No patient with this NHS number and date of birth/);
    assert.doesNotMatch(res.body, /Smith/);
    const failed = await audits('patient.break-glass');
    assert.equal(failed.length, 1);
    assert.equal(failed[0]?.outcome, 'failure');
  });

  it('opens only the summary after break-glass, audited as such, and nothing else of the record', async () => {
    const res = await breakGlass(erin, annForm);
    assert.equal(res.statusCode, 303, res.body);
    assert.equal(res.headers.location, `/patients/${w.annId}/emergency-summary`);
    const grants = await t.deps.database.db.selectFrom('break_glass_grants').selectAll().execute();
    assert.equal(grants.length, 1);
    const [grant] = grants;
    assert.ok(grant);
    assert.equal(grant.reason, annForm.reason);
    assert.equal(grant.expires_at, '2026-09-11T22:00:00.000Z', 'BREAK_GLASS_HOURS (12) after the grant');
    const summary = await erin.get(`/patients/${w.annId}/emergency-summary`);
    assert.equal(summary.statusCode, 200);
    assert.match(summary.body, /id="break-glass-notice"/);
    assert.match(summary.body, /NGP700001H/);
    const views = await audits('patient.break-glass-view');
    assert.ok(views.some((v) => v.outcome === 'success' && v.patient_id === w.annId));
    // With a live grant, the overview, the pump and refill pages and the API stay closed.
    for (const url of [
      `/patients/${w.annId}`,
      `/patients/${w.annId}/edit`,
      `/pumps/${w.pumpId}`,
      `/pumps/${w.pumpId}/refills/new`,
      '/patients?q=smith',
      '/worklist',
      '/break-glass/accesses',
    ]) {
      assert.equal((await erin.get(url)).statusCode, 403, url);
    }
    for (const url of [`/patients/${w.annId}`, `/pumps/${w.pumpId}`, `/patients/${w.annId}/pumps`]) {
      assert.equal((await api('GET', url, w.emergencyToken)).statusCode, 403, url);
    }
    // Another patient's summary stays closed: the grant is for one patient.
    assert.equal((await erin.get(`/patients/${w.bobId}/emergency-summary`)).statusCode, 403);
  });

  it('refuses the summary again once the grant ends, until a new reason is given', async () => {
    t.clock.set('2026-09-11T22:00:00.000Z');
    const res = await erin.signIn('erin').then(() => erin.get(`/patients/${w.annId}/emergency-summary`));
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /id="expired"/);
    assert.doesNotMatch(res.body, /NGP700001H/);
    assert.equal(
      (await breakGlass(erin, { ...annForm, reason: 'Still in A&E, review of the pump' })).statusCode,
      303,
    );
    assert.equal((await erin.get(`/patients/${w.annId}/emergency-summary`)).statusCode, 200);
  });

  it('lists the accesses for the ITB team and counts them on the home page', async () => {
    const list = await nurse.signIn('nina').then(() => nurse.get('/break-glass/accesses'));
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /Test emergency-clinician \(erin\)/);
    assert.match(list.body, /Patient in A&amp;E, drowsy with slow breathing/);
    assert.match(list.body, /SMITH, Ann/);
    const home = await nurse.get('/');
    assert.match(
      home.body,
      /id="queue-break-glass-recent" data-count="2"><a href="\/break-glass\/accesses">2 break-glass accesses to emergency summaries in the last 7 days/,
    );
  });

  it('works through the API: POST a reason, then GET the summary', async () => {
    const none = await api('GET', `/patients/${w.bobId}/emergency-summary`, w.emergencyToken);
    assert.equal(none.statusCode, 403);
    assert.equal(
      none.json<{ error: { details: { breakGlassRequired: boolean } } }>().error.details.breakGlassRequired,
      true,
    );
    const bad = await api('POST', '/break-glass', w.emergencyToken, { ...BOB, reason: 'short' });
    assert.equal(bad.statusCode, 400);
    const wrong = await api('POST', '/break-glass', w.emergencyToken, {
      ...BOB,
      dateOfBirth: '1975-06-03',
      reason: 'Bob in A&E with a fever',
    });
    assert.equal(wrong.statusCode, 404);
    const grant = await api('POST', '/break-glass', w.emergencyToken, {
      ...BOB,
      reason: 'Bob in A&E with a fever',
    });
    assert.equal(grant.statusCode, 201, grant.body);
    assert.equal(grant.json<{ patientId: string }>().patientId, w.bobId);
    const summary = await api('GET', `/patients/${w.bobId}/emergency-summary`, w.emergencyToken);
    assert.equal(summary.statusCode, 200, summary.body);
    const body = summary.json<{ pump: unknown; access: { kind: string } }>();
    assert.equal(body.pump, null);
    assert.equal(body.access.kind, 'break-glass');
    // The ITB team reads it directly; their tokens cannot break the glass.
    assert.equal((await api('GET', `/patients/${w.annId}/emergency-summary`, w.nurseToken)).statusCode, 200);
    assert.equal(
      (await api('POST', '/break-glass', w.nurseToken, { ...ANN, reason: 'Curious about it' })).statusCode,
      403,
    );
    const full = await api('GET', `/patients/${w.annId}/emergency-summary`, w.nurseToken);
    const s = full.json<{ pump: { doseMcgPerDay: number; reservoirToday: { continuousMl: number } } }>();
    assert.equal(s.pump.doseMcgPerDay, 250);
  });

  it('lists the summary and break-glass in the OpenAPI document', async () => {
    const doc = await t.app.inject({ url: '/api/v1/openapi.json' });
    assert.equal(doc.statusCode, 200);
    const paths = Object.keys(doc.json<{ paths: Record<string, unknown> }>().paths);
    assert.ok(paths.includes('/api/v1/patients/{id}/emergency-summary'), paths.join(' '));
    assert.ok(paths.includes('/api/v1/break-glass'));
  });
});
