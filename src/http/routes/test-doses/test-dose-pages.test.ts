import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { countRows } from '../../../../test/support/assertions.ts';
import { addTestUser, registerAnn, startTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { decidedAssessment } from '../../../../test/support/test-dose-fixtures.ts';
import { assertSummaryNames, signedIn as signInAs } from '../../../../test/support/test-dose-pages.ts';
import { actorOf, type Actor } from '../../../services/audit-service.ts';

/** The test clock's now is 10:00 on Tuesday 24 November 2026 (GMT, so London time is the same). */
const PRE_CHECKS = {
  goals: 'Easier hygiene and sitting for longer',
  noInfection: 'yes',
  infectionNote: '',
  anticoagulantsReviewed: 'yes',
  anticoagulantNote: 'None taken',
  recentBotulinumToxin: 'no',
  'botulinumToxinOn-day': '',
  'botulinumToxinOn-month': '',
  'botulinumToxinOn-year': '',
  botulinumToxinNote: '',
  oralAntispasmodicPlan: 'Continue oral baclofen',
  // Recorded afterwards: the screening started at 08:00.
  'startedAt-day': '24',
  'startedAt-month': '11',
  'startedAt-year': '2026',
  'startedAt-time': '08:00',
};

const BOLUS = {
  doseMcg: '50',
  concentrationMcgPerMl: '50',
  concentrationReason: '',
  route: 'lumbar-puncture',
  'givenAt-day': '24',
  'givenAt-month': '11',
  'givenAt-year': '2026',
  'givenAt-time': '09:00',
  checkedBy: 'Nina Nurse',
  offLadderReason: '',
  note: '',
};

/** The pre-checks above, all clear, as the services take them. */
const CLEAR = {
  goals: PRE_CHECKS.goals,
  noInfection: true,
  anticoagulantsReviewed: true,
  anticoagulantNote: PRE_CHECKS.anticoagulantNote,
  recentBotulinumToxin: false,
  oralAntispasmodicPlan: PRE_CHECKS.oralAntispasmodicPlan,
  startedAt: '2026-11-24T08:00:00Z',
};

/** The text of the table row holding `label`, each cell with the heading the responsive table gives it. */
function rowText(body: string, label: string): string {
  const row = [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].find((m) => (m[1] ?? '').includes(label));
  return (row?.[1] ?? '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const mas = (left: string, right: string) => [
  { muscleGroup: 'hip-adductors', side: 'left', grade: left },
  { muscleGroup: 'hip-adductors', side: 'right', grade: right },
];

/** A service of its own for each test: the staff, and Ann, selected for a test dose. */
interface World {
  readonly t: TestApp;
  /** Physiotherapist: records and observes, never doses. */
  readonly pat: Actor;
  /** Consultant: gives boluses and confirms results. */
  readonly cora: Actor;
  readonly patientId: string;
  readonly assessmentId: string;
}

async function openWorld(): Promise<World> {
  const t = await startTestApp('sqlite');
  const pat = await addTestUser(t, 'physiotherapist', 'pat');
  const cora = await addTestUser(t, 'consultant', 'cora');
  const patientId = (await registerAnn(t, pat)).id;
  // Ann was selected for a test dose (the bedside gate: test-dose-gate-pages.test.ts).
  const assessmentId = await decidedAssessment(
    { db: t.deps.database.db, clock: t.clock },
    actorOf(cora, null),
    patientId,
    { decision: 'proceed-to-test-dose' },
  );
  return { t, pat: actorOf(pat, null), cora: actorOf(cora, null), patientId, assessmentId };
}

// What a test starts from, made through the services the pages call.

async function openEpisode(w: World, preChecks: Record<string, unknown> = {}): Promise<string> {
  const d = await w.t.deps.services.testDoses.start(w.pat, w.patientId, {
    ...CLEAR,
    assessmentId: w.assessmentId,
    ...preChecks,
  });
  return d.episode.id;
}

/** Bolus 1, 50 mcg at 09:00 on 24 November 2026, given by the consultant. */
async function firstBolus(w: World, episodeId: string): Promise<string> {
  const d = await w.t.deps.services.testDoses.recordBolus(w.cora, episodeId, {
    doseMcg: 50,
    concentrationMcgPerMl: 50,
    route: 'lumbar-puncture',
    givenAt: '2026-11-24T09:00:00Z',
    checkedBy: BOLUS.checkedBy,
  });
  const bolus = d.boluses[0];
  assert.ok(bolus);
  return bolus.id;
}

/** Baseline 3 and 3, then 1 and 1+ at 4 hours: a mean drop of 1.75, so the suggestion is negative. */
async function observed(w: World, episodeId: string, bolusId: string): Promise<void> {
  const testDoses = w.t.deps.services.testDoses;
  // Observed at 08:50 and 13:00, recorded at 14:00.
  w.t.clock.set('2026-11-24T14:00:00.000Z');
  await testDoses.recordObservation(w.pat, episodeId, bolusId, {
    hour: 0,
    observedAt: '2026-11-24T08:50:00Z',
    mas: mas('3', '3'),
  });
  await testDoses.recordObservation(w.pat, episodeId, bolusId, {
    hour: 4,
    observedAt: '2026-11-24T13:00:00Z',
    mas: mas('1', '1+'),
    sideEffects: ['drowsiness', 'headache'],
  });
}

/** A positive episode: bolus 1, observed, confirmed positive against the suggestion. */
async function positiveEpisode(w: World): Promise<string> {
  const episodeId = await openEpisode(w);
  const bolusId = await firstBolus(w, episodeId);
  await observed(w, episodeId, bolusId);
  await w.t.deps.services.testDoses.confirmResult(w.cora, episodeId, bolusId, {
    result: 'positive',
    reason: 'Clear change in sitting and hygiene; family agrees',
    effectHours: 6,
    adverseReactions: true,
    adverseNote: 'Drowsy with a headache at 4 hours',
  });
  return episodeId;
}

describe('test-dose pages', () => {
  let w: World;
  const signedIn = (username: string) => signInAs(w.t, username);

  beforeEach(async () => {
    w = await openWorld();
  });
  afterEach(async () => {
    await w.t.close();
  });

  it('links from the patient, lists no test doses, and checks who may see and start one', async () => {
    const { patientId } = w;
    await addTestUser(w.t, 'booking-coordinator', 'bea');
    await addTestUser(w.t, 'service-manager', 'max');
    const pat = await signedIn('pat');
    const patient = await pat.get(`/patients/${patientId}`);
    assert.match(patient.body, new RegExp(`href="/patients/${patientId}/test-doses">Test doses<`));
    const list = await pat.get(`/patients/${patientId}/test-doses`);
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /No test doses have been recorded/);
    assert.match(list.body, /Start a test dose/);
    const bea = await signedIn('bea');
    const readOnly = await bea.get(`/patients/${patientId}/test-doses`);
    assert.equal(readOnly.statusCode, 200);
    assert.doesNotMatch(readOnly.body, /Start a test dose/);
    assert.equal((await bea.get(`/patients/${patientId}/test-doses/new`)).statusCode, 403);
    const max = await signedIn('max');
    assert.equal((await max.get(`/patients/${patientId}/test-doses`)).statusCode, 403);
  });

  it('refuses an episode without goals, showing the error summary, and stores nothing', async () => {
    const { patientId } = w;
    const pat = await signedIn('pat');
    const form = await pat.get(`/patients/${patientId}/test-doses/new`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /Is the patient free of infection and wounds\?/);
    const res = await pat.post(
      `/patients/${patientId}/test-doses`,
      { ...PRE_CHECKS, goals: '', 'botulinumToxinOn-day': '31', 'botulinumToxinOn-month': '2' },
      `/patients/${patientId}/test-doses/new`,
    );
    assert.equal(res.statusCode, 400);
    assertSummaryNames(res.body, 'botulinumToxinOn-day', /real date/);
    const noGoals = await pat.post(
      `/patients/${patientId}/test-doses`,
      { ...PRE_CHECKS, goals: '' },
      `/patients/${patientId}/test-doses/new`,
    );
    assertSummaryNames(noGoals.body, 'goals', /Enter the goals for the screening/);
    assert.match(noGoals.body, /Continue oral baclofen/, 'what was entered is shown again');
    assert.equal(await countRows(w.t.deps.database.db, 'test_dose_episodes'), 0);
  });

  it('starts an episode with an infection: the page and the bolus form say postpone, and a bolus is refused', async () => {
    const { patientId, assessmentId } = w;
    const pat = await signedIn('pat');
    const res = await pat.post(
      `/patients/${patientId}/test-doses`,
      { ...PRE_CHECKS, assessmentId, noInfection: 'no', infectionNote: 'Sacral pressure sore' },
      `/patients/${patientId}/test-doses/new`,
    );
    assert.equal(res.statusCode, 303);
    const episodeId = /\/test-doses\/([\w-]+)\?done=created/.exec(res.headers.location as string)?.[1] ?? '';
    assert.ok(episodeId);
    const page = await pat.get(`/test-doses/${episodeId}?done=created`);
    assert.match(page.body, /Test dose started/);
    assert.match(page.body, /Postpone the test dose/);
    assert.match(page.body, /Sacral pressure sore/);
    assert.doesNotMatch(page.body, /Record a bolus/);
    const cora = await signedIn('cora');
    const form = await cora.get(`/test-doses/${episodeId}/boluses/new`);
    assert.match(form.body, /Postpone the test dose/);
    assert.doesNotMatch(form.body, /name="doseMcg"/);
    const refused = await cora.post(
      `/test-doses/${episodeId}/boluses`,
      BOLUS,
      `/test-doses/${episodeId}/pre-checks`,
    );
    assert.equal(refused.statusCode, 400);
    assertSummaryNames(refused.body, 'doseMcg', /pre-checks are complete.*postpone/);
    assert.equal(await countRows(w.t.deps.database.db, 'test_dose_boluses'), 0);
    // Starting a second episode sends the person to the open one.
    const again = await pat.get(`/patients/${patientId}/test-doses/new`);
    assert.equal(again.statusCode, 303);
    assert.equal(again.headers.location, `/test-doses/${episodeId}`);
  });

  it('changes the pre-checks once the wound has healed', async () => {
    const episodeId = await openEpisode(w, { noInfection: false, infectionNote: 'Sacral pressure sore' });
    const pat = await signedIn('pat');
    const form = await pat.get(`/test-doses/${episodeId}/pre-checks`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /value="no" checked/);
    const res = await pat.post(
      `/test-doses/${episodeId}/pre-checks`,
      PRE_CHECKS,
      `/test-doses/${episodeId}/pre-checks`,
    );
    assert.equal(res.statusCode, 303);
    const page = await pat.get(`/test-doses/${episodeId}`);
    assert.match(page.body, /Yes: no infection or wound/);
    assert.match(page.body, /Next dose on the ladder: 50 mcg: 1.0 mL at 50 mcg\/mL/);
    // A physiotherapist records and observes but never gives a dose.
    assert.doesNotMatch(page.body, /Record a bolus/);
    assert.equal((await pat.get(`/test-doses/${episodeId}/boluses/new`)).statusCode, 403);
  });

  it('records a bolus: milligrams and bad times refused by field, the volume worked out and shown', async () => {
    const episodeId = await openEpisode(w);
    const cora = await signedIn('cora');
    const form = await cora.get(`/test-doses/${episodeId}/boluses/new`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /name="doseMcg"[^>]*value="50"/);
    assert.match(
      form.body,
      /Dose <\/span><span>75 mcg<\/span><\/td><td[^>]*><span[^>]*>Volume at 50 mcg\/mL <\/span><span>1.5 mL/,
    );
    assert.match(
      form.body,
      /100 mcg<\/span><\/td><td[^>]*><span[^>]*>Volume at 50 mcg\/mL <\/span><span>2.0 mL/,
    );
    const mg = await cora.post(
      `/test-doses/${episodeId}/boluses`,
      { ...BOLUS, doseMcg: '0.05' },
      `/test-doses/${episodeId}/pre-checks`,
    );
    assert.equal(mg.statusCode, 400);
    assertSummaryNames(mg.body, 'doseMcg', /looks like milligrams/);
    const time = await cora.post(
      `/test-doses/${episodeId}/boluses`,
      { ...BOLUS, doseMcg: '75', 'givenAt-time': '25:00' },
      `/test-doses/${episodeId}/pre-checks`,
    );
    assertSummaryNames(time.body, 'givenAt-day', /24-hour clock/);
    assertSummaryNames(time.body, 'offLadderReason', /not the next step of the screening ladder \(50 mcg\)/);
    const future = await cora.post(
      `/test-doses/${episodeId}/boluses`,
      { ...BOLUS, 'givenAt-time': '11:00' },
      `/test-doses/${episodeId}/pre-checks`,
    );
    assertSummaryNames(future.body, 'givenAt-day', /must not be in the future/);
    assert.equal(await countRows(w.t.deps.database.db, 'test_dose_boluses'), 0);
    const ok = await cora.post(
      `/test-doses/${episodeId}/boluses`,
      BOLUS,
      `/test-doses/${episodeId}/pre-checks`,
    );
    assert.equal(ok.statusCode, 303);
    const page = await cora.get(`/test-doses/${episodeId}`);
    assert.match(page.body, /Bolus 1: 50 mcg/);
    assert.match(page.body, /1.0 mL \(50 mcg ÷ 50 mcg\/mL\)/);
    assert.match(page.body, /24 November 2026, 09:00/);
    assert.doesNotMatch(page.body, /\(GMT\)|\(BST\)/);
    assert.match(page.body, /Test consultant/);
    assert.match(page.body, /Confirm the result of bolus 1 before another bolus is given/);
    const bolusId = /id="bolus-([\w-]+)"/.exec(page.body)?.[1] ?? '';
    assert.ok(bolusId);
  });

  it('records observations at the configured hours, refusing a second baseline by hour', async () => {
    const episodeId = await openEpisode(w);
    const bolusId = await firstBolus(w, episodeId);
    // Observed at 08:50, 11:00 and 13:05, recorded at 14:00.
    w.t.clock.set('2026-11-24T14:00:00.000Z');
    const pat = await signedIn('pat');
    const formUrl = `/test-doses/${episodeId}/boluses/${bolusId}/observations/new?hour=0`;
    const form = await pat.get(formUrl);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /Baseline \(before the bolus\)/);
    assert.match(form.body, /The bolus was given on 24 November 2026, 09:00/);
    assert.match(form.body, /name="observedAt-day"[^>]*value="24"/);
    const url = `/test-doses/${episodeId}/boluses/${bolusId}/observations`;
    const when = (time: string) => ({
      'observedAt-day': '24',
      'observedAt-month': '11',
      'observedAt-year': '2026',
      'observedAt-time': time,
    });
    const noTime = await pat.post(url, { hour: '0', 'mas-hip-adductors-left': '3' }, formUrl);
    assert.equal(noTime.statusCode, 400);
    assertSummaryNames(noTime.body, 'observedAt-day', /Enter the date observed/);
    const baseline = {
      ...when('08:50'),
      hour: '0',
      'mas-hip-adductors-left': '3',
      'mas-hip-adductors-right': '3',
      pennFrequency: '3',
      heartRateBpm: '72',
      systolicMmHg: '124',
      diastolicMmHg: '78',
      respiratoryRatePerMin: '14',
      spo2Percent: '98',
    };
    const badGrade = await pat.post(url, { ...baseline, heartRateBpm: '400' }, formUrl);
    assert.equal(badGrade.statusCode, 400);
    assertSummaryNames(badGrade.body, 'heartRateBpm', /20 to 250/);
    assert.equal((await pat.post(url, baseline, formUrl)).statusCode, 303);
    const again = await pat.post(url, baseline, formUrl);
    assert.equal(again.statusCode, 400);
    assertSummaryNames(again.body, 'hour', /baseline observation has already been recorded/);
    const other = await pat.post(url, { ...when('11:00'), hour: '2', sideEffects: 'other' }, formUrl);
    assertSummaryNames(other.body, 'sideEffectNote', /Describe the other side effect/);
    // A "4 hours" observation 30 minutes after the bolus is refused, naming the time.
    const early = await pat.post(
      url,
      { ...when('09:30'), hour: '4', 'mas-hip-adductors-left': '1', 'mas-hip-adductors-right': '1+' },
      formUrl,
    );
    assert.equal(early.statusCode, 400);
    assertSummaryNames(
      early.body,
      'observedAt-day',
      /4-hour observation is taken 4 hours after the bolus, at 24 November 2026, 13:00, give or take 30 minutes; 24 November 2026, 09:30 is 30 minutes after the bolus/,
    );
    assert.match(early.body, /name="observedAt-time"[^>]*value="09:30"/);
    const four = await pat.post(
      url,
      {
        ...when('13:05'),
        hour: '4',
        'mas-hip-adductors-left': '1',
        'mas-hip-adductors-right': '1+',
        sideEffects: ['drowsiness', 'headache'],
      },
      formUrl,
    );
    assert.equal(four.statusCode, 303);
    assert.equal(await countRows(w.t.deps.database.db, 'test_dose_observations'), 2);
    const page = await pat.get(`/test-doses/${episodeId}`);
    assert.match(page.body, /<th scope="col" class="nhsuk-table__header" role="columnheader">Baseline<\/th>/);
    assert.match(page.body, /<th scope="col" class="nhsuk-table__header" role="columnheader">4 h<\/th>/);
    assert.equal(
      rowText(page.body, 'Ashworth: Hip adductors, right'),
      'Measure Ashworth: Hip adductors, right Baseline 3 2 h – 4 h 1+ 6 h – 8 h –',
    );
    assert.match(page.body, /Drowsiness or sleepiness, Headache/);
    assert.equal(
      rowText(page.body, 'Time observed'),
      'Measure Time observed Baseline 08:50 2 h – 4 h 13:05 6 h – 8 h –',
    );
    assert.match(page.body, /124\/78/);
    // 3, 3 → 1, 1+: a mean drop of 1.75, below the 2 points the criterion needs.
    assert.match(page.body, /Suggestion: Negative/);
    assert.match(page.body, /a drop of 1.75/);
    // Only prescribers confirm the result.
    assert.doesNotMatch(page.body, /id="result-form"/);
    assert.match(page.body, /A consultant or nurse specialist confirms it/);
  });

  it('confirms the result: a result against the suggestion needs a reason; positive shows the starting dose', async () => {
    const { patientId } = w;
    const episodeId = await openEpisode(w);
    const bolusId = await firstBolus(w, episodeId);
    await observed(w, episodeId, bolusId);
    const cora = await signedIn('cora');
    const page = await cora.get(`/test-doses/${episodeId}`);
    assert.match(page.body, /id="result-form">Confirm the result of bolus 1/);
    const url = `/test-doses/${episodeId}/boluses/${bolusId}/result`;
    const noReason = await cora.post(
      url,
      { result: 'positive', effectHours: '6', adverseReactions: 'yes', adverseNote: 'Drowsy' },
      `/test-doses/${episodeId}`,
    );
    assert.equal(noReason.statusCode, 400);
    assertSummaryNames(noReason.body, 'reason', /differs from the suggestion \(negative\)/);
    const noAnswer = await cora.post(url, { result: '', effectHours: '' }, `/test-doses/${episodeId}`);
    assertSummaryNames(noAnswer.body, 'result', /Select the result/);
    assertSummaryNames(noAnswer.body, 'adverseReactions', /yes or no/);
    // Drowsiness and a headache were observed at 4 hours: "no adverse reactions" is refused.
    const denied = await cora.post(
      url,
      {
        result: 'positive',
        reason: 'Clear change in sitting and hygiene; family agrees',
        effectHours: '6',
        adverseReactions: 'no',
      },
      `/test-doses/${episodeId}`,
    );
    assert.equal(denied.statusCode, 400);
    assertSummaryNames(
      denied.body,
      'adverseReactions',
      /Adverse reactions cannot be &quot;no&quot;: drowsiness or sleepiness, headache \(bolus 1, 4 hours\) were observed in this test dose\. Answer yes and describe them/,
    );
    const ok = await cora.post(
      url,
      {
        result: 'positive',
        reason: 'Clear change in sitting and hygiene; family agrees',
        effectHours: '6',
        adverseReactions: 'yes',
        adverseNote: 'Drowsy with a headache at 4 hours, gone by 6 hours',
      },
      `/test-doses/${episodeId}`,
    );
    assert.equal(ok.statusCode, 303);
    const closed = await cora.get(`/test-doses/${episodeId}`);
    assert.match(closed.body, /Positive: suitable for implant/);
    assert.match(
      closed.body,
      /Suggested starting dose after implant: 50 mcg\/day \(the same as the test dose, after adverse reactions to it\)/,
    );
    assert.match(closed.body, /Effect lasted<\/dt>\s*<dd[^>]*>6 hours/);
    // The next step of the pathway: the implant and its pump.
    assert.match(
      closed.body,
      new RegExp(
        `id="next-step"><a class="nhsuk-button" href="/patients/${patientId}/pumps/new"[^>]*>Register the implanted pump<`,
      ),
    );
    // Closed episodes are read-only.
    assert.doesNotMatch(
      closed.body,
      /Change the pre-checks|Record a bolus|Record an observation|Abandon this test dose/,
    );
    const pat = await signedIn('pat');
    // A physiotherapist does not register pumps: no link to a page they cannot use.
    assert.doesNotMatch((await pat.get(`/test-doses/${episodeId}`)).body, /Register the implanted pump/);
    assert.equal((await pat.get(`/test-doses/${episodeId}/pre-checks`)).statusCode, 303);
    assert.equal(
      (await pat.get(`/test-doses/${episodeId}/boluses/${bolusId}/observations/new`)).statusCode,
      303,
    );
    const late = await pat.post(
      `/test-doses/${episodeId}/boluses/${bolusId}/observations`,
      {
        hour: '6',
        'observedAt-day': '24',
        'observedAt-month': '11',
        'observedAt-year': '2026',
        'observedAt-time': '13:55',
        'mas-hip-adductors-left': '2',
      },
      `/patients/${patientId}/test-doses/new`,
    );
    assert.equal(late.statusCode, 400);
    assertSummaryNames(late.body, 'hour', /closed/);
  });

  it('keeps the 24-hour rule across episodes and abandons an episode with a reason', async () => {
    const { patientId, assessmentId } = w;
    // Bolus 1 of a positive episode was given at 09:00 today.
    await positiveEpisode(w);
    const pat = await signedIn('pat');
    const started = await pat.post(
      `/patients/${patientId}/test-doses`,
      { ...PRE_CHECKS, assessmentId },
      `/patients/${patientId}/test-doses/new`,
    );
    assert.equal(started.statusCode, 303);
    const second = /\/test-doses\/([\w-]+)\?/.exec(started.headers.location as string)?.[1] ?? '';
    const cora = await signedIn('cora');
    const tooSoon = await cora.post(
      `/test-doses/${second}/boluses`,
      { ...BOLUS, 'givenAt-time': '10:00' },
      `/test-doses/${second}/pre-checks`,
    );
    assert.equal(tooSoon.statusCode, 400);
    assertSummaryNames(tooSoon.body, 'givenAt-day', /earliest allowed time is 25 November 2026, 09:00/);
    const abandonUrl = `/test-doses/${second}/abandon`;
    const form = await pat.get(abandonUrl);
    assert.equal(form.statusCode, 200);
    const empty = await pat.post(abandonUrl, { reason: '' }, abandonUrl);
    assert.equal(empty.statusCode, 400);
    assertSummaryNames(empty.body, 'reason', /Enter the reason for abandoning/);
    assert.equal(
      (await pat.post(abandonUrl, { reason: 'Admitted with a chest infection' }, abandonUrl)).statusCode,
      303,
    );
    const page = await pat.get(`/test-doses/${second}`);
    assert.match(page.body, /Abandoned: Admitted with a chest infection/);
    const list = await pat.get(`/patients/${patientId}/test-doses`);
    assert.match(list.body, /Positive: suitable for implant/);
    assert.match(list.body, /nhsuk-tag--grey">Abandoned/);
    assert.match(list.body, /Start a test dose/);
  });
});
