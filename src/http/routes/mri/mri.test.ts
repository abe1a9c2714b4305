import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DIALECTS } from '../../../../test/support/databases.ts';
import { FIRST_PRESCRIPTION, pumpsApiCalls, type Body } from '../../../../test/support/pumps-api-fixtures.ts';
import {
  addTestUser,
  apiTokenFor,
  Browser,
  registerAnn,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';

/** The test clock's today is Tuesday 24 November 2026, 10:00 GMT. */
const PUMP = {
  reservoirMl: 20,
  implantedOn: '2026-06-01',
  surgeon: 'Mr P Jones',
  alarmMl: 2,
  origin: 'spinal',
};
const SM_STEPS = ['cover', 'conditions', 'check-booked', 'patient-told'];

for (const dialect of DIALECTS) {
  describe(`MRI API on ${dialect}`, () => {
    let t: TestApp;
    let nurseToken = '';
    let bookingToken = '';
    let patientId = '';
    let serial = 0;
    const { api, ok, refused, ...calls } = pumpsApiCalls(() => t);
    const conflict = (url: string, token: string, payload: unknown, reason: string) =>
      calls.conflict(url, token, payload, 'INVALID_STATE', reason);
    const newPump = async (modelId: string) => {
      serial += 1;
      const pump = await ok('POST', `/patients/${patientId}/pumps`, nurseToken, 201, {
        ...PUMP,
        modelId,
        serialNumber: `MRI77${String(serial)}H`,
      });
      return pump.id as string;
    };

    before(async () => {
      t = await startTestApp(dialect);
      const nurse = await addTestUser(t, 'nurse-specialist', 'nina');
      nurseToken = await apiTokenFor(t, nurse);
      bookingToken = await apiTokenFor(t, await addTestUser(t, 'booking-coordinator', 'bea'));
      patientId = (await registerAnn(t, nurse)).id;
    });
    after(async () => {
      await t.close();
    });

    it('plan, scan and check a SynchroMed pump, with 400s and 409s on the way', async () => {
      const pumpId = await newPump('synchromed-ii');
      const view = await ok('GET', `/pumps/${pumpId}/mri`, bookingToken, 200);
      assert.equal((view.rules as Body).kind, 'interrogate-after');
      assert.equal(view.open, null);

      const plans = `/pumps/${pumpId}/mri-plans`;
      await refused(
        plans,
        nurseToken,
        { plannedOn: '2026-11-24', confirmedSteps: ['cover'] },
        'confirmedSteps',
      );
      await refused(
        plans,
        nurseToken,
        { plannedOn: '2026-11-24', fieldStrengthTesla: 7, confirmedSteps: SM_STEPS },
        'fieldStrengthTesla',
      );
      await refused(plans, nurseToken, { plannedOn: 'soon', confirmedSteps: SM_STEPS }, 'plannedOn');
      assert.equal((await api('POST', plans, bookingToken, {})).statusCode, 403);
      assert.equal(
        (
          await api('POST', '/pumps/nope/mri-plans', nurseToken, {
            plannedOn: '2026-11-24',
            confirmedSteps: SM_STEPS,
          })
        ).statusCode,
        404,
      );
      const plan = await ok('POST', plans, nurseToken, 201, {
        plannedOn: '2026-11-24',
        fieldStrengthTesla: 1.5,
        confirmedSteps: SM_STEPS,
      });
      await conflict(
        plans,
        nurseToken,
        { plannedOn: '2026-11-25', confirmedSteps: SM_STEPS },
        'MRI_PLAN_OPEN',
      );

      const id = plan.id as string;
      await conflict(`/mri-scans/${id}/check`, nurseToken, {}, 'MRI_SCAN_NOT_RECORDED');
      await refused(`/mri-scans/${id}/scan`, nurseToken, { scannedAt: '2026-11-23T09:00:00Z' }, 'scannedAt');
      await refused(`/mri-scans/${id}/scan`, nurseToken, { scannedAt: '2026-11-24T09:00' }, 'scannedAt');
      const scanned = await ok('POST', `/mri-scans/${id}/scan`, nurseToken, 200, {
        scannedAt: '2026-11-24T09:00:00Z',
      });
      assert.equal(scanned.checkDueAt, '2026-11-25T00:00:00.000Z');
      await conflict(
        `/mri-scans/${id}/scan`,
        nurseToken,
        { scannedAt: '2026-11-24T09:00:00Z' },
        'MRI_NOT_PLANNED',
      );

      const pending = await ok('GET', '/mri-checks', bookingToken, 200);
      assert.deepEqual(
        (pending.checks as Body[]).map((c) => [c.pumpId, c.overdue]),
        [[pumpId, false]],
      );

      const check = {
        checkedAt: '2026-11-24T09:45:00Z',
        pumpRunning: true,
        rotorCheck: 'passed',
        logsReviewed: true,
        reservoirMl: 11.5,
      };
      await refused(
        `/mri-scans/${id}/check`,
        nurseToken,
        { ...check, checkedAt: '2026-11-24T08:59:00Z' },
        'checkedAt',
      );
      await refused(`/mri-scans/${id}/check`, nurseToken, { ...check, rotorCheck: 'stalled' }, 'findings');
      const done = await ok('POST', `/mri-scans/${id}/check`, nurseToken, 200, check);
      assert.equal(done.state, 'checked');
      await conflict(`/mri-scans/${id}/check`, nurseToken, check, 'MRI_CHECK_DONE');
      assert.deepEqual((await ok('GET', '/mri-checks', nurseToken, 200)).checks, []);
      assert.equal((await api('POST', '/mri-scans/nope/check', nurseToken, check)).statusCode, 404);
    });

    it('a Prometra check waits for its refill', async () => {
      const pumpId = await newPump('prometra-ii');
      await ok('POST', `/pumps/${pumpId}/prescriptions`, nurseToken, 201, FIRST_PRESCRIPTION);
      const plan = await ok('POST', `/pumps/${pumpId}/mri-plans`, nurseToken, 201, {
        plannedOn: '2026-11-24',
        confirmedSteps: ['empty', 'conditions', 'cover', 'refill-booked'],
      });
      const id = plan.id as string;
      await ok('POST', `/mri-scans/${id}/scan`, nurseToken, 200, { scannedAt: '2026-11-24T08:00:00Z' });
      await conflict(
        `/mri-scans/${id}/check`,
        nurseToken,
        { checkedAt: '2026-11-24T09:30:00Z', pumpRunning: true, reservoirMl: 20 },
        'MRI_REFILL_NOT_RECORDED',
      );
    });

    it('appears in the OpenAPI document', async () => {
      const doc = await ok('GET', '/openapi.json', nurseToken, 200);
      const paths = Object.keys(doc.paths as Body);
      for (const p of [
        '/api/v1/pumps/{pumpId}/mri',
        '/api/v1/pumps/{pumpId}/mri-plans',
        '/api/v1/mri-scans/{id}/scan',
        '/api/v1/mri-scans/{id}/check',
        '/api/v1/mri-checks',
      ]) {
        assert.ok(paths.includes(p), p);
      }
    });
  });
}

describe('MRI pages', () => {
  let t: TestApp;
  let nurse: Browser;
  let booking: Browser;
  let pumpId = '';

  before(async () => {
    t = await startTestApp('sqlite');
    const n = await addTestUser(t, 'nurse-specialist', 'nina');
    await addTestUser(t, 'booking-coordinator', 'bea');
    const patientId = (await registerAnn(t, n)).id;
    const token = await apiTokenFor(t, n);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/patients/${patientId}/pumps`,
      headers: { authorization: `Bearer ${token}` },
      payload: { ...PUMP, modelId: 'synchromed-ii', serialNumber: 'MRIPAGE1H' },
    });
    pumpId = res.json<{ id: string }>().id;
    nurse = new Browser(t);
    await nurse.signIn('nina');
    booking = new Browser(t);
    await booking.signIn('bea');
  });
  after(async () => {
    await t.close();
  });

  it('plans with the checklist, shows problems beside the form, records the scan and lists the check', async () => {
    const page = `/pumps/${pumpId}/mri`;
    const shown = await nurse.get(page);
    assert.equal(shown.statusCode, 200);
    assert.match(shown.body, /Interrogate the pump after every scan|interrogate the pump after the scan/i);
    const bad = await nurse.post(
      `/pumps/${pumpId}/mri-plans`,
      {
        'plan-plannedOn-day': '24',
        'plan-plannedOn-month': '11',
        'plan-plannedOn-year': '2026',
        'plan-confirmedSteps': ['cover'],
      },
      page,
    );
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Confirm every step before the scan/);
    assert.match(bad.body, /href="#plan-confirmedSteps"/);
    const good = await nurse.post(
      `/pumps/${pumpId}/mri-plans`,
      {
        'plan-plannedOn-day': '24',
        'plan-plannedOn-month': '11',
        'plan-plannedOn-year': '2026',
        'plan-confirmedSteps': SM_STEPS,
      },
      page,
    );
    assert.equal(good.statusCode, 303);
    const planned = await nurse.get(page);
    const id = /action="\/mri-scans\/([^/]+)\/scan"/.exec(planned.body)?.[1] ?? '';
    assert.ok(id);
    const early = await nurse.post(
      `/mri-scans/${id}/scan`,
      {
        'scan-scannedAt-day': '24',
        'scan-scannedAt-month': '11',
        'scan-scannedAt-year': '2026',
        'scan-scannedAt-time': '23:00',
      },
      page,
    );
    assert.equal(early.statusCode, 400);
    assert.match(early.body, /Scan time must be now or in the past/);
    const scan = await nurse.post(
      `/mri-scans/${id}/scan`,
      {
        'scan-scannedAt-day': '24',
        'scan-scannedAt-month': '11',
        'scan-scannedAt-year': '2026',
        'scan-scannedAt-time': '09:00',
      },
      page,
    );
    assert.equal(scan.statusCode, 303);
    const pumpPage = await booking.get(`/pumps/${pumpId}`);
    assert.match(pumpPage.body, /id="mri-check-waiting"/);
    const worklist = await booking.get('/worklist');
    assert.match(worklist.body, /id="mri-checks"/);
    assert.match(worklist.body, new RegExp(`href="/pumps/${pumpId}/mri"`));
    // The booking coordinator may read the MRI page but not record on it.
    const readOnly = await booking.get(page);
    assert.doesNotMatch(readOnly.body, /Record the post-scan check/);
    assert.equal((await booking.post(`/mri-scans/${id}/check`, {}, page)).statusCode, 403);
  });
});
