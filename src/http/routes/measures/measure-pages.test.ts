import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { countRows } from '../../../../test/support/assertions.ts';
import {
  addTestUser,
  Browser,
  registerAnn,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';

/** The test clock's today is Tuesday 24 November 2026 (Europe/London). */
const BASELINE_FORM = {
  'recordedOn-day': '10',
  'recordedOn-month': '11',
  'recordedOn-year': '2026',
  occasion: 'assessment',
  'mas-hip-adductors-left': '3',
  'mas-hip-adductors-right': '1+',
  'mas-knee-extensors-left': '',
  pennFrequency: '3',
  pennSeverity: '2',
  'gas-0-text': 'Sit in wheelchair for 2 hours',
  'gas-0-weight': '1',
  'gas-0-baseline': '-1',
  'gas-0-achieved': '',
  'gas-1-text': 'Easier perineal care',
  'gas-1-weight': '1',
  'gas-1-baseline': '-1',
  'gas-2-text': 'Sleep through the night',
  'gas-2-weight': '1',
  'gas-2-baseline': '-1',
  gmfcsLevel: '',
  painNrs: '7',
  note: '',
};

/** The error summary links to `field` with a message matching `message`. */
function assertSummaryNames(body: string, field: string, message?: RegExp): void {
  assert.match(body, /There is a problem/);
  const link = new RegExp(`href="#${field}"[^>]*>([^<]*)<`).exec(body);
  assert.ok(link, `expected the error summary to link to #${field}`);
  if (message) {
    assert.match((link[1] ?? '').trim(), message);
  }
}

describe('outcome measure pages', () => {
  let t: TestApp;
  let patientId = '';
  const physio = () => {
    const b = new Browser(t);
    return b;
  };
  const newForm = () => `/patients/${patientId}/measures/new`;
  const post = (b: Browser, fields: Record<string, string>) =>
    b.post(`/patients/${patientId}/measures`, fields, newForm());

  /** The baseline set, recorded through the form as a physiotherapist would. */
  const recordBaseline = async (b: Browser) => {
    const res = await post(b, BASELINE_FORM);
    assert.equal(res.statusCode, 303, res.body.slice(0, 3000));
  };

  // A fresh service for each test: Ann registered, a physiotherapist, a booking coordinator
  // and a service manager.
  beforeEach(async () => {
    t = await startTestApp('sqlite');
    const pat = await addTestUser(t, 'physiotherapist', 'pat');
    await addTestUser(t, 'booking-coordinator', 'bea');
    await addTestUser(t, 'service-manager', 'max');
    patientId = (await registerAnn(t, pat)).id;
  });
  afterEach(async () => {
    await t.close();
  });

  it('shows an empty measures page with a link to record, and the form with today filled in', async () => {
    const b = physio();
    await b.signIn('pat');
    const page = await b.get(`/patients/${patientId}/measures`);
    assert.equal(page.statusCode, 200, page.body.slice(0, 500));
    assert.match(page.body, /No outcome measures have been recorded/);
    assert.match(page.body, new RegExp(`href="/patients/${patientId}/measures/new"`));
    const form = await b.get(newForm());
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /name="recordedOn-day"[^>]*value="24"/);
    assert.match(form.body, /<label[^>]*for="mas-hip-adductors-left"[^>]*>\s*Hip adductors, left/);
    assert.match(form.body, /<label[^>]*for="gas-4-achieved"/);
    assert.match(form.body, /<label[^>]*for="painNrs"/);
    assert.doesNotMatch(form.body, /data-module="nhsuk-radios"[^>]*conditional|nhsuk-radios__conditional/);
  });

  it('refuses Penn severity with frequency 0, keeps what was entered and stores nothing', async () => {
    const b = physio();
    await b.signIn('pat');
    const res = await post(b, { ...BASELINE_FORM, pennFrequency: '0', pennSeverity: '2' });
    assert.equal(res.statusCode, 400);
    assertSummaryNames(
      res.body,
      'pennSeverity',
      /Penn severity is only recorded when spasm frequency is above 0/,
    );
    assert.match(res.body, /<option value="1\+" selected>/, 'the MAS grade is shown again');
    assert.match(res.body, /value="Sit in wheelchair for 2 hours"/);
    assert.match(res.body, /id="pennSeverity-2" name="pennSeverity" type="radio" value="2" checked>/);
    assert.equal(await countRows(t.database.handle.db, 'outcome_measure_sets'), 0);
  });

  it('names each bad field, linking the summary to the box', async () => {
    const b = physio();
    await b.signIn('pat');
    const cases: [Record<string, string>, string, RegExp][] = [
      [
        { 'mas-elbow-flexors-right': '1.5' },
        'mas-elbow-flexors-right',
        /^Elbow flexors, right: Modified Ashworth grade/,
      ],
      [{ 'gas-1-achieved': '3' }, 'gas-1-achieved', /^GAS goal 2: Achieved score/],
      [{ 'gas-2-weight': '0' }, 'gas-2-weight', /^GAS goal 3: Weight must be a whole number from 1 to 9/],
      [
        { 'recordedOn-day': '31', 'recordedOn-month': '2' },
        'recordedOn-day',
        /Date recorded must be a real date/,
      ],
      [{ 'recordedOn-day': '25' }, 'recordedOn-day', /today or in the past/],
      [{ painNrs: '11' }, 'painNrs', /0 to 10/],
      [{ pennFrequency: '2', pennSeverity: '' }, 'pennSeverity', /Select the Penn spasm severity/],
      [{ occasion: '' }, 'occasion', /Select when the measures were taken/],
    ];
    for (const [change, field, message] of cases) {
      const res = await post(b, { ...BASELINE_FORM, ...change });
      assert.equal(res.statusCode, 400, `${field}: ${res.statusCode}`);
      assertSummaryNames(res.body, field, message);
      assert.match(
        res.body,
        new RegExp(`id="${field}-error"|id="recordedOn-error"`),
        `inline error for ${field}`,
      );
    }
    // A bad date and another problem are both reported.
    const both = await post(b, { ...BASELINE_FORM, 'recordedOn-year': '', painNrs: '12' });
    assertSummaryNames(both.body, 'recordedOn-day');
    assertSummaryNames(both.body, 'painNrs');
    assert.equal(await countRows(t.database.handle.db, 'outcome_measure_sets'), 0);
  });

  it('refuses an empty set with one message', async () => {
    const b = physio();
    await b.signIn('pat');
    const res = await post(b, {
      'recordedOn-day': '24',
      'recordedOn-month': '11',
      'recordedOn-year': '2026',
      occasion: 'review',
    });
    assert.equal(res.statusCode, 400);
    assertSummaryNames(res.body, 'measures', /Record at least one measure/);
    assert.match(res.body, /id="measures"/);
    assert.equal(await countRows(t.database.handle.db, 'outcome_measure_sets'), 0);
  });

  it('records a set, redirects to the measures page and shows charts and tables', async () => {
    const b = physio();
    await b.signIn('pat');
    const res = await post(b, BASELINE_FORM);
    assert.equal(res.statusCode, 303, res.body.slice(0, 3000));
    assert.equal(res.headers.location, `/patients/${patientId}/measures?recorded=1`);
    assert.equal(await countRows(t.database.handle.db, 'outcome_measure_sets'), 1);
    const page = await b.get(res.headers.location ?? '');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Outcome measures recorded/);
    assert.match(page.body, /Baseline T-score <\/span><span>36\.31<\/span><\/td>/, 'the baseline T-score');
    assert.match(page.body, /Not yet scored/);
    assert.match(page.body, /(Left|Right) <\/span><span>1\+<\/span><\/td>/, 'the grade as entered');
    assert.equal(
      (page.body.match(/<svg[^>]*class="app-chart"/g) ?? []).length,
      4,
      'GAS, pain, Penn and one MAS chart',
    );
    assert.doesNotMatch(page.body, /<style|\sstyle="/, 'nothing the CSP would block');
  });

  it('carries the goals forward, and a review shows the achieved T-score and the pain change', async () => {
    const b = physio();
    await b.signIn('pat');
    await recordBaseline(b);
    const form = await b.get(newForm());
    // Set once, scored again: the goals are fixed, with only the achieved score to give.
    assert.match(form.body, /id="gas-rescoring"/);
    assert.match(form.body, /Goal 1: Sit in wheelchair for 2 hours/);
    assert.match(form.body, /<input type="hidden" name="gas-0-text" value="Sit in wheelchair for 2 hours">/);
    assert.match(form.body, /<input type="hidden" name="goalsFixed" value="1">/);
    assert.doesNotMatch(form.body, /id="gas-0-text"/, 'no box to type the goal again');
    assert.match(form.body, /id="gas-0-achieved"/);
    // New goals can be set instead, in empty boxes.
    const fresh = await b.get(`${newForm()}?goals=new`);
    assert.match(fresh.body, /id="gas-0-text" name="gas-0-text" type="text" value=""/);
    assert.doesNotMatch(fresh.body, /goalsFixed/);
    const res = await post(b, {
      goalsFixed: '1',
      'recordedOn-day': '24',
      'recordedOn-month': '11',
      'recordedOn-year': '2026',
      occasion: 'review',
      'gas-0-text': 'Sit in wheelchair for 2 hours',
      'gas-0-weight': '1',
      'gas-0-baseline': '-1',
      'gas-0-achieved': '0',
      'gas-1-text': 'Easier perineal care',
      'gas-1-weight': '1',
      'gas-1-baseline': '-1',
      'gas-1-achieved': '1',
      'gas-2-text': 'Sleep through the night',
      'gas-2-weight': '1',
      'gas-2-baseline': '-1',
      'gas-2-achieved': '2',
      painNrs: '4',
    });
    assert.equal(res.statusCode, 303, res.body.slice(0, 3000));
    const page = await b.get(`/patients/${patientId}/measures`);
    assert.match(page.body, /Achieved T-score <\/span><span>63\.69<\/span><\/td>/);
    assert.match(
      page.body,
      /<strong class="app-measure-change--meaningful">\u22123<\/strong> \(a change of 2 or more\)/,
    );
  });

  it('lets the booking coordinator read but not record, and the service manager neither', async () => {
    const bea = physio();
    await bea.signIn('bea');
    const page = await bea.get(`/patients/${patientId}/measures`);
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /Record outcome measures/);
    assert.equal((await bea.get(newForm())).statusCode, 403);
    const before = await countRows(t.database.handle.db, 'outcome_measure_sets');
    const refused = await bea.post(
      `/patients/${patientId}/measures`,
      BASELINE_FORM,
      `/patients/${patientId}/measures`,
    );
    assert.equal(refused.statusCode, 403);
    assert.equal(await countRows(t.database.handle.db, 'outcome_measure_sets'), before);
    const max = physio();
    await max.signIn('max');
    assert.equal((await max.get(`/patients/${patientId}/measures`)).statusCode, 403);
  });

  it('answers 404 for an unknown patient', async () => {
    const b = physio();
    await b.signIn('pat');
    assert.equal((await b.get('/patients/no-such-patient/measures')).statusCode, 404);
    assert.equal((await b.get('/patients/no-such-patient/measures/new')).statusCode, 404);
  });
});
