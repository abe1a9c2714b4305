import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  addTestUser,
  Browser,
  registerAnn,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';
import { EXPLANT_PLAN } from '../../../../test/support/bridging-plan-fixtures.ts';
import { actorOf } from '../../../services/audit-service.ts';
import type { User } from '../../../storage/users.repository.ts';

/** The test clock's today is Tuesday 24 November 2026 (Europe/London). */

/** The error summary links to `field` with a message matching `message`. */
function assertSummaryNames(body: string, field: string, message?: RegExp): void {
  assert.match(body, /There is a problem/);
  const link = new RegExp(`href="#${field}"[^>]*>([^<]*)<`).exec(body);
  assert.ok(link, `expected the error summary to link to #${field}`);
  if (message) {
    assert.match((link[1] ?? '').trim(), message);
  }
}

const dateBoxes = (name: string, date: string): Record<string, string> => {
  const [y = '', m = '', d = ''] = date.split('-');
  return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y };
};

describe('pump page: ending, correcting and pausing a pump', () => {
  let t: TestApp;
  let ninaUser: User;
  let patientId = '';
  let serial = 0;
  const as = async (username: string) => {
    const b = new Browser(t);
    const res = await b.signIn(username);
    assert.equal(res.statusCode, 303, `sign in ${username}`);
    return b;
  };
  const newPump = async () => {
    serial += 1;
    const pump = await t.deps.services.pumps.register(actorOf(ninaUser, null), patientId, {
      modelId: 'synchromed-ii',
      reservoirMl: 20,
      serialNumber: `NGP77${String(serial)}H`,
      implantedOn: '2026-06-01',
      surgeon: 'Mr A Khan',
      alarmMl: 2,
      origin: 'spinal',
    });
    return pump.id;
  };
  const worklistRow = async (b: Browser, pumpId: string): Promise<string | null> => {
    const page = await b.get('/worklist');
    assert.equal(page.statusCode, 200);
    const rows = page.body.split('<tr class="nhsuk-table__row">');
    return rows.find((r) => r.includes(`href="/pumps/${pumpId}"`)) ?? null;
  };

  before(async () => {
    t = await startTestApp('sqlite');
    ninaUser = await addTestUser(t, 'nurse-specialist', 'nina');
    await addTestUser(t, 'consultant', 'carl');
    await addTestUser(t, 'physiotherapist', 'pat');
    patientId = (await registerAnn(t, ninaUser)).id;
  });
  after(async () => {
    await t.close();
  });

  it('an explant is recorded by one clinician and confirmed by another; until then the pump stays on the worklist', async () => {
    const pumpId = await newPump();
    const page = `/pumps/${pumpId}`;
    const nina = await as('nina');
    const form = (await nina.get(page)).body;
    assert.match(form, /Record an explant, death or transfer of care/);
    assert.match(form, /name="end-kind" type="radio" value="explant"/);

    // Problems are shown beside the form, with what was typed; nothing is stored.
    const noReason = await nina.post(
      `${page}/end-requests`,
      { 'end-kind': 'explant', ...dateBoxes('end-endedOn', '2026-11-23'), 'end-reason': '' },
      page,
    );
    assert.equal(noReason.statusCode, 400);
    assertSummaryNames(noReason.body, 'end-reason', /Enter the reason/);
    assert.match(noReason.body, /<details class="nhsuk-details" id="end" open>/);
    const future = await nina.post(
      `${page}/end-requests`,
      { 'end-kind': 'explant', ...dateBoxes('end-endedOn', '2026-11-25'), 'end-reason': 'Removed' },
      page,
    );
    assertSummaryNames(future.body, 'end-endedOn-day', /today or in the past/);
    const noDate = await nina.post(
      `${page}/end-requests`,
      { 'end-kind': 'explant', 'end-reason': 'Removed' },
      page,
    );
    assertSummaryNames(noDate.body, 'end-endedOn-day', /Enter the date/);
    assert.match(noDate.body, /Removed<\/textarea>/);

    const asked = await nina.post(
      `${page}/end-requests`,
      {
        'end-kind': 'explant',
        ...dateBoxes('end-endedOn', '2026-11-23'),
        'end-reason': 'Pocket infection: removed',
      },
      page,
    );
    assert.equal(asked.statusCode, 303, asked.body.slice(0, 300));
    let shown = (await nina.get(`${page}?done=end-requested`)).body;
    assert.match(shown, /the pump stays on the refill worklist until a different clinician confirms it/);
    assert.match(shown, /Ending: awaiting confirmation/);
    assert.match(shown, /<strong>Pump removed \(explant\)<\/strong> on 23 November 2026/);
    assert.match(shown, /You recorded this request: a different clinician must confirm it/);
    assert.doesNotMatch(shown, /Confirm: end this pump/);
    assert.doesNotMatch(shown, /Record an explant, death or transfer of care/, 'one request at a time');
    const row = await worklistRow(nina, pumpId);
    assert.ok(row, 'still on the worklist');
    assert.match(row, /No fill recorded/);
    assert.match(row, /Ending: awaiting confirmation/);

    // The one who asked cannot confirm, even by posting the form.
    const requestId = /action="\/pump-end-requests\/([^/]+)\/reject"/.exec(shown)?.[1] ?? '';
    const self = await nina.post(`/pump-end-requests/${requestId}/confirm`, {}, page);
    assert.equal(self.statusCode, 400);
    assert.match(self.body, /Nothing was saved/);
    assert.match(self.body, /A different clinician from the one who asked must confirm it/);
    assert.ok(await worklistRow(nina, pumpId));

    // Someone without pump:manage sees no forms and is refused.
    const pat = await as('pat');
    const seen = (await pat.get(page)).body;
    assert.match(seen, /Ending: awaiting confirmation/);
    assert.doesNotMatch(seen, /Confirm: end this pump|Reject the request|Pause the pump/);
    assert.equal((await pat.post(`/pump-end-requests/${requestId}/confirm`, {}, page)).statusCode, 403);

    await t.deps.services.complications.recordBridgingPlan(actorOf(ninaUser, null), pumpId, EXPLANT_PLAN);
    const carl = await as('carl');
    assert.match((await carl.get(page)).body, /Confirm: end this pump/);
    const confirmed = await carl.post(
      `/pump-end-requests/${requestId}/confirm`,
      { 'confirm-end-note': 'Operation note seen' },
      page,
    );
    assert.equal(confirmed.statusCode, 303);
    shown = (await carl.get(`${page}?done=end-confirmed`)).body;
    assert.match(shown, /the pump has ended and has left the refill worklist/);
    assert.match(shown, /Removed \(explanted\) on 23 November 2026/);
    assert.match(shown, /Confirmed by Test consultant: <span class="app-preserve-lines">Operation note seen/);
    assert.equal(await worklistRow(carl, pumpId), null, 'off the worklist once confirmed');

    // A mistaken end is corrected the same way, two people.
    assert.match(shown, /Correct a mistaken end/);
    const noWhy = await carl.post(`${page}/end-corrections`, { 'correct-reason': '' }, page);
    assertSummaryNames(noWhy.body, 'correct-reason', /Enter the reason for the correction/);
    assert.equal(
      (await carl.post(`${page}/end-corrections`, { 'correct-reason': 'Recorded on the wrong pump' }, page))
        .statusCode,
      303,
    );
    shown = (await carl.get(page)).body;
    assert.match(shown, /Correction: awaiting confirmation/);
    const correctionId = /action="\/pump-end-requests\/([^/]+)\/reject"/.exec(shown)?.[1] ?? '';
    assert.equal((await nina.post(`/pump-end-requests/${correctionId}/confirm`, {}, page)).statusCode, 303);
    shown = (await nina.get(`${page}?done=correction-confirmed`)).body;
    assert.match(shown, /the pump is implanted and back on the refill worklist/);
    assert.ok(await worklistRow(nina, pumpId), 'back on the worklist');
  });

  it('a rejected request leaves the pump as it was; the reason is required and shown', async () => {
    const pumpId = await newPump();
    const page = `/pumps/${pumpId}`;
    const nina = await as('nina');
    await nina.post(
      `${page}/end-requests`,
      {
        'end-kind': 'transfer',
        ...dateBoxes('end-endedOn', '2026-11-24'),
        'end-reason': 'Moved to Sheffield',
      },
      page,
    );
    const carl = await as('carl');
    const shown = (await carl.get(page)).body;
    const requestId = /action="\/pump-end-requests\/([^/]+)\/reject"/.exec(shown)?.[1] ?? '';
    const noReason = await carl.post(
      `/pump-end-requests/${requestId}/reject`,
      { 'reject-end-reason': '' },
      page,
    );
    assert.equal(noReason.statusCode, 400);
    assertSummaryNames(noReason.body, 'reject-end-reason', /Enter the reason/);
    const rejected = await carl.post(
      `/pump-end-requests/${requestId}/reject`,
      { 'reject-end-reason': 'Sheffield have not accepted the referral' },
      page,
    );
    assert.equal(rejected.statusCode, 303);
    const after = (await carl.get(`${page}?done=end-rejected`)).body;
    assert.match(after, /nothing about the pump has changed/);
    assert.doesNotMatch(after, /Ending: awaiting confirmation/);
    assert.match(
      after,
      /Rejected by Test consultant: <span class="app-preserve-lines">Sheffield have not accepted/,
    );
    const row = await worklistRow(carl, pumpId);
    assert.ok(row);
    assert.doesNotMatch(row, /Ending: awaiting confirmation/);
  });

  it('a replacement registered on the form waits on the old pump’s page for a different clinician', async () => {
    const oldId = await newPump();
    const oldPage = `/pumps/${oldId}`;
    const nina = await as('nina');
    const registered = await nina.post(
      `/patients/${patientId}/pumps`,
      {
        modelId: 'synchromed-ii',
        reservoirMl: '20',
        serialNumber: 'NGP888001H',
        'implantedOn-day': '23',
        'implantedOn-month': '11',
        'implantedOn-year': '2026',
        surgeon: 'Mr A Khan',
        alarmMl: '2',
        origin: 'spinal',
        replacesPumpId: oldId,
      },
      `/patients/${patientId}/pumps/new`,
    );
    assert.equal(registered.statusCode, 303, registered.body.slice(0, 500));
    const location = String(registered.headers.location);
    const newId = /^\/pumps\/([\w-]+)\?done=replacement-requested$/.exec(location)?.[1] ?? '';
    assert.ok(newId, location);
    assert.match((await nina.get(location)).body, /A different clinician must confirm the replacement/);

    // The old pump: still on the worklist, marked as ending, with the new pump linked.
    let shown = (await nina.get(oldPage)).body;
    assert.match(shown, /Ending: awaiting confirmation/);
    assert.match(shown, /<strong>Pump replaced by a new pump<\/strong> on 23 November 2026/);
    assert.match(shown, /Replaced by NGP888001H/);
    assert.match(shown, new RegExp(`<a href="/pumps/${newId}">See the new pump</a>`));
    assert.match(shown, /If you reject it, this pump stays implanted and on the worklist/);
    assert.match(shown, /You recorded this request: a different clinician must confirm it/);
    assert.doesNotMatch(shown, /Confirm the replacement: end this pump/);
    const row = (await worklistRow(nina, oldId)) ?? '';
    assert.match(row, /Ending: awaiting confirmation/);
    assert.match(row, /Pump replaced by a new pump/);
    assert.ok(await worklistRow(nina, newId), 'the new pump is listed too');

    const carl = await as('carl');
    shown = (await carl.get(oldPage)).body;
    assert.match(shown, /Confirm the replacement: end this pump/);
    const requestId = /action="\/pump-end-requests\/([^/]+)\/confirm"/.exec(shown)?.[1] ?? '';
    const confirmed = await carl.post(`/pump-end-requests/${requestId}/confirm`, {}, oldPage);
    assert.equal(confirmed.statusCode, 303);
    shown = (await carl.get(`${oldPage}?done=end-confirmed`)).body;
    assert.match(shown, /Replaced on 23 November 2026/);
    assert.equal(await worklistRow(carl, oldId), null, 'off the worklist once confirmed');
    assert.ok(await worklistRow(carl, newId));
  });

  it('pauses a pump with a resume date, shows it paused on the worklist, then records the resume', async () => {
    const pumpId = await newPump();
    const page = `/pumps/${pumpId}`;
    const nina = await as('nina');
    assert.match((await nina.get(page)).body, /Pause the pump/);
    const noReason = await nina.post(
      `${page}/pause`,
      { ...dateBoxes('pause-pausedOn', '2026-11-24'), ...dateBoxes('pause-resumeBy', '2026-12-01') },
      page,
    );
    assert.equal(noReason.statusCode, 400);
    assertSummaryNames(noReason.body, 'pause-reason', /Choose why the pump is paused/);
    assert.match(noReason.body, /<details class="nhsuk-details" id="pause" open>/);
    // Whether the reservoir was emptied is asked, with the model's MRI rule, and never assumed.
    assert.match(noReason.body, /Was the reservoir emptied\?/);
    assert.match(noReason.body, /stops in the scanner with its drug still inside/);
    const noEmptied = await nina.post(
      `${page}/pause`,
      {
        'pause-reason': 'mri',
        ...dateBoxes('pause-pausedOn', '2026-11-24'),
        ...dateBoxes('pause-resumeBy', '2026-12-01'),
      },
      page,
    );
    assert.equal(noEmptied.statusCode, 400);
    assertSummaryNames(noEmptied.body, 'pause-emptied', /Say whether the reservoir was emptied: yes or no/);
    // 24 November 2026 + 90 days = 22 February 2027; the 23rd is a day too far.
    const tooLong = await nina.post(
      `${page}/pause`,
      {
        'pause-reason': 'mri',
        'pause-emptied': 'yes',
        ...dateBoxes('pause-pausedOn', '2026-11-24'),
        ...dateBoxes('pause-resumeBy', '2027-02-23'),
      },
      page,
    );
    assertSummaryNames(
      tooLong.body,
      'pause-resumeBy-day',
      /within 90 days of the date paused, by 22 February 2027/,
    );
    const noDates = await nina.post(`${page}/pause`, { 'pause-reason': 'mri' }, page);
    assertSummaryNames(noDates.body, 'pause-pausedOn-day');
    assertSummaryNames(noDates.body, 'pause-resumeBy-day');

    const paused = await nina.post(
      `${page}/pause`,
      {
        'pause-reason': 'mri',
        'pause-emptied': 'yes',
        'pause-note': 'Emptied before the scan',
        ...dateBoxes('pause-pausedOn', '2026-11-24'),
        ...dateBoxes('pause-resumeBy', '2026-12-01'),
      },
      page,
    );
    assert.equal(paused.statusCode, 303, paused.body.slice(0, 300));
    let shown = (await nina.get(`${page}?done=paused`)).body;
    assert.match(shown, /it stays on the refill worklist until it resumes/);
    assert.match(shown, /<strong>Paused<\/strong> since 24 November 2026 \(for an MRI scan\)/);
    assert.match(shown, /<strong>Reservoir emptied\.<\/strong>/);
    assert.match(shown, /checked against the programmer's figure only/);
    assert.match(shown, /Due to resume by 1 December 2026/);
    assert.match(shown, /Record the resume/);
    assert.doesNotMatch(shown, /Pause the pump/);
    const row = await worklistRow(nina, pumpId);
    assert.ok(row);
    assert.match(row, /nhsuk-tag--blue">Paused</);
    assert.match(row, /Resume by 1 December 2026/);
    // 24 November → 1 December: 7 days.
    assert.match(row, /7 days to resume/);

    const early = await nina.post(`${page}/resume`, dateBoxes('resume-resumedOn', '2026-11-23'), page);
    assertSummaryNames(early.body, 'resume-resumedOn-day', /on or after the date paused, 24 November 2026/);
    const resumed = await nina.post(
      `${page}/resume`,
      { ...dateBoxes('resume-resumedOn', '2026-11-24'), 'resume-note': 'Refilled after the scan' },
      page,
    );
    assert.equal(resumed.statusCode, 303);
    shown = (await nina.get(`${page}?done=resumed`)).body;
    assert.match(shown, /Resume recorded/);
    assert.match(shown, /Pump resumed<\/strong>\. <span class="app-preserve-lines">Refilled after the scan/);
    assert.match((await worklistRow(nina, pumpId)) ?? '', /No fill recorded/);
  });

  it('shows a pause past its resume date as escalated, on the pump page and the worklist', async () => {
    const pumpId = await newPump();
    const page = `/pumps/${pumpId}`;
    const nina = await as('nina');
    await nina.post(
      `${page}/pause`,
      {
        'pause-reason': 'surgery',
        'pause-emptied': 'no',
        ...dateBoxes('pause-pausedOn', '2026-11-24'),
        ...dateBoxes('pause-resumeBy', '2026-11-26'),
      },
      page,
    );
    t.clock.set('2026-11-26T10:00:00.000Z');
    try {
      // Two days on: the session has timed out, so sign in again.
      const later = await as('nina');
      const shown = (await later.get(page)).body;
      assert.match(shown, /Paused past its resume date/);
      assert.match(shown, /for surgery; stopped with its drug inside \(not emptied\)/);
      const list = (await later.get('/worklist')).body;
      assert.match(list, /1 paused pump past the resume date: check the patient is not without drug/);
      const row = (await worklistRow(later, pumpId)) ?? '';
      assert.match(row, /nhsuk-tag--red">Paused past its resume date</);
    } finally {
      t.clock.set('2026-11-24T10:00:00.000Z');
    }
  });
});
