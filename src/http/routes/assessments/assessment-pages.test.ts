import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  addTestUser,
  Browser,
  registerAnn,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';
import { ERS_REFERRAL } from '../../../../test/support/referral-fixtures.ts';
import { ADULT_RELATIVES } from '../../../../test/support/selection-fixtures.ts';
import { actorOf } from '../../../services/audit-service.ts';

/** The answers form filled in with two relative contraindications present. */
function answersForm(version: string): Record<string, string | string[]> {
  const f: Record<string, string | string[]> = {
    version,
    protocolVersion: '2',
    'q-harm': 'yes',
    'n-harm': 'Cannot sit in her wheelchair',
    'q-harm-areas': ['function', 'care'],
    'q-baclofen-allergy': 'no',
    'q-tried-oral-baclofen': 'tried',
    'q-max-dose-oral-baclofen': 'yes',
    // Not asked: tizanidine was not tried, so its maximum dose is not kept.
    'q-tried-tizanidine': 'not-tried',
    'q-max-dose-tizanidine': 'no',
  };
  for (const t of ['gabapentin', 'dantrolene', 'botulinum-toxin', 'physiotherapy', 'orthotics']) {
    f[`q-tried-${t}`] = 'not-tried';
  }
  for (const r of ADULT_RELATIVES) {
    f[`q-${r}`] = 'no';
  }
  f['q-epilepsy'] = 'yes';
  f['n-epilepsy'] = 'Two seizures this month';
  f['q-pressure-ulcers'] = 'yes';
  return f;
}

const versionOf = (body: string) => /name="version" value="(\d+)"/.exec(body)?.[1] ?? '';

/** A fresh service with Ann registered, a nurse and a consultant signed in, and a booking coordinator. */
interface World {
  readonly t: TestApp;
  readonly patientId: string;
  readonly nurse: Browser;
  readonly consultant: Browser;
}

async function openWorld(): Promise<World> {
  const t = await startTestApp('sqlite');
  t.clock.set('2026-11-25T10:00:00.000Z');
  const n = await addTestUser(t, 'nurse-specialist', 'nia');
  await addTestUser(t, 'consultant', 'cas');
  await addTestUser(t, 'booking-coordinator', 'bea');
  const patientId = (await registerAnn(t, n)).id;
  const nurse = new Browser(t);
  await nurse.signIn('nia');
  const consultant = new Browser(t);
  await consultant.signIn('cas');
  return { t, patientId, nurse, consultant };
}

/** The nurse starts an assessment on the adult protocol; its page's address. */
async function started(w: World): Promise<string> {
  const res = await w.nurse.post(
    `/patients/${w.patientId}/assessments`,
    { protocolCode: 'adult-itb' },
    `/patients/${w.patientId}/assessments/new`,
  );
  assert.equal(res.statusCode, 303);
  return (res.headers.location ?? '').replace(/\/answers$/, '');
}

/** Started, then answered with two relative contraindications present. */
async function answered(w: World): Promise<string> {
  const url = await started(w);
  const page = await w.nurse.get(`${url}/answers`);
  const res = await w.nurse.post(`${url}/answers`, answersForm(versionOf(page.body)), `${url}/answers`);
  assert.equal(res.statusCode, 303);
  return url;
}

/** Answered, then sent to the MDT by the consultant, as the suggestion advises. */
async function sentToMdt(w: World): Promise<string> {
  const url = await answered(w);
  const page = await w.consultant.get(url);
  const res = await w.consultant.post(
    `${url}/decision`,
    { version: versionOf(page.body), decision: 'discuss-at-mdt' },
    url,
  );
  assert.equal(res.statusCode, 303);
  return url;
}

/** Sent to the MDT, then decided there. */
async function decidedAtMdt(w: World): Promise<string> {
  const url = await sentToMdt(w);
  const page = await w.consultant.get(url);
  const res = await w.consultant.post(
    `${url}/mdt-outcome`,
    {
      version: versionOf(page.body),
      decision: 'proceed-to-test-dose',
      'meetingOn-day': '25',
      'meetingOn-month': '11',
      'meetingOn-year': '2026',
      attendees: 'Dr Cas, Nia',
      note: 'Proceed once neurology has reviewed the epilepsy',
    },
    url,
  );
  assert.equal(res.statusCode, 303);
  return url;
}

describe('selection assessment pages', () => {
  let w: World;
  let t: TestApp;
  let patientId: string;
  let nurse: Browser;
  let consultant: Browser;

  beforeEach(async () => {
    w = await openWorld();
    ({ t, patientId, nurse, consultant } = w);
  });
  afterEach(async () => {
    await w.t.close();
  });

  it('the patient page links to assessments and measures', async () => {
    const res = await nurse.get(`/patients/${patientId}`);
    assert.match(res.body, new RegExp(`href="/patients/${patientId}/assessments"`));
    assert.match(res.body, new RegExp(`href="/patients/${patientId}/measures"`));
  });

  it('starting needs a protocol; then opens the questions', async () => {
    const form = `/patients/${patientId}/assessments/new`;
    const page = await nurse.get(form);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Adult ITB patient selection \(version 2\)/);
    const bad = await nurse.post(`/patients/${patientId}/assessments`, { referralId: '' }, form);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /href="#protocolCode">\s*Select the protocol to assess against/);
    const ok = await nurse.post(`/patients/${patientId}/assessments`, { protocolCode: 'adult-itb' }, form);
    assert.equal(ok.statusCode, 303);
    assert.match(ok.headers.location ?? '', /^\/assessments\/[0-9a-f-]+\/answers$/);
  });

  it('a bad answer is refused, naming the question, and nothing is saved', async () => {
    const assessmentUrl = await started(w);
    const page = await nurse.get(`${assessmentUrl}/answers`);
    assert.match(page.body, /Does the patient have poorly controlled epilepsy\?/);
    const res = await nurse.post(
      `${assessmentUrl}/answers`,
      { version: versionOf(page.body), protocolVersion: '2', 'q-epilepsy': 'maybe', 'n-harm': 'note alone' },
      `${assessmentUrl}/answers`,
    );
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /href="#q-epilepsy"/);
    assert.match(res.body, /href="#q-harm">\s*[^<]*choose an answer for the note/);
    const view = await nurse.get(assessmentUrl);
    assert.match(view.body, /Suggestion: Incomplete/);
    assert.doesNotMatch(view.body, /note alone/);
  });

  it('saves answers, drops the one that does not apply, and names both relative contraindications', async () => {
    const assessmentUrl = await started(w);
    const page = await nurse.get(`${assessmentUrl}/answers`);
    const res = await nurse.post(
      `${assessmentUrl}/answers`,
      answersForm(versionOf(page.body)),
      `${assessmentUrl}/answers`,
    );
    assert.equal(res.statusCode, 303);
    const view = await nurse.get(res.headers.location ?? '');
    assert.match(view.body, /Suggestion: Suitable – discuss at MDT/);
    assert.match(view.body, /Relative contraindications present/);
    assert.match(view.body, /<li>Poorly controlled epilepsy – Two seizures this month<\/li>/);
    assert.match(view.body, /<li>Skin pressure ulcers<\/li>/);
    assert.match(view.body, /were not kept[\s\S]*Tizanidine: was the maximum dose reached\?/);
    assert.doesNotMatch(view.body, /Record the decision/, 'a nurse does not decide');
    assert.match(view.body, /Answers saved/);
    // Banners and dropped questions come from the service's own texts, never from the address.
    const forged = await nurse.get(
      `${assessmentUrl}?done=${encodeURIComponent('Phone 0800 000 000 now')}&dropped=${encodeURIComponent('Your account is locked')}`,
    );
    assert.equal(forged.statusCode, 200);
    assert.doesNotMatch(forged.body, /0800 000 000|Your account is locked/);
  });

  it('a stale form is refused with a warning and saves nothing', async () => {
    const assessmentUrl = await answered(w);
    const res = await nurse.post(
      `${assessmentUrl}/answers`,
      { ...answersForm('1'), 'q-epilepsy': 'no' },
      `${assessmentUrl}/answers`,
    );
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /Your answers were not saved/);
    const view = await nurse.get(assessmentUrl);
    assert.match(view.body, /Poorly controlled epilepsy – Two seizures/);
  });

  it('only consultants decide; differing from the suggestion needs a reason', async () => {
    const assessmentUrl = await answered(w);
    const denied = await nurse.post(
      `${assessmentUrl}/decision`,
      { decision: 'discuss-at-mdt' },
      assessmentUrl,
    );
    assert.equal(denied.statusCode, 403);
    const page = await consultant.get(assessmentUrl);
    assert.match(page.body, /Record the decision/);
    const version = /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? '';
    const bad = await consultant.post(
      `${assessmentUrl}/decision`,
      { version, decision: 'proceed-to-test-dose' },
      assessmentUrl,
    );
    assert.equal(bad.statusCode, 400);
    assert.match(
      bad.body,
      /href="#reason">\s*Enter the reason for a decision that differs from the suggestion/,
    );
    const ok = await consultant.post(
      `${assessmentUrl}/decision`,
      { version, decision: 'discuss-at-mdt' },
      assessmentUrl,
    );
    assert.equal(ok.statusCode, 303);
  });

  it('the MDT list shows the patient and what to discuss; the outcome is recorded there', async () => {
    const assessmentUrl = await sentToMdt(w);
    const list = await nurse.get('/mdt');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /SMITH, Ann/);
    assert.match(list.body, /<li>Poorly controlled epilepsy<\/li><li>Skin pressure ulcers<\/li>/);
    const page = await consultant.get(assessmentUrl);
    assert.match(page.body, /Record the MDT outcome/);
    const version = versionOf(page.body);
    const badDate = await consultant.post(
      `${assessmentUrl}/mdt-outcome`,
      {
        version,
        decision: 'proceed-to-test-dose',
        'meetingOn-day': '31',
        'meetingOn-month': '11',
        'meetingOn-year': '2026',
        note: '',
      },
      assessmentUrl,
    );
    assert.equal(badDate.statusCode, 400);
    assert.match(badDate.body, /href="#meetingOn-day">\s*Meeting date must be a real date/);
    assert.match(badDate.body, /href="#note">\s*Enter the summary of the discussion/);
    const ok = await consultant.post(
      `${assessmentUrl}/mdt-outcome`,
      {
        version,
        decision: 'proceed-to-test-dose',
        'meetingOn-day': '25',
        'meetingOn-month': '11',
        'meetingOn-year': '2026',
        attendees: 'Dr Cas, Nia',
        note: 'Proceed once neurology has reviewed the epilepsy',
      },
      assessmentUrl,
    );
    assert.equal(ok.statusCode, 303);
    const after = await nurse.get(assessmentUrl);
    assert.match(after.body, /MDT outcome/);
    assert.match(after.body, /25 November 2026/);
    const again = await nurse.get('/mdt');
    assert.match(again.body, /No patients are waiting for MDT discussion/);
    assert.match(again.body, /Outcomes in the last four weeks[\s\S]*Proceed to test dose/);
  });

  it('answers cannot change once decided', async () => {
    const assessmentUrl = await decidedAtMdt(w);
    const res = await nurse.get(`${assessmentUrl}/answers`);
    assert.equal(res.statusCode, 303);
    const post = await nurse.post(
      `${assessmentUrl}/answers`,
      { version: '5', protocolVersion: '2', 'q-epilepsy': 'no' },
      `/patients/${patientId}/assessments/new`,
    );
    assert.equal(post.statusCode, 409);
    assert.match(post.body, /answers can no longer change/);
  });

  it('protocols are listed and shown with their sources', async () => {
    const list = await nurse.get('/protocols');
    assert.equal(list.statusCode, 200);
    const href = /href="(\/protocols\/[0-9a-f-]+)"/.exec(list.body)?.[1] ?? '';
    const one = await nurse.get(href);
    assert.equal(one.statusCode, 200);
    assert.match(one.body, /Leeds Teaching Hospitals ITB service/);
  });

  it('starts from a referral picked by its UK date, with its treatments filled in and editable', async () => {
    const booker = actorOf(await addTestUser(t, 'booking-coordinator', 'bob'), null);
    const referral = await t.deps.services.referrals.create(booker, { patientId }, ERS_REFERRAL);
    const form = await nurse.get(`/patients/${patientId}/assessments/new`);
    assert.match(form.body, />Received 16 November 2026 from Dr A Patel</);
    assert.doesNotMatch(form.body, /2026-11-16/);
    const res = await nurse.post(
      `/patients/${patientId}/assessments`,
      { protocolCode: 'adult-itb', referralId: referral.id },
      `/patients/${patientId}/assessments/new`,
    );
    assert.equal(res.statusCode, 303);
    assert.match(res.headers.location ?? '', /\/answers\?from=referral$/);
    const answers = await nurse.get(res.headers.location ?? '');
    assert.match(answers.body, /id="from-referral"/);
    // Oral baclofen, tried (from the referral), is checked; the others are left to answer.
    assert.match(answers.body, /<input[^>]*name="q-tried-oral-baclofen"[^>]*value="tried"[^>]*checked/);
    assert.doesNotMatch(answers.body, /<input[^>]*name="q-tried-tizanidine"[^>]*checked/);
    // Changed like any answer.
    const url = (res.headers.location ?? '').replace(/\/answers.*$/, '');
    const saved = await nurse.post(
      `${url}/answers`,
      { ...answersForm(versionOf(answers.body)), 'q-tried-oral-baclofen': 'not-tolerated' },
      `${url}/answers`,
    );
    assert.equal(saved.statusCode, 303);
    assert.match((await nurse.get(url)).body, /Oral baclofen<\/[^>]+>[\s\S]{0,200}Not tolerated/);
  });

  it('clinical pages show a Sources link, never a source key, and the Sources page lists them in words', async () => {
    const url = await started(w);
    const list = await nurse.get('/protocols');
    const href = /href="(\/protocols\/[0-9a-f-]+)"/.exec(list.body)?.[1] ?? '';
    for (const page of [
      await nurse.get(`/patients/${patientId}/assessments/new`),
      await nurse.get(`${url}/answers`),
      await nurse.get(href),
    ]) {
      assert.equal(page.statusCode, 200);
      assert.doesNotMatch(page.body, /\[[A-Z][A-Z0-9-]*\]/, 'no source key like [LTH-SEED]');
      assert.match(page.body, /href="\/sources(#source-[a-z0-9-]+)?">Sources<\/a>/);
    }
    const one = await nurse.get(href);
    assert.match(
      one.body,
      /Source: Leeds Teaching Hospitals ITB service \(<a href="\/sources#source-lth-seed">Sources<\/a>\)/,
    );
    const sources = await nurse.get('/sources');
    assert.equal(sources.statusCode, 200);
    assert.match(
      sources.body,
      /<li id="source-lth-seed"><a href="https:\/\/www\.leedsth\.nhs\.uk\/[^"]+">Leeds Teaching Hospitals adult complex rehabilitation page introducing ITB pumps/,
    );
    assert.doesNotMatch(sources.body, /\[[A-Z][A-Z0-9-]*\]/);
  });

  it('each record leads to the next step: seen referral → assessment → test dose', async () => {
    const s = t.deps.services;
    const booker = actorOf(await addTestUser(t, 'booking-coordinator', 'bob'), null);
    const triager = actorOf(await addTestUser(t, 'consultant', 'cal'), null);
    const referral = await s.referrals.create(booker, { patientId }, ERS_REFERRAL);
    const before = await nurse.get(`/referrals/${referral.id}`);
    assert.doesNotMatch(before.body, /Start a selection assessment/, 'not before the patient is seen');
    await s.referrals.triage(triager, referral.id, null, { outcome: 'accepted', priority: 'routine' });
    const appointment = await s.referrals.book(booker, referral.id, {
      date: '2026-11-25',
      time: '09:00',
      clinic: 'Spasticity clinic',
      clinician: 'Dr Cal',
    });
    await s.referrals.recordOutcome(booker, appointment.id, null, { outcomeNote: 'Seen with her husband' });
    const seen = await nurse.get(`/referrals/${referral.id}`);
    const href = `/patients/${patientId}/assessments/new?referralId=${referral.id}`;
    assert.match(
      seen.body,
      new RegExp(`id="next-step" href="${href.replace(/[?]/g, '\\?')}"[^>]*>Start a selection assessment<`),
    );
    const form = await nurse.get(href);
    assert.match(form.body, new RegExp(`<option value="${referral.id}" selected>Received 16 November 2026`));

    const url = await decidedAtMdt(w);
    const decided = await nurse.get(url);
    assert.match(
      decided.body,
      new RegExp(`id="next-step"><a class="nhsuk-button" href="/patients/${patientId}/test-doses/new"`),
    );
    assert.match(decided.body, />Start a test dose</);
    // Not before a decision to proceed.
    const other = await started(w);
    assert.doesNotMatch((await nurse.get(other)).body, /Start a test dose/);
  });

  it('a booking coordinator can read but not assess', async () => {
    const bea = new Browser(t);
    await bea.signIn('bea');
    assert.equal((await bea.get(`/patients/${patientId}/assessments`)).statusCode, 200);
    assert.equal((await bea.get(`/patients/${patientId}/assessments/new`)).statusCode, 403);
  });
});
