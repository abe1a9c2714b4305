import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { countRows } from '../../../../test/support/assertions.ts';
import { DIALECTS } from '../../../../test/support/databases.ts';
import { ERS_REFERRAL } from '../../../../test/support/referral-fixtures.ts';
import { buildReferralEmail } from '../../../../test/support/referral-email.ts';
import {
  addTestUser,
  apiTokenFor,
  Browser,
  registerAnn,
  startTestApp,
  TEST_SERVICE_CONTACTS,
  type TestApp,
} from '../../../../test/support/test-app.ts';
import { loadConfig } from '../../../config.ts';

/**
 * The test clock's today is Tuesday 24 November 2026. The e-RS service name is set to
 * "Complex Neuro Rehab – Leeds" so the default is seen to come from the setting.
 */
const SERVICE = {
  ...loadConfig(TEST_SERVICE_CONTACTS).service,
  ersServiceName: 'Complex Neuro Rehab – Leeds',
};

/** The confirm form for an email from a neurology registrar. */
const REGISTRAR_FORM = {
  'receivedOn-day': '20',
  'receivedOn-month': '11',
  'receivedOn-year': '2026',
  referrerName: 'Dr Sam Okafor',
  referrerRole: 'Neurology registrar (ST5)',
  referrerGrade: 'registrar',
  referrerOrganisation: 'Leeds General Infirmary',
  referrerEmail: 'sam.okafor@nhs.net',
  reason: 'Severe spasticity despite oral baclofen',
  conditions: ['spasticity'],
  origin: 'spinal',
  aetiology: 'multiple-sclerosis',
};

const versionOf = (body: string) => /name="version" value="(\d+)"/.exec(body)?.[1] ?? '';

describe('referral checks, the e-RS service name and target days on the pages', () => {
  let t: TestApp;
  let booking: Browser;
  let consultant: Browser;
  let nurse: Browser;
  let patientId = '';
  let message = 0;

  /** An email in the intake naming Ann; returns its page's address. */
  const emailInIntake = async (): Promise<string> => {
    message += 1;
    const raw = await buildReferralEmail({ messageId: `<page-check-${String(message)}@nhs.net>` });
    const { item } = await t.deps.services.referrals.ingestEmail(null, raw, 'upload');
    return `/intake/${item.id}`;
  };

  /** Confirms an email in the intake as a referral with these fields. */
  const confirm = async (fields: Record<string, string | string[]>) => {
    const url = await emailInIntake();
    const page = await booking.get(url);
    return booking.post(
      `${url}/confirm`,
      { ...fields, patientChoice: patientId, version: versionOf(page.body) },
      url,
    );
  };

  /** The registrar's email referral, marked as needing checking; its page's address. */
  const flaggedReferral = async (): Promise<string> => {
    const res = await confirm(REGISTRAR_FORM);
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    return String(res.headers.location).split('?')[0] ?? '';
  };

  // A service of its own for each test: the triage queue and the audit hold only its referrals.
  beforeEach(async () => {
    message = 0;
    t = await startTestApp('sqlite', { service: SERVICE });
    const bea = await addTestUser(t, 'booking-coordinator', 'bea');
    await addTestUser(t, 'consultant', 'cas');
    await addTestUser(t, 'nurse-specialist', 'nia');
    booking = new Browser(t);
    consultant = new Browser(t);
    nurse = new Browser(t);
    await booking.signIn('bea');
    await consultant.signIn('cas');
    await nurse.signIn('nia');
    patientId = (await registerAnn(t, bea)).id;
  });
  afterEach(async () => {
    await t.close();
  });

  it('the confirm form asks for the referrer’s grade; without it nothing is stored', async () => {
    const url = await emailInIntake();
    const page = await booking.get(url);
    assert.match(page.body, /name="referrerGrade" type="radio" value="consultant"/);
    assert.doesNotMatch(page.body, /name="ersServiceName"/, 'no e-RS service on an email');
    const before = await countRows(t.deps.database.db, 'referrals');
    const noGrade: Record<string, string | string[]> = { ...REGISTRAR_FORM };
    delete noGrade.referrerGrade;
    const res = await booking.post(
      `${url}/confirm`,
      { ...noGrade, patientChoice: patientId, version: versionOf(page.body) },
      url,
    );
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /href="#referrerGrade"[^>]*>\s*Select the referrer&#39;s grade/);
    assert.equal(await countRows(t.deps.database.db, 'referrals'), before);
  });

  it('a registrar’s email referral shows "Needs checking" with why, and is not called a consultant email', async () => {
    const flaggedUrl = await flaggedReferral();
    const page = await booking.get(flaggedUrl);
    assert.match(page.body, /id="needs-checking"/);
    assert.match(page.body, /Needs checking/);
    assert.match(
      page.body,
      /Email referral from a registrar or other doctor in training \(role given: Neurology registrar \(ST5\)\), not a consultant\./,
    );
    assert.match(
      page.body,
      /20 November 2026 by Email from a registrar or other doctor in training, not a consultant/,
    );
    assert.doesNotMatch(page.body, /by Consultant email/);
    assert.match(page.body, /Registrar or other doctor in training/);
    assert.doesNotMatch(page.body, /action="[^"]*\/check"/, 'the booking coordinator cannot clear it');
    const queue = await consultant.get('/triage');
    assert.match(
      queue.body,
      /Needs checking<\/strong><br><span class="nhsuk-body-s">Email referral from a registrar/,
    );
    const list = await booking.get('/referrals');
    assert.match(list.body, /Needs checking/);
  });

  it('a consultant’s email referral is filed as a consultant email, with no mark', async () => {
    const res = await confirm({
      ...REGISTRAR_FORM,
      referrerName: 'Dr Rhiannon Hughes',
      referrerRole: 'Consultant neurologist',
      referrerGrade: 'consultant',
    });
    const page = await booking.get(String(res.headers.location));
    assert.match(page.body, /by Consultant email/);
    assert.doesNotMatch(page.body, /Needs checking/);
  });

  it('while marked, the consultant cannot accept it; the reason is on the triage page', async () => {
    const flaggedUrl = await flaggedReferral();
    const triage = await consultant.get(`${flaggedUrl}/triage`);
    assert.match(triage.body, /Needs checking/);
    const res = await consultant.post(
      `${flaggedUrl}/triage`,
      { outcome: 'accepted', priority: 'routine', version: versionOf(triage.body) },
      `${flaggedUrl}/triage`,
    );
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /href="#outcome"[^>]*>\s*This referral needs checking before it can be accepted/);
    const page = await consultant.get(flaggedUrl);
    assert.match(page.body, /id="referral-state">Waiting for triage</);
  });

  it('only a consultant clears the mark, and only with a note; the clearing is shown and audited', async () => {
    const flaggedUrl = await flaggedReferral();
    const page = await consultant.get(flaggedUrl);
    assert.match(page.body, /Clear the mark: why can this referral stand\?/);
    const version = versionOf(page.body);
    const denied = await nurse.post(`${flaggedUrl}/check`, { note: 'Fine', version }, flaggedUrl);
    assert.equal(denied.statusCode, 403);
    const empty = await consultant.post(`${flaggedUrl}/check`, { note: '  ', version }, flaggedUrl);
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /href="#note"[^>]*>\s*Enter why this referral can stand/);
    const ok = await consultant.post(
      `${flaggedUrl}/check`,
      { note: 'Discussed with Dr Hughes, consultant neurologist, who supports it', version },
      flaggedUrl,
    );
    assert.equal(ok.statusCode, 303);
    const after = await consultant.get(String(ok.headers.location));
    assert.match(after.body, /Mark cleared: the referral can now be triaged/);
    assert.doesNotMatch(after.body, /id="needs-checking"/);
    assert.match(
      after.body,
      /id="check-cleared"><strong>Checked by a consultant<\/strong> \(Test consultant\)/,
    );
    assert.match(after.body, /Discussed with Dr Hughes, consultant neurologist, who supports it/);
    assert.match(after.body, /Checked by a consultant: the mark was cleared/, 'on the timeline');
    const audit = await t.deps.database.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', '=', 'referral.check-clear')
      .execute();
    assert.equal(audit.length, 1);
    const queue = await consultant.get('/triage');
    assert.doesNotMatch(queue.body, /Needs checking/);
  });

  it('the e-RS form offers the configured e-RS service name; the referral shows it, or the corrected name', async () => {
    const form = await booking.get('/referrals/new');
    assert.match(form.body, /name="ersServiceName"[^>]*value="Complex Neuro Rehab – Leeds"/);
    const fields = {
      nhsNumber: '485 777 3457',
      source: 'e-rs',
      ubrn: '0000 1234 5678',
      'receivedOn-day': '16',
      'receivedOn-month': '11',
      'receivedOn-year': '2026',
      referrerName: 'Dr A Patel',
      referrerRole: 'GP',
      referrerGrade: 'gp',
      referrerOrganisation: 'Chapeltown Surgery',
      referrerOdsCode: 'B86016',
      referrerEmail: 'a.patel@nhs.net',
      reason: 'Severe spasticity despite oral baclofen',
      conditions: ['spasticity'],
      origin: 'spinal',
      aetiology: 'multiple-sclerosis',
    };
    const asOffered = await booking.post(
      '/referrals',
      { ...fields, ersServiceName: 'Complex Neuro Rehab – Leeds' },
      '/referrals/new',
    );
    const page = await booking.get(String(asOffered.headers.location));
    assert.match(
      page.body,
      /e-RS service\s*<\/dt>\s*<dd class="nhsuk-summary-list__value">\s*Complex Neuro Rehab – Leeds/,
    );
    const corrected = await booking.post(
      '/referrals',
      { ...fields, ubrn: '0000 1234 9999', ersServiceName: 'Neurology outpatients' },
      '/referrals/new',
    );
    const other = await booking.get(String(corrected.headers.location));
    assert.match(
      other.body,
      /e-RS service\s*<\/dt>\s*<dd class="nhsuk-summary-list__value">\s*Neurology outpatients/,
    );
  });

  it('the waiting list and the referral say when the target falls on a Saturday; the date is unchanged', async () => {
    // Received Saturday 24 October 2026 + 42 days = Saturday 5 December 2026.
    const res = await booking.post(
      '/referrals',
      {
        nhsNumber: '485 777 3457',
        source: 'e-rs',
        ubrn: '0000 5555 0001',
        'receivedOn-day': '24',
        'receivedOn-month': '10',
        'receivedOn-year': '2026',
        referrerName: 'Dr A Patel',
        referrerRole: 'GP',
        referrerOrganisation: 'Chapeltown Surgery',
        referrerOdsCode: 'B86016',
        referrerEmail: 'a.patel@nhs.net',
        reason: 'Severe spasticity',
        conditions: ['spasticity'],
        origin: 'spinal',
        aetiology: 'multiple-sclerosis',
        ersServiceName: 'Complex Neuro Rehab – Leeds',
      },
      '/referrals/new',
    );
    const url = String(res.headers.location).split('?')[0] ?? '';
    const triage = await consultant.get(`${url}/triage`);
    await consultant.post(
      `${url}/triage`,
      { outcome: 'accepted', priority: 'routine', version: versionOf(triage.body) },
      `${url}/triage`,
    );
    const list = await booking.get('/waiting-list');
    const row =
      new RegExp(`<tr[^>]*>(?:(?!</tr>)[\\s\\S])*href="${url}"(?:(?!</tr>)[\\s\\S])*</tr>`).exec(
        list.body,
      )?.[0] ?? '';
    assert.match(
      row,
      /5 December 2026<\/span><br><span class="nhsuk-body-s">Saturday: not a working day; book by Friday 4 December 2026/,
    );
    const page = await booking.get(url);
    assert.match(
      page.body,
      /5 December 2026<\/span><br><span class="nhsuk-body-s" id="target-days">42 days from the date the referral was received<\/span><br><span class="nhsuk-body-s" id="target-note">Saturday: not a working day; book by Friday 4 December 2026/,
    );
  });
});

for (const dialect of DIALECTS) {
  describe(`referral checks in the API on ${dialect}`, () => {
    let t: TestApp;
    let bookingToken = '';
    let consultantToken = '';
    let nurseToken = '';
    const api = (method: 'GET' | 'POST', url: string, token: string, payload?: unknown) =>
      t.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${token}` },
        ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
      });

    before(async () => {
      t = await startTestApp(dialect, { service: SERVICE });
      const bea = await addTestUser(t, 'booking-coordinator', 'bea');
      bookingToken = await apiTokenFor(t, bea);
      consultantToken = await apiTokenFor(t, await addTestUser(t, 'consultant', 'cas'));
      nurseToken = await apiTokenFor(t, await addTestUser(t, 'nurse-specialist', 'nia'));
      await registerAnn(t, bea);
    });
    after(async () => {
      await t.close();
    });

    it('an e-RS referral gets the configured e-RS service name and no mark', async () => {
      const res = await api('POST', '/api/v1/referrals', bookingToken, {
        nhsNumber: '4857773457',
        ...ERS_REFERRAL,
      });
      assert.equal(res.statusCode, 201, res.body);
      const body = res.json<{ ersServiceName: string; check: unknown; sourceLabel: string }>();
      assert.equal(body.ersServiceName, 'Complex Neuro Rehab – Leeds');
      assert.equal(body.check, null);
      assert.equal(body.sourceLabel, 'e-RS (formerly Choose and Book)');
    });

    it('a GP’s email referral is marked; a nurse cannot clear it; a consultant can, with a note', async () => {
      const res = await api('POST', '/api/v1/referrals', bookingToken, {
        nhsNumber: '4857773457',
        ...ERS_REFERRAL,
        source: 'email',
        ubrn: null,
        referrerGrade: 'gp',
      });
      assert.equal(res.statusCode, 201, res.body);
      const created = res.json<{
        id: string;
        version: number;
        ersServiceName: string | null;
        check: { needed: boolean; reason: string; reasonText: string };
      }>();
      assert.equal(created.ersServiceName, null);
      assert.equal(created.check.needed, true);
      assert.equal(created.check.reason, 'referrer-not-consultant');
      assert.match(
        created.check.reasonText,
        /^Email referral from a GP \(role given: GP\), not a consultant\./,
      );
      const url = `/api/v1/referrals/${created.id}/check/clear`;
      assert.equal((await api('POST', url, nurseToken, { note: 'ok' })).statusCode, 403);
      const noNote = await api('POST', url, consultantToken, { note: '' });
      assert.equal(noNote.statusCode, 400);
      assert.match(noNote.body, /"field":"note"/);
      const stale = await api('POST', url, consultantToken, { note: 'ok', version: created.version + 5 });
      assert.equal(stale.statusCode, 409);
      const accept = await api('POST', `/api/v1/referrals/${created.id}/triage`, consultantToken, {
        outcome: 'accepted',
        priority: 'routine',
      });
      assert.equal(accept.statusCode, 409);
      const cleared = await api('POST', url, consultantToken, {
        note: 'The GP discussed it with Dr Hughes, who supports it',
        version: created.version,
      });
      assert.equal(cleared.statusCode, 200, cleared.body);
      const after = cleared.json<{ check: { needed: boolean; clearedNote: string; clearedBy: string } }>();
      assert.equal(after.check.needed, false);
      assert.equal(after.check.clearedNote, 'The GP discussed it with Dr Hughes, who supports it');
      assert.equal((await api('POST', url, consultantToken, { note: 'again' })).statusCode, 409);
    });

    it('the waiting list API gives the note for a target that is not a working day', async () => {
      // Friday 13 November 2026 + 42 days = Friday 25 December 2026, Christmas Day.
      const res = await api('POST', '/api/v1/referrals', bookingToken, {
        nhsNumber: '4857773457',
        ...ERS_REFERRAL,
        ubrn: '0000 7777 0001',
        receivedOn: '2026-11-13',
      });
      const id = res.json<{ id: string }>().id;
      await api('POST', `/api/v1/referrals/${id}/triage`, consultantToken, {
        outcome: 'accepted',
        priority: 'routine',
      });
      const list = await api('GET', '/api/v1/waiting-list', bookingToken);
      const item = list
        .json<{ items: { referralId: string; targetDate: string; targetDateNote: string | null }[] }>()
        .items.find((i) => i.referralId === id);
      assert.deepEqual(
        { targetDate: item?.targetDate, note: item?.targetDateNote },
        {
          targetDate: '2026-12-25',
          note: 'Bank holiday: not a working day; book by Thursday 24 December 2026',
        },
      );
      const detail = await api('GET', `/api/v1/referrals/${id}`, bookingToken);
      assert.equal(
        detail.json<{ wait: { targetDateNote: string | null } }>().wait.targetDateNote,
        'Bank holiday: not a working day; book by Thursday 24 December 2026',
      );
    });

    it('documents the new fields and the clearing route in the OpenAPI document', async () => {
      const doc = (await t.app.inject('/api/v1/openapi.json')).body;
      assert.match(doc, /\/api\/v1\/referrals\/\{id\}\/check\/clear/);
      assert.match(doc, /"ersServiceName"/);
      assert.match(doc, /"referrerGrade"/);
      assert.match(doc, /"targetDateNote"/);
    });
  });
}
