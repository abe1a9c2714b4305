import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  addTestUser,
  Browser,
  registerAnn,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';
import { countRows } from '../../../../test/support/assertions.ts';
import { actorOf } from '../../../services/audit-service.ts';
import { confirmPrescription, proposePrescription } from '../../../services/prescription-service.ts';
import { registerPump } from '../../../services/pump-service.ts';
import { serviceContext } from '../../../services/registry/bind.ts';
import { findRefillById } from '../../../storage/refills.repository.ts';
import type { User } from '../../../storage/users.repository.ts';

/**
 * The test clock's today is Tuesday 24 November 2026 (Europe/London). The pump (20 mL, alarm at
 * 2 mL) runs 200 mcg/day at 500 mcg/mL: 0.4 mL a day, so a 20 mL fill today alarms in 45 days on
 * 8 January 2027; due 7 days before, 1 January, a bank holiday: the working day before is
 * Thursday 31 December 2026. Each test has its own pump on Ann.
 */
const REFILL_FORM = {
  'performedOn-day': '24',
  'performedOn-month': '11',
  'performedOn-year': '2026',
  expectedResidualMl: '6.0',
  withdrawnMl: '4.5',
  drug: 'baclofen',
  concentrationMcgPerMl: '500',
  batch: 'LB2026-117',
  'expiresOn-day': '30',
  'expiresOn-month': '6',
  'expiresOn-year': '2027',
  instilledMl: '20',
  alarmMl: '2',
  changeProgramme: 'no',
  'np-mode': 'simple',
  'np-doseMcgPerDay': '200',
  'np-phase': 'maintenance',
  complicationNote: '',
  patientNote: '',
};

/** REFILL_FORM as the service takes it: 1.5 mL less came out than expected, so it is flagged. */
const FLAGGED_REFILL = {
  performedOn: '2026-11-24',
  expectedResidualMl: 6,
  withdrawnMl: 4.5,
  concentrationMcgPerMl: 500,
  batch: 'LB2026-117',
  expiresOn: '2027-06-30',
  instilledMl: 20,
  alarmMl: 2,
};
/** The same fill with nothing found: signed without a review. */
const CLEAN_REFILL = { ...FLAGGED_REFILL, withdrawnMl: 6 };

function assertSummaryNames(body: string, field: string, message?: RegExp): void {
  assert.match(body, /There is a problem/);
  const link = new RegExp(`href="#${field}"[^>]*>([^<]*)<`).exec(body);
  assert.ok(link, `expected the error summary to link to #${field}`);
  if (message) {
    assert.match((link[1] ?? '').trim(), message);
  }
}

/** The refill's current version, as a hand-made post (not the page's form) would send it. */
async function versionOf(t: TestApp, refillId: string): Promise<string> {
  const refill = await findRefillById(t.deps.database.db, refillId);
  assert.ok(refill, `refill ${refillId}`);
  return String(refill.version);
}

/** The pump page's refill standing (due date, days left, booking). */
function standingOf(body: string): string {
  return /id="refill-standing"[\s\S]*?<\/dl>/.exec(body)?.[0] ?? '';
}

describe('refill pages', () => {
  let t: TestApp;
  let nina: User;
  let carl: User;
  let patientId = '';
  const as = async (username: string) => {
    const b = new Browser(t);
    const res = await b.signIn(username);
    assert.equal(res.statusCode, 303, `sign in ${username}`);
    return b;
  };
  const newForm = (pumpId: string) => `/pumps/${pumpId}/refills/new`;
  const refills = () => t.deps.services.refills;

  /** A pump on Ann (20 mL, alarm 2 mL) running 200 mcg/day of 500 mcg/mL, with no refill yet. */
  const newPump = async (serialNumber: string): Promise<string> => {
    const ctx = serviceContext(t.deps.database, t.clock, t.deps.config);
    const pump = await registerPump(ctx, actorOf(nina, null), patientId, {
      modelId: 'synchromed-ii',
      reservoirMl: 20,
      serialNumber,
      implantedOn: '2026-09-01',
      surgeon: 'Mr A Khan',
      alarmMl: 2,
      catheterModel: null,
      catheterTipLevel: null,
      origin: 'spinal',
    });
    const p = await proposePrescription(ctx, actorOf(carl, null), pump.id, {
      reason: 'Starting dose from a test dose given at another centre',
      concentrationMcgPerMl: 500,
      phase: 'titration',
      programme: { mode: 'simple', doseMcgPerDay: 200, schedules: [], bolus: null },
    });
    await confirmPrescription(ctx, actorOf(nina, null), p.id, {});
    return pump.id;
  };
  /** A refill nina did today, flagged for 1.5 mL less than expected, awaiting its review. */
  const flaggedRefill = async (pumpId: string): Promise<string> =>
    (await refills().record(actorOf(nina, null), pumpId, FLAGGED_REFILL)).id;
  /** A refill nina did today, with nothing found, checked and signed by carl. */
  const signedRefill = async (pumpId: string): Promise<string> => {
    const r = await refills().record(actorOf(nina, null), pumpId, CLEAN_REFILL);
    await refills().sign(actorOf(carl, null), r.id, { version: r.version });
    return r.id;
  };

  before(async () => {
    t = await startTestApp('sqlite');
    nina = await addTestUser(t, 'nurse-specialist', 'nina');
    await addTestUser(t, 'nurse-specialist', 'nora');
    carl = await addTestUser(t, 'consultant', 'carl');
    await addTestUser(t, 'booking-coordinator', 'bea');
    patientId = (await registerAnn(t, nina)).id;
  });
  after(async () => {
    await t.close();
  });

  it('offers the form filled in from the prescription and the pump', async () => {
    const pumpId = await newPump('NGP555001H');
    const b = await as('nina');
    const form = await b.get(newForm(pumpId));
    assert.equal(form.statusCode, 200, form.body.slice(0, 800));
    assert.match(form.body, /name="concentrationMcgPerMl"[^>]*value="500"/);
    assert.match(form.body, /name="alarmMl"[^>]*value="2"/);
    assert.match(form.body, /name="performedOn-day"[^>]*value="24"/);
    assert.match(form.body, /id="changeProgramme" name="changeProgramme" type="radio" value="no" checked/);
    assert.match(form.body, /name="np-doseMcgPerDay"[^>]*value="200"/);
    assert.doesNotMatch(form.body, /nhsuk-radios__conditional|data-aria-controls/);
  });

  it('refuses bad refills naming the field, and stores nothing', async () => {
    const pumpId = await newPump('NGP555002H');
    const stored = await countRows(t.deps.database.db, 'refills');
    const b = await as('nina');
    const post = (change: Record<string, string | string[]>) =>
      b.post(`/pumps/${pumpId}/refills`, { ...REFILL_FORM, ...change }, newForm(pumpId));
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ concentrationMcgPerMl: '2 mg' }, 'concentrationMcgPerMl', /digits only \(no units\)/],
      [{ concentrationMcgPerMl: '0' }, 'concentrationMcgPerMl', /Concentration/],
      [{ concentrationMcgPerMl: '2000' }, 'concentrationMcgPerMl', /differs from the prescription/],
      [{ withdrawnMl: '25' }, 'withdrawnMl', /more than the reservoir holds \(20 mL\)/],
      [{ instilledMl: '21' }, 'instilledMl', /more than the reservoir holds/],
      [{ 'expiresOn-year': '2025' }, 'expiresOn', /expired/],
      [{ 'performedOn-day': '25' }, 'performedOn', /today or in the past/],
      [
        { 'performedOn-day': '', 'performedOn-month': '', 'performedOn-year': '' },
        'performedOn-day',
        /Enter the refill date/,
      ],
      [{ changeProgramme: '' }, 'changeProgramme', /Choose whether the programme changes/],
      [{ changeProgramme: 'yes', 'np-doseMcgPerDay': '0.2 mg' }, 'np-doseMcgPerDay', /Daily dose/],
      [{ changeProgramme: 'yes', 'np-phase': '' }, 'np-phase', /titration or maintenance/],
    ];
    for (const [change, field, message] of cases) {
      const res = await post(change);
      assert.equal(res.statusCode, 400, `${field}: ${String(res.statusCode)}`);
      assertSummaryNames(res.body, field.replace(/^(performedOn|expiresOn)$/, '$1-day'), message);
    }
    const other = await post({ complications: ['other'], complicationNote: '' });
    assertSummaryNames(other.body, 'complicationNote', /Describe the complication/);
    assert.match(other.body, /value="other" checked/);
    assert.equal(await countRows(t.deps.database.db, 'refills'), stored);
  });

  it('flags 4.5 mL withdrawn against 6.0 expected on a 20 mL pump and will not sign it before review', async () => {
    const pumpId = await newPump('NGP555003H');
    const nina = await as('nina');
    const res = await nina.post(`/pumps/${pumpId}/refills`, REFILL_FORM, newForm(pumpId));
    assert.equal(res.statusCode, 303, res.body.slice(0, 1500));
    const m = /^\/refills\/([\w-]+)\?done=recorded$/.exec(String(res.headers.location));
    assert.ok(m, String(res.headers.location));
    const refillId = m[1] ?? '';
    const page = await nina.get(String(res.headers.location));
    assert.equal(page.statusCode, 200, page.body.slice(0, 800));
    assert.match(page.body, /nhsuk-card--care--urgent/);
    assert.match(page.body, /more than 1 mL on a 20 mL pump: review before signing/);
    assert.match(page.body, /\u22121\.5 mL, \u221225%/);
    assert.match(page.body, /must be reviewed before this refill can be signed/);
    assert.doesNotMatch(page.body, /action="\/refills\/[\w-]+\/sign"/);
    // The review is someone else's to write: offered to another nurse, not to the recorder.
    assert.doesNotMatch(page.body, /action="\/refills\/[\w-]+\/review"/);
    assert.match(
      (await (await as('nora')).get(`/refills/${refillId}`)).body,
      /action="\/refills\/[\w-]+\/review"/,
    );
    // The pump had no plan: the unsigned fill's due date counts on the worklist at once.
    const pumpPage = await nina.get(`/pumps/${pumpId}`);
    assert.match(standingOf(pumpPage.body), /31 December 2026 \(working day\)/);
    assert.match(pumpPage.body, /id="refill-history"[\s\S]*?Flagged[\s\S]*?Awaiting check/);

    // Another nurse trying to sign before the review is told why.
    const nora = await as('nora');
    const early = await nora.post(
      `/refills/${refillId}/sign`,
      { confirmed: 'yes', version: await versionOf(t, refillId) },
      `/refills/${refillId}`,
    );
    assert.equal(early.statusCode, 409);
    assert.match(
      early.body,
      /1\.5 mL less came out than expected, more than 1 mL either way: record its review before signing/,
    );
    // A second refill cannot be recorded while this one waits.
    const second = await nina.post(`/pumps/${pumpId}/refills`, REFILL_FORM, newForm(pumpId));
    assert.equal(second.statusCode, 409);
    assert.match(second.body, /has not been checked and signed yet/);
  });

  it('another nurse reviews; the recorder cannot sign; a consultant signs and the pump gets the new due date', async () => {
    const pumpId = await newPump('NGP555004H');
    const refillId = await flaggedRefill(pumpId);
    const nina = await as('nina');
    // The review is written by someone other than the recorder (nina): nora writes it.
    const nora = await as('nora');
    const empty = await nora.post(`/refills/${refillId}/review`, { reviewNote: ' ' }, `/refills/${refillId}`);
    assert.equal(empty.statusCode, 400);
    assertSummaryNames(empty.body, 'reviewNote', /Enter the review of the discrepancy/);
    const reviewed = await nora.post(
      `/refills/${refillId}/review`,
      { reviewNote: 'Pump log checked: 2 boluses not recorded on the programmer. No pocket swelling.' },
      `/refills/${refillId}`,
    );
    assert.equal(reviewed.statusCode, 303, reviewed.body.slice(0, 500));
    // No sign form is offered to the recorder: the token comes from the pump page.
    const own = await nina.post(
      `/refills/${refillId}/sign`,
      { confirmed: 'yes', version: await versionOf(t, refillId) },
      `/pumps/${pumpId}`,
    );
    assert.equal(own.statusCode, 400);
    assert.match(own.body, /checked and signed by a different clinician from the one who did it/);
    const ninaPage = await nina.get(`/refills/${refillId}`);
    assert.match(ninaPage.body, /You did this refill: a different clinician must check and sign it/);

    // Booked for today, the day of the refill: signing the refill settles it as attended.
    const bea = await as('bea');
    const booked = await bea.post(
      `/pumps/${pumpId}/appointments`,
      {
        'appt-kind': 'refill',
        'appt-onDate-day': '24',
        'appt-onDate-month': '11',
        'appt-onDate-year': '2026',
      },
      `/pumps/${pumpId}`,
    );
    assert.equal(booked.statusCode, 303, booked.body.slice(0, 500));
    assert.match(standingOf((await bea.get(`/pumps/${pumpId}`)).body), /24 November 2026/);

    const carl = await as('carl');
    const page = await carl.get(`/refills/${refillId}`);
    assert.match(page.body, /I have checked the volumes, concentration and programme against the pump/);
    // The sign form posts the version the checker is looking at.
    const version =
      /<form method="post" action="\/refills\/[\w-]+\/sign"[\s\S]*?name="version" value="(\d+)"/.exec(
        page.body,
      )?.[1];
    assert.equal(version, await versionOf(t, refillId));
    const unticked = await carl.post(`/refills/${refillId}/sign`, { version }, `/refills/${refillId}`);
    assert.equal(unticked.statusCode, 400);
    assertSummaryNames(unticked.body, 'confirmed', /Confirm: i have checked/i);
    // Without the version, or with one from before the review, nothing is signed.
    const noVersion = await carl.post(
      `/refills/${refillId}/sign`,
      { confirmed: 'yes' },
      `/refills/${refillId}`,
    );
    assert.equal(noVersion.statusCode, 400);
    assertSummaryNames(noVersion.body, 'confirmed', /Give the version of the refill you checked/);
    const stale = await carl.post(
      `/refills/${refillId}/sign`,
      { confirmed: 'yes', version: String(Number(version) - 1) },
      `/refills/${refillId}`,
    );
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /This refill changed after you opened it/);
    assert.match((await carl.get(`/refills/${refillId}`)).body, /Not yet signed/);
    const signed = await carl.post(
      `/refills/${refillId}/sign`,
      { version, confirmed: 'yes' },
      `/refills/${refillId}`,
    );
    assert.equal(signed.statusCode, 303, signed.body.slice(0, 800));
    const after = await carl.get(String(signed.headers.location));
    assert.match(after.body, /Refill checked and signed/);
    assert.match(after.body, /Checked and signed by[\s\S]*?Test consultant/);
    assert.match(after.body, /Reviewed by[\s\S]*?Test nurse-specialist/);
    assert.match(after.body, /Low-reservoir alarm date[\s\S]*?8 January 2027/);
    assert.match(after.body, /Refill due by[\s\S]*?31 December 2026 \(working day\)/);

    const pump = await carl.get(`/pumps/${pumpId}`);
    const standing = standingOf(pump.body);
    assert.match(standing, /31 December 2026 \(working day\)/);
    assert.match(standing, /37 days/);
    // Today's booking was this refill: attended, so the next refill is not booked yet.
    assert.match(standing, /Not booked/);
    // The appointments table is the responsive one: each cell carries its heading.
    const cell = (heading: string, value: string) =>
      String.raw`<td[^>]*><span class="nhsuk-table__heading" aria-hidden="true">${heading} </span><span>${value}</span></td>`;
    assert.match(
      pump.body,
      new RegExp(
        String.raw`${cell('Date', '24 November 2026')}\s*${cell('Kind', 'Refill')}\s*${cell('State', 'Attended')}`,
      ),
    );
    assert.match(pump.body, /id="refill-history"[\s\S]*?Flagged[\s\S]*?Signed/);
  });

  it('amends a signed refill only with a reason, keeping the original', async () => {
    const refillId = await signedRefill(await newPump('NGP555005H'));
    const nina = await as('nina');
    const noReason = await nina.post(
      `/refills/${refillId}/amend`,
      { 'amend-reason': '', 'amend-batch': 'LB2026-118' },
      `/refills/${refillId}`,
    );
    assert.equal(noReason.statusCode, 400);
    assertSummaryNames(noReason.body, 'amend-reason', /Enter the reason for the amendment/);
    const ok = await nina.post(
      `/refills/${refillId}/amend`,
      { 'amend-reason': 'Batch misread from the label', 'amend-batch': 'LB2026-118' },
      `/refills/${refillId}`,
    );
    assert.equal(ok.statusCode, 303, ok.body.slice(0, 800));
    const page = await nina.get(`/refills/${refillId}`);
    assert.match(page.body, /Reason: Batch misread from the label/);
    assert.match(page.body, /Batch number: LB2026-117 → LB2026-118/);
    assert.match(page.body, /Batch\s*<\/dt>[\s\S]{0,200}LB2026-118/);
  });

  it('shows a programme changed at a refill as Before and After; signing makes it active', async () => {
    const pumpId = await newPump('NGP555006H');
    await signedRefill(pumpId);
    const nina = await as('nina');
    const res = await nina.post(
      `/pumps/${pumpId}/refills`,
      {
        ...REFILL_FORM,
        expectedResidualMl: '20',
        withdrawnMl: '19.5',
        changeProgramme: 'yes',
        'np-doseMcgPerDay': '220',
      },
      newForm(pumpId),
    );
    assert.equal(res.statusCode, 303, res.body.slice(0, 1500));
    const page = await nina.get(String(res.headers.location));
    assert.doesNotMatch(page.body, /review before signing/);
    const table = /id="programme-comparison">[\s\S]*?<\/table>/.exec(page.body)?.[0] ?? '';
    assert.match(table, />Before</);
    assert.match(table, />After</);
    assert.match(table, /200 mcg\/day[\s\S]*?<strong>220 mcg\/day<\/strong>/);
    // 220 mcg/day is 0.44 mL a day: this fill runs out sooner than the signed one (due
    // 31 December), so the worklist takes its earlier due date before it is even signed.
    const pending = await nina.get(`/pumps/${pumpId}`);
    assert.match(standingOf(pending.body), /24 December 2026 \(working day\)/);
    assert.match(pending.body, /Simple continuous, 200 mcg\/day/);
    const carl = await as('carl');
    const id = /^\/refills\/([\w-]+)/.exec(String(res.headers.location))?.[1] ?? '';
    const version = /name="version" value="(\d+)"/.exec((await carl.get(`/refills/${id}`)).body)?.[1] ?? '';
    const signed = await carl.post(`/refills/${id}/sign`, { confirmed: 'yes', version }, `/refills/${id}`);
    assert.equal(signed.statusCode, 303, signed.body.slice(0, 800));
    const pump = await carl.get(`/pumps/${pumpId}`);
    assert.match(pump.body, /Simple continuous, 220 mcg\/day/);
    assert.match(standingOf(pump.body), /24 December 2026 \(working day\)/);
  });

  it('does not let a booking coordinator record, review or sign a refill', async () => {
    const pumpId = await newPump('NGP555007H');
    const refillId = await signedRefill(pumpId);
    const bea = await as('bea');
    assert.equal((await bea.get(newForm(pumpId))).statusCode, 403);
    const page = await bea.get(`/refills/${refillId}`);
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /action="\/refills\/[\w-]+\/(review|sign|amend)"/);
    const post = await bea.post(`/pumps/${pumpId}/refills`, REFILL_FORM, `/pumps/${pumpId}`);
    assert.equal(post.statusCode, 403);
    const sign = await bea.post(
      `/refills/${refillId}/sign`,
      { confirmed: 'yes', version: await versionOf(t, refillId) },
      `/pumps/${pumpId}`,
    );
    assert.equal(sign.statusCode, 403);
  });
  it('shows the emergency action for a suspected pocket fill and needs its review before signing', async () => {
    const pumpId = await newPump('NGP555008H');
    const nina = await as('nina');
    const res = await nina.post(
      `/pumps/${pumpId}/refills`,
      {
        ...REFILL_FORM,
        expectedResidualMl: '20',
        withdrawnMl: '20',
        concentrationMcgPerMl: '500',
        complications: ['suspected-pocket-fill'],
      },
      newForm(pumpId),
    );
    assert.equal(res.statusCode, 303, res.body.slice(0, 1500));
    const page = await nina.get(String(res.headers.location));
    assert.match(page.body, /Suspected pocket fill: act now/);
    assert.match(page.body, /Aspirate the pocket at once, then observe the patient for overdose/);
    assert.doesNotMatch(page.body, /nhsuk-card--care--urgent/, 'no volume discrepancy');
    assert.match(page.body, /The suspected pocket fill must be reviewed before this refill can be signed/);
  });
});
