import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { countRows } from '../../../../test/support/assertions.ts';
import { addTestUser, registerAnn, startTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { decidedAssessment, type AssessmentFixture } from '../../../../test/support/test-dose-fixtures.ts';
import { assertSummaryNames, signedIn as signInAs } from '../../../../test/support/test-dose-pages.ts';
import { actorOf, type Actor } from '../../../services/audit-service.ts';
import { createPatient } from '../../../services/patient-service.ts';

/**
 * The test-dose pages' safety controls: the start page blocked without a decision to proceed
 * or with an absolute contraindication (saying why, linking to the assessments and, for
 * consultants, to the override form), the override recorded and used by a second person, the
 * bolus form's limit and second checker, and the result form's effect duration left empty when
 * a figure could give the higher starting dose. The test clock says 10:00 on 24 November 2026.
 */

const PRE_CHECKS = {
  goals: 'Easier hygiene and sitting for longer',
  noInfection: 'yes',
  anticoagulantsReviewed: 'yes',
  recentBotulinumToxin: 'no',
  oralAntispasmodicPlan: 'Continue oral baclofen',
  // Recorded afterwards: the screening started at 01:00, before the 02:00 bolus.
  'startedAt-day': '24',
  'startedAt-month': '11',
  'startedAt-year': '2026',
  'startedAt-time': '01:00',
};

const BOLUS = {
  doseMcg: '50',
  concentrationMcgPerMl: '50',
  route: 'lumbar-puncture',
  'givenAt-day': '24',
  'givenAt-month': '11',
  'givenAt-year': '2026',
  'givenAt-time': '02:00',
  checkedBy: 'Nina Nurse',
};

/** The pre-checks above as the services take them. */
const CLEAR = {
  goals: PRE_CHECKS.goals,
  noInfection: true,
  anticoagulantsReviewed: true,
  recentBotulinumToxin: false,
  oralAntispasmodicPlan: PRE_CHECKS.oralAntispasmodicPlan,
  startedAt: '2026-11-24T01:00:00Z',
};

/** A service of its own for each test: a physiotherapist, two consultants, and Ann. */
interface World {
  readonly t: TestApp;
  readonly pat: Actor;
  readonly cora: Actor;
  readonly carl: Actor;
  readonly ann: string;
}

async function openWorld(): Promise<World> {
  const t = await startTestApp('sqlite');
  const pat = await addTestUser(t, 'physiotherapist', 'pat');
  const cora = actorOf(await addTestUser(t, 'consultant', 'cora'), null);
  const carl = actorOf(await addTestUser(t, 'consultant', 'carl'), null);
  const ann = (await registerAnn(t, pat)).id;
  return { t, pat: actorOf(pat, null), cora, carl, ann };
}

// What a test starts from, made through the services the pages call.

const assessed = (w: World, patientId: string, fixture: AssessmentFixture) =>
  decidedAssessment({ db: w.t.deps.database.db, clock: w.t.clock }, w.cora, patientId, fixture);

/** Ann's assessment that decided to proceed, with the allergy answered yes. */
const allergicAssessment = (w: World) =>
  assessed(w, w.ann, { decision: 'proceed-to-test-dose', allergy: true });

/** The override Carl records for Ann. */
async function carlsOverride(w: World): Promise<string> {
  const o = await w.t.deps.services.testDoses.recordOverride(w.carl, w.ann, {
    reason: 'Allergy clinic: the reaction was nausea, not an allergy',
  });
  return o.id;
}

/** Ann's episode, started by the physiotherapist on Carl's override despite the allergy. */
async function episodeOnOverride(w: World): Promise<string> {
  const assessmentId = await allergicAssessment(w);
  const overrideId = await carlsOverride(w);
  const d = await w.t.deps.services.testDoses.start(w.pat, w.ann, { ...CLEAR, assessmentId, overrideId });
  return d.episode.id;
}

/** Bolus 1, 50 mcg at 02:00, given by Carl. */
async function carlsBolus(w: World, episodeId: string): Promise<void> {
  await w.t.deps.services.testDoses.recordBolus(w.carl, episodeId, {
    doseMcg: 50,
    concentrationMcgPerMl: 50,
    route: 'lumbar-puncture',
    givenAt: '2026-11-24T02:00:00Z',
    checkedBy: BOLUS.checkedBy,
  });
}

describe('test-dose pages: the bedside gate, the override and the bolus and result controls', () => {
  let w: World;
  const signedIn = (username: string) => signInAs(w.t, username);

  beforeEach(async () => {
    w = await openWorld();
  });
  afterEach(async () => {
    await w.t.close();
  });

  it('blocks the start page without an assessment, saying why and linking to the assessments', async () => {
    const { ann } = w;
    const pat = await signedIn('pat');
    const page = await pat.get(`/patients/${ann}/test-doses/new`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /A test dose cannot be started yet/);
    assert.match(page.body, /No selection assessment has been recorded for this patient/);
    assert.match(
      page.body,
      new RegExp(`href="/patients/${ann}/assessments">Go to the selection assessments`),
    );
    assert.match(page.body, /Only a consultant can record an override/);
    assert.doesNotMatch(page.body, /name="goals"/, 'no form to fill in');
    const carl = await signedIn('carl');
    const forConsultant = await carl.get(`/patients/${ann}/test-doses/new`);
    assert.match(
      forConsultant.body,
      new RegExp(`href="/patients/${ann}/test-dose-overrides/new">Record an override`),
    );
    // A post without an assessment is refused by field, and stores nothing.
    const res = await pat.post(`/patients/${ann}/test-doses`, PRE_CHECKS, '/account');
    assert.equal(res.statusCode, 400);
    assertSummaryNames(res.body, 'assessmentId', /Select the selection assessment that decided to proceed/);
    assert.equal(await countRows(w.t.deps.database.db, 'test_dose_episodes'), 0);
  });

  it('lists a not-suitable assessment as the reason, with a link to it', async () => {
    const { ann } = w;
    const id = await assessed(w, ann, { decision: 'not-suitable' });
    const pat = await signedIn('pat');
    const page = await pat.get(`/patients/${ann}/test-doses/new`);
    assert.match(page.body, /A test dose cannot be started yet/);
    assert.match(
      page.body,
      new RegExp(
        `href="/assessments/${id}">Selection assessment started [^<]*: Not suitable \\(Test consultant\\)</a>: The selection decision is &quot;Not suitable&quot;`,
      ),
    );
  });

  it('blocks a proceed decision with the allergy answered yes, naming the contraindication', async () => {
    const { ann } = w;
    const allergic = await allergicAssessment(w);
    const pat = await signedIn('pat');
    const page = await pat.get(`/patients/${ann}/test-doses/new`);
    assert.match(page.body, /A test dose cannot be started yet/);
    assert.match(page.body, /absolute contraindication: [^;.]*allergic reaction to oral baclofen/);
    const res = await pat.post(
      `/patients/${ann}/test-doses`,
      { ...PRE_CHECKS, assessmentId: allergic },
      '/account',
    );
    assert.equal(res.statusCode, 400);
    assertSummaryNames(res.body, 'assessmentId', /absolute contraindication/);
    assert.equal(await countRows(w.t.deps.database.db, 'test_dose_episodes'), 0);
  });

  it('records an override only by a consultant, with a reason', async () => {
    const { ann } = w;
    await allergicAssessment(w);
    const pat = await signedIn('pat');
    assert.equal((await pat.get(`/patients/${ann}/test-dose-overrides/new`)).statusCode, 403);
    const carl = await signedIn('carl');
    const form = await carl.get(`/patients/${ann}/test-dose-overrides/new`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /someone other than you must start the test dose/);
    assert.match(form.body, /absolute contraindication: [^;.]*allergic reaction to oral baclofen/);
    const url = `/patients/${ann}/test-dose-overrides`;
    const empty = await carl.post(url, { reason: ' ' }, `/patients/${ann}/test-dose-overrides/new`);
    assert.equal(empty.statusCode, 400);
    assertSummaryNames(empty.body, 'reason', /Enter the reason for the override/);
    assert.equal(await countRows(w.t.deps.database.db, 'test_dose_overrides'), 0);
    const ok = await carl.post(
      url,
      { reason: 'Allergy clinic: the reaction was nausea, not an allergy' },
      `/patients/${ann}/test-dose-overrides/new`,
    );
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, `/patients/${ann}/test-doses?done=override`);
    const list = await carl.get(ok.headers.location);
    assert.match(list.body, /Override recorded/);
    assert.match(list.body, /Allergy clinic: the reaction was nausea, not an allergy/);
    assert.match(list.body, /Not used yet/);
    // Its author cannot use it.
    const own = await carl.get(`/patients/${ann}/test-doses/new`);
    assert.match(own.body, /You recorded the override that is waiting to be used/);
    assert.doesNotMatch(own.body, /name="goals"/);
  });

  it('starts the test dose on the override by a second person, and the override is spent', async () => {
    const { ann } = w;
    const allergic = await allergicAssessment(w);
    await carlsOverride(w);
    const pat = await signedIn('pat');
    const form = await pat.get(`/patients/${ann}/test-doses/new`);
    assert.match(form.body, /name="goals"/);
    assert.match(form.body, /Use the override recorded by Test consultant/);
    const overrideId = /name="overrideId" type="checkbox" value="([\w-]+)"/.exec(form.body)?.[1] ?? '';
    assert.ok(overrideId, 'the override is offered');
    const res = await pat.post(
      `/patients/${ann}/test-doses`,
      { ...PRE_CHECKS, assessmentId: allergic, overrideId },
      `/patients/${ann}/test-doses/new`,
    );
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    const episode = await pat.get(res.headers.location as string);
    assert.match(episode.body, /Started on<\/dt>\s*<dd[^>]*>An override recorded by Test consultant/);
    assert.match(episode.body, /Reason: Allergy clinic/);
    const list = await pat.get(`/patients/${ann}/test-doses`);
    assert.match(list.body, /Used for a test dose/);
  });

  it('requires the second checker on the bolus form, never the giver, and refuses a dose above 100 mcg', async () => {
    const { ann } = w;
    await episodeOnOverride(w);
    const carl = await signedIn('carl');
    const episodeId =
      /href="\/test-doses\/([\w-]+)"/.exec((await carl.get(`/patients/${ann}/test-doses`)).body)?.[1] ?? '';
    const form = await carl.get(`/test-doses/${episodeId}/boluses/new`);
    assert.match(form.body, /At most 100 mcg, the top of the ladder/);
    assert.match(form.body, /The full name of the second person who checked the dose drawn up/);
    const url = `/test-doses/${episodeId}/boluses`;
    const formUrl = `/test-doses/${episodeId}/pre-checks`;
    const none = await carl.post(url, { ...BOLUS, checkedBy: '' }, formUrl);
    assert.equal(none.statusCode, 400);
    assertSummaryNames(
      none.body,
      'checkedBy',
      /Enter the name of the second person who checked the dose drawn up/,
    );
    const self = await carl.post(url, { ...BOLUS, checkedBy: 'test CONSULTANT' }, formUrl);
    assertSummaryNames(
      self.body,
      'checkedBy',
      /Checked by must be a second person, not you \(Test consultant\)/,
    );
    const big = await carl.post(url, { ...BOLUS, doseMcg: '125', offLadderReason: 'Bigger' }, formUrl);
    assertSummaryNames(big.body, 'doseMcg', /Dose must be 100 mcg or less/);
    assert.equal(await countRows(w.t.deps.database.db, 'test_dose_boluses'), 0);
    const ok = await carl.post(url, BOLUS, formUrl);
    assert.equal(ok.statusCode, 303);
    const page = await carl.get(`/test-doses/${episodeId}`);
    assert.match(page.body, /Checked by<\/dt>\s*<dd[^>]*>Nina Nurse/);
  });

  it('leaves the effect duration empty when the drop held at the last observation, and says why', async () => {
    const episodeId = await episodeOnOverride(w);
    await carlsBolus(w, episodeId);
    const pat = await signedIn('pat');
    const bolusId = /id="bolus-([\w-]+)"/.exec((await pat.get(`/test-doses/${episodeId}`)).body)?.[1] ?? '';
    const url = `/test-doses/${episodeId}/boluses/${bolusId}/observations`;
    const formUrl = `${url}/new?hour=0`;
    // The bolus was at 02:00: the baseline at 01:50, then 04:00 to 10:00 (now).
    for (const [hour, grade, time] of [
      ['0', '3', '01:50'],
      ['2', '1', '04:00'],
      ['4', '1', '06:00'],
      ['6', '1', '08:00'],
      ['8', '1', '10:00'],
    ]) {
      const r = await pat.post(
        url,
        {
          hour: hour ?? '',
          'observedAt-day': '24',
          'observedAt-month': '11',
          'observedAt-year': '2026',
          'observedAt-time': time ?? '',
          'mas-hip-adductors-left': grade ?? '',
          'mas-hip-adductors-right': grade ?? '',
        },
        formUrl,
      );
      assert.equal(r.statusCode, 303, r.body.slice(0, 300));
    }
    const carl = await signedIn('carl');
    const page = await carl.get(`/test-doses/${episodeId}`);
    const box = (/<input[^>]*id="effectHours"[^>]*>/.exec(page.body)?.[0] ?? '').replace(/\s+/g, ' ');
    assert.ok(box, 'the effect duration box is on the page');
    assert.doesNotMatch(box, /value="[^"]/, `the box is empty: ${box}`);
    assert.match(
      page.body,
      /This box is left empty on purpose: The drop still held at 8 hours, the last observation/,
    );
    const resultUrl = `/test-doses/${episodeId}/boluses/${bolusId}/result`;
    const noHours = await carl.post(
      resultUrl,
      { result: 'positive', adverseReactions: 'no' },
      `/test-doses/${episodeId}`,
    );
    assert.equal(noHours.statusCode, 400);
    assertSummaryNames(noHours.body, 'effectHours', /still held at 8 hours/);
    const ok = await carl.post(
      resultUrl,
      { result: 'positive', effectHours: '10', adverseReactions: 'no' },
      `/test-doses/${episodeId}`,
    );
    assert.equal(ok.statusCode, 303);
    const closed = await carl.get(`/test-doses/${episodeId}`);
    // 10 h > 8 h: the test dose itself, 50 mcg/day.
    assert.match(
      closed.body,
      /Suggested starting dose after implant: 50 mcg\/day \(the same as the test dose: its effect lasted more than 8 hours\)/,
    );
  });

  it('withdraws an unused override with a reason (consultants only)', async () => {
    const bob = (
      await createPatient({ db: w.t.deps.database.db, clock: w.t.clock, timeZone: 'Europe/London' }, w.cora, {
        nhsNumber: '9434765919',
        givenName: 'Bob',
        familyName: 'Jones',
        dateOfBirth: '1970-01-01',
        sex: 'male',
      })
    ).id;
    const carl = await signedIn('carl');
    await carl.post(
      `/patients/${bob}/test-dose-overrides`,
      { reason: 'Referred in with a selection letter' },
      `/patients/${bob}/test-dose-overrides/new`,
    );
    const list = await carl.get(`/patients/${bob}/test-doses`);
    const withdrawUrl = /href="(\/test-dose-overrides\/[\w-]+\/withdraw)"/.exec(list.body)?.[1] ?? '';
    assert.ok(withdrawUrl);
    const pat = await signedIn('pat');
    assert.doesNotMatch((await pat.get(`/patients/${bob}/test-doses`)).body, /Withdraw this override/);
    assert.equal((await pat.get(withdrawUrl)).statusCode, 403);
    const empty = await carl.post(withdrawUrl, { reason: '' }, withdrawUrl);
    assert.equal(empty.statusCode, 400);
    assertSummaryNames(empty.body, 'reason', /Enter the reason for withdrawing the override/);
    const ok = await carl.post(withdrawUrl, { reason: 'Recorded for the wrong patient' }, withdrawUrl);
    assert.equal(ok.statusCode, 303);
    const after = await carl.get(ok.headers.location as string);
    assert.match(after.body, /Override withdrawn/);
    assert.match(after.body, /Withdrawn<\/dt>\s*<dd[^>]*>[^<]*Reason: Recorded for the wrong patient/);
    assert.match(
      (await pat.get(`/patients/${bob}/test-doses/new`)).body,
      /A test dose cannot be started yet/,
    );
  });
});
