import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  addTestUser,
  Browser,
  registerAnn,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';
import { actorOf } from '../../../services/audit-service.ts';
import { confirmPrescription, proposePrescription } from '../../../services/prescription-service.ts';
import { registerPump } from '../../../services/pump-service.ts';
import { serviceContext } from '../../../services/registry/bind.ts';
import { findPrescriptionById } from '../../../storage/prescriptions.repository.ts';
import { findRefillById } from '../../../storage/refills.repository.ts';
import type { User } from '../../../storage/users.repository.ts';

/**
 * The refill page's checks: the flags with the withdrawal-signs panel, the review only by
 * someone other than the performer, the checker's reject form, the volume correction with old and
 * new side by side, and the date the pump was reprogrammed on the pump page's confirm form.
 *
 * The pump: 20 mL, alarm 2 mL, 250 mcg/day of 500 mcg/mL = 0.5 mL a day; filled with 20 mL on
 * 1 September 2026: alarm after 36 days (7 October), empty after 40 (11 October). Each test has
 * its own pump on Ann, filled that day.
 */
const FORM = {
  'performedOn-day': '31',
  'performedOn-month': '10',
  'performedOn-year': '2026',
  expectedResidualMl: '0',
  withdrawnMl: '0',
  drug: 'baclofen',
  concentrationMcgPerMl: '500',
  batch: 'LB2026-300',
  'expiresOn-day': '30',
  'expiresOn-month': '6',
  'expiresOn-year': '2027',
  instilledMl: '20',
  alarmMl: '2',
  changeProgramme: 'no',
  'np-mode': 'simple',
  'np-doseMcgPerDay': '250',
  'np-phase': 'maintenance',
  complicationNote: '',
  patientNote: '',
};

const SERVICE_REFILL = {
  performedOn: '2026-10-31',
  expectedResidualMl: 0,
  withdrawnMl: 0,
  concentrationMcgPerMl: 500,
  batch: 'LB2026-301',
  expiresOn: '2027-06-30',
  instilledMl: 20,
  alarmMl: 2,
};

function summaryLinks(body: string): string[] {
  return [...body.matchAll(/<a href="#([\w-]+)"/g)].map((m) => m[1] ?? '');
}

describe('refill page checks', () => {
  let t: TestApp;
  let nina: User;
  let nora: User;
  let carl: User;
  let patientId = '';
  const as = async (username: string) => {
    const b = new Browser(t);
    assert.equal((await b.signIn(username)).statusCode, 303, `sign in ${username}`);
    return b;
  };
  const refills = () => t.deps.services.refills;

  /**
   * A pump implanted on 1 August, 250 mcg/day of 500 mcg/mL, filled on 1 September (signed);
   * the clock then stands at 31 October, 60 days on.
   */
  const filledPump = async (serialNumber: string): Promise<string> => {
    const ctx = serviceContext(t.deps.database, t.clock, t.deps.config);
    t.clock.set('2026-09-01T10:00:00.000Z');
    const pumpId = (
      await registerPump(ctx, actorOf(nina, null), patientId, {
        modelId: 'synchromed-ii',
        reservoirMl: 20,
        serialNumber,
        implantedOn: '2026-08-01',
        surgeon: 'Mr A Khan',
        alarmMl: 2,
        origin: 'spinal',
      })
    ).id;
    const p = await proposePrescription(ctx, actorOf(carl, null), pumpId, {
      reason: 'Starting dose from a test dose given elsewhere',
      concentrationMcgPerMl: 500,
      phase: 'titration',
      programme: { mode: 'simple', doseMcgPerDay: 250, schedules: [], bolus: null },
    });
    await confirmPrescription(ctx, actorOf(nina, null), p.id, {});
    const first = await refills().record(actorOf(nina, null), pumpId, {
      ...SERVICE_REFILL,
      performedOn: '2026-09-01',
      expectedResidualMl: 5,
      withdrawnMl: 5,
    });
    await refills().sign(actorOf(carl, null), first.id, { version: first.version });
    t.clock.set('2026-10-31T10:00:00.000Z');
    return pumpId;
  };
  /** Nina's refill on 31 October of a pump that ran dry: RAN_DRY and AFTER_ALARM, not reviewed. */
  const ranDryRefill = async (pumpId: string): Promise<string> =>
    (await refills().record(actorOf(nina, null), pumpId, SERVICE_REFILL)).id;

  before(async () => {
    t = await startTestApp('sqlite');
    nina = await addTestUser(t, 'nurse-specialist', 'nina');
    nora = await addTestUser(t, 'nurse-specialist', 'nora');
    carl = await addTestUser(t, 'consultant', 'carl');
    patientId = (await registerAnn(t, nina)).id;
  });
  after(async () => {
    await t.close();
  });

  it('shows each flag, the software’s figure and the signs of withdrawal; no review form for the performer', async () => {
    const pumpId = await filledPump('NGP800001H');
    const b = await as('nina');
    const res = await b.post(`/pumps/${pumpId}/refills`, FORM, `/pumps/${pumpId}/refills/new`);
    assert.equal(res.statusCode, 303, res.body.slice(0, 1000));
    const refillId = /^\/refills\/([\w-]+)/.exec(String(res.headers.location))?.[1] ?? '';
    const page = await b.get(`/refills/${refillId}`);
    assert.match(page.body, /id="flag-RAN_DRY"[\s\S]*?The pump ran dry: review before signing/);
    assert.match(page.body, /The pump ran dry on 11 October 2026/);
    assert.match(page.body, /id="flag-AFTER_ALARM"[\s\S]*?7 October 2026/);
    assert.match(page.body, /id="withdrawal-signs"[\s\S]*?itching with no rash/);
    assert.match(page.body, /Expected residual \(software\)[\s\S]*?0 mL/);
    assert.match(page.body, /Ran dry on[\s\S]*?11 October 2026/);
    assert.doesNotMatch(page.body, /action="\/refills\/[\w-]+\/review"/);
    assert.doesNotMatch(page.body, /action="\/refills\/[\w-]+\/reject"/);
    assert.match(page.body, /must be reviewed before this refill can be signed, by someone other than you/);
  });

  it('the performer’s review is refused; another’s needs the withdrawal-signs answer', async () => {
    const pumpId = await filledPump('NGP800002H');
    const refillId = await ranDryRefill(pumpId);
    const mine = await (
      await as('nina')
    ).post(
      `/refills/${refillId}/review`,
      { reviewNote: 'Empty', withdrawalSignsChecked: 'yes', withdrawalSignsFound: 'None' },
      // The performer's refill page has no form: the token comes from the pump page.
      `/pumps/${pumpId}`,
    );
    assert.equal(mine.statusCode, 400);
    assert.match(mine.body, /The review must be by a different clinician from the one who did the refill/);
    const b = await as('nora');
    const page = await b.get(`/refills/${refillId}`);
    assert.match(page.body, /I have checked the patient for signs of baclofen withdrawal/);
    const missing = await b.post(
      `/refills/${refillId}/review`,
      { reviewNote: 'Empty on arrival' },
      `/refills/${refillId}`,
    );
    assert.equal(missing.statusCode, 400);
    assert.deepEqual(summaryLinks(missing.body).sort(), ['withdrawalSignsChecked', 'withdrawalSignsFound']);
    assert.equal((await findRefillById(t.deps.database.db, refillId))?.reviewNote, null);
  });

  it('the checker rejects the refill from its page: voided, with the reason, who and when', async () => {
    const pumpId = await filledPump('NGP800003H');
    const refillId = await ranDryRefill(pumpId);
    const own = await (
      await as('nina')
    ).post(`/refills/${refillId}/reject`, { 'reject-reason': 'Mine' }, `/pumps/${pumpId}`);
    assert.equal(own.statusCode, 400);
    assert.match(own.body, /Rejecting a refill must be by a different clinician/);
    const b = await as('carl');
    const page = await b.get(`/refills/${refillId}`);
    assert.match(page.body, /action="\/refills\/[\w-]+\/reject"/);
    const empty = await b.post(
      `/refills/${refillId}/reject`,
      { 'reject-reason': '' },
      `/refills/${refillId}`,
    );
    assert.equal(empty.statusCode, 400);
    assert.deepEqual(summaryLinks(empty.body), ['reject-reason']);
    assert.equal((await findRefillById(t.deps.database.db, refillId))?.state, 'recorded');
    const done = await b.post(
      `/refills/${refillId}/reject`,
      { 'reject-reason': 'Batch recorded from the wrong box' },
      `/refills/${refillId}`,
    );
    assert.equal(done.statusCode, 303, done.body.slice(0, 800));
    const voided = await b.get(String(done.headers.location));
    assert.match(voided.body, /Refill rejected: it is voided and kept in the history/);
    assert.match(
      voided.body,
      /id="voided"[\s\S]*?Rejected by Test consultant[\s\S]*?Batch recorded from the wrong box/,
    );
    assert.doesNotMatch(voided.body, /action="\/refills\/[\w-]+\/(sign|review|reject)"/);
    const pumpPage = await b.get(`/pumps/${pumpId}`);
    assert.match(pumpPage.body, /id="refill-history"[\s\S]*?Voided/);
  });

  it('a volume correction shows signed and corrected side by side and waits for another clinician', async () => {
    // Recorded, reviewed by another nurse with the withdrawal answer, signed by the consultant.
    const pumpId = await filledPump('NGP800004H');
    const again = await refills().record(actorOf(nina, null), pumpId, SERVICE_REFILL);
    const reviewed = await refills().review(actorOf(nora, null), again.id, {
      note: 'Empty on arrival',
      withdrawalSignsChecked: true,
      withdrawalSignsFound: 'None found',
    });
    await refills().sign(actorOf(carl, null), again.id, { version: reviewed.version });
    const b = await as('nina');
    const bad = await b.post(
      `/refills/${again.id}/amend-volumes`,
      { 'vol-reason': 'Syringe held 18 mL', 'vol-instilledMl': '18 mL', 'vol-alarmMl': '' },
      `/refills/${again.id}`,
    );
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(summaryLinks(bad.body), ['vol-instilledMl']);
    const res = await b.post(
      `/refills/${again.id}/amend-volumes`,
      { 'vol-reason': 'Syringe held 18 mL', 'vol-instilledMl': '18', 'vol-alarmMl': '' },
      `/refills/${again.id}`,
    );
    assert.equal(res.statusCode, 303, res.body.slice(0, 800));
    const page = await b.get(`/refills/${again.id}`);
    const table = /id="volume-comparison">[\s\S]*?<\/table>/.exec(page.body)?.[0] ?? '';
    assert.match(table, />Signed</);
    assert.match(table, />Corrected</);
    assert.match(table, /Volume instilled[\s\S]*?20 mL[\s\S]*?<strong>18 mL<\/strong>/);
    assert.match(page.body, /You proposed this correction: a different clinician must confirm or reject it/);
    assert.doesNotMatch(page.body, /amendments\/[\w-]+\/confirm/);
    const c = await as('carl');
    const checkerPage = await c.get(`/refills/${again.id}`);
    const confirmUrl =
      /action="(\/refills\/[\w-]+\/amendments\/[\w-]+\/confirm)"/.exec(checkerPage.body)?.[1] ?? '';
    assert.ok(confirmUrl);
    const own = await b.post(confirmUrl, {}, `/refills/${again.id}`);
    assert.equal(own.statusCode, 400);
    assert.match(own.body, /confirmed or rejected by a different clinician/);
    const ok = await c.post(confirmUrl, { 'confirm-vol-note': 'Log agrees' }, `/refills/${again.id}`);
    assert.equal(ok.statusCode, 303, ok.body.slice(0, 800));
    const after = await c.get(String(ok.headers.location));
    assert.match(after.body, /Volume correction confirmed/);
    // 18 mL at 0.5: (18 − 2) ÷ 0.5 = 32 days after 31 October: 2 December 2026.
    assert.match(after.body, /Low-reservoir alarm date[\s\S]*?2 December 2026/);
    assert.match(after.body, /Volume instilled: 20 mL → 18 mL/);
    assert.match(after.body, /Confirmed by Test consultant/);
  });

  it('the pump page’s confirm form asks the date the pump was reprogrammed, today by default', async () => {
    const pumpId = await filledPump('NGP800005H');
    t.clock.set('2026-11-06T10:00:00.000Z');
    const ctx = serviceContext(t.deps.database, t.clock, t.deps.config);
    const p = await proposePrescription(ctx, actorOf(nina, null), pumpId, {
      reason: 'Spasms at night',
      concentrationMcgPerMl: 500,
      phase: 'maintenance',
      programme: { mode: 'simple', doseMcgPerDay: 275, schedules: [], bolus: null },
    });
    const c = await as('carl');
    const page = await c.get(`/pumps/${pumpId}`);
    assert.match(page.body, /Date the pump was reprogrammed/);
    assert.match(page.body, /name="confirm-programmedOn-day"[^>]*value="6"/);
    assert.match(page.body, /name="confirm-programmedOn-month"[^>]*value="11"/);
    assert.match(page.body, /name="confirm-programmedOn-year"[^>]*value="2026"/);
    const future = await c.post(
      `/prescriptions/${p.id}/confirm`,
      {
        'confirm-programmedOn-day': '7',
        'confirm-programmedOn-month': '11',
        'confirm-programmedOn-year': '2026',
      },
      `/pumps/${pumpId}`,
    );
    assert.equal(future.statusCode, 400);
    assert.deepEqual(summaryLinks(future.body), ['confirm-programmedOn']);
    assert.match(future.body, /today or in the past/);
    assert.match(future.body, /name="confirm-programmedOn-day"[^>]*value="7"/);
    assert.equal((await findPrescriptionById(t.deps.database.db, p.id))?.state, 'pending');
    const ok = await c.post(
      `/prescriptions/${p.id}/confirm`,
      {
        'confirm-programmedOn-day': '6',
        'confirm-programmedOn-month': '11',
        'confirm-programmedOn-year': '2026',
      },
      `/pumps/${pumpId}`,
    );
    assert.equal(ok.statusCode, 303, ok.body.slice(0, 800));
    const confirmed = await findPrescriptionById(t.deps.database.db, p.id);
    assert.equal(confirmed?.state, 'active');
    assert.equal(confirmed.programmedOn, '2026-11-06');
  });
});
