import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  addTestUser,
  apiTokenFor,
  registerAnn,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';

interface Body {
  readonly [key: string]: unknown;
}
interface ApiError {
  readonly error: { readonly code: string; readonly fields?: readonly { field: string; message: string }[] };
}

/**
 * The refill checks through the API: flags and warnings on a refill, the review by someone other
 * than the performer with the withdrawal-signs answer, the checker's rejection, volume
 * corrections confirmed by a second clinician, and the day a confirmed change was programmed.
 *
 * The pump: 20 mL, alarm at 2 mL, 250 mcg/day of 500 mcg/mL = 0.5 mL a day. A 20 mL fill
 * reaches its alarm in (20 − 2) ÷ 0.5 = 36 days and is empty in 20 ÷ 0.5 = 40 days.
 */
const refill = (performedOn: string, expected: number, withdrawn: number) => ({
  performedOn,
  expectedResidualMl: expected,
  withdrawnMl: withdrawn,
  concentrationMcgPerMl: 500,
  batch: 'LIO-3001',
  expiresOn: '2027-06-30',
  instilledMl: 20,
  alarmMl: 2,
});

describe('refill checks API on sqlite', () => {
  let t: TestApp;
  let nurse = '';
  let nurse2 = '';
  let consultant = '';
  let pumpId = '';
  let refillId = '';

  /** A GET without a payload, a POST with one. */
  const api = (url: string, token: string, payload?: unknown) =>
    t.app.inject({
      method: payload === undefined ? 'GET' : 'POST',
      url: `/api/v1${url}`,
      headers: { authorization: `Bearer ${token}` },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
  const ok = async (url: string, token: string, status: number, payload?: unknown): Promise<Body> => {
    const res = await api(url, token, payload);
    assert.equal(res.statusCode, status, res.body);
    return res.json<Body>();
  };
  const refused = async (url: string, token: string, payload: unknown, ...fields: string[]) => {
    const res = await api(url, token, payload);
    assert.equal(res.statusCode, 400, res.body);
    const body = res.json<ApiError>();
    assert.equal(body.error.code, 'VALIDATION_FAILED');
    for (const field of fields) {
      assert.ok(
        body.error.fields?.some((f) => f.field === field),
        `expected an error on ${field}: ${res.body}`,
      );
    }
  };
  const codes = (r: Body) => (r.flags as { code: string }[]).map((f) => f.code);
  const pump = async () => (await ok(`/pumps/${pumpId}`, consultant, 200)).pump as Body;

  before(async () => {
    t = await startTestApp('sqlite');
    t.clock.set('2026-09-01T10:00:00.000Z');
    const n1 = await addTestUser(t, 'nurse-specialist', 'nina');
    const n2 = await addTestUser(t, 'nurse-specialist', 'nora');
    const c = await addTestUser(t, 'consultant', 'carl');
    nurse = await apiTokenFor(t, n1);
    nurse2 = await apiTokenFor(t, n2);
    consultant = await apiTokenFor(t, c);
    const patient = await registerAnn(t, n1);
    pumpId = (
      await ok(`/patients/${patient.id}/pumps`, nurse, 201, {
        modelId: 'synchromed-ii',
        reservoirMl: 20,
        serialNumber: 'NGP700001H',
        implantedOn: '2026-08-01',
        surgeon: 'Mr P Jones',
        alarmMl: 2,
        origin: 'spinal',
      })
    ).id as string;
    const p = await ok(`/pumps/${pumpId}/prescriptions`, nurse, 201, {
      concentrationMcgPerMl: 500,
      programme: { mode: 'simple', doseMcgPerDay: 250 },
      phase: 'titration',
      reason: 'Test dose given at another centre',
    });
    await ok(`/prescriptions/${p.id as string}/confirm`, consultant, 200, {});
    const first = await ok(`/pumps/${pumpId}/refills`, nurse, 201, refill('2026-09-01', 5, 5));
    await ok(`/refills/${first.id as string}/sign`, consultant, 200, { version: first.version });
  });
  after(async () => {
    await t.close();
  });

  // One journey through the API: each step uses what the step before it made, so the steps run

  // in order inside one test, and the test runs alone or in any order among the others.

  it('runs as one journey, each step in order', async (journey) => {
    await journey.test(
      'a refill 60 days on reports RAN_DRY (15 days before) and AFTER_ALARM as flags and warnings',
      async () => {
        t.clock.set('2026-10-31T10:00:00.000Z');
        const r = await ok(`/pumps/${pumpId}/refills`, nurse, 201, refill('2026-10-31', 0, 0));
        refillId = r.id as string;
        // 20 ÷ 0.5 = 40 days after 1 September = 11 October; alarm 36 days after = 7 October.
        assert.deepEqual(codes(r), ['RAN_DRY', 'AFTER_ALARM']);
        assert.deepEqual(r.warnings, r.flags);
        assert.equal(r.ranDryOn, '2026-10-11');
        assert.equal(r.softwareExpectedMl, 0);
        assert.equal(r.flagged, true);
        assert.equal(r.state, 'recorded');
        const view = await ok(`/refills/${refillId}`, consultant, 200);
        assert.equal(view.needsWithdrawalCheck, true);
        assert.equal(view.needsReview, true);
      },
    );

    await journey.test(
      'the review is refused to the performer and without the withdrawal-signs answer',
      async () => {
        const url = `/refills/${refillId}/review`;
        const note = 'Reservoir empty; patient seen.';
        await refused(
          url,
          nurse,
          { note, withdrawalSignsChecked: true, withdrawalSignsFound: 'none' },
          'reviewedBy',
        );
        await refused(url, nurse2, { note }, 'withdrawalSignsChecked', 'withdrawalSignsFound');
        await refused(
          url,
          nurse2,
          { note, withdrawalSignsChecked: 'maybe', withdrawalSignsFound: 'none' },
          'withdrawalSignsChecked',
        );
        const view = await ok(`/refills/${refillId}`, consultant, 200);
        assert.equal((view.refill as Body).reviewNote, null);
      },
    );

    await journey.test(
      'the checker rejects it with a reason: voided, kept, and the pump’s dates go back',
      async () => {
        const url = `/refills/${refillId}/reject`;
        // The unsigned fill (alarm 36 days after 31 October) did not bring the dates forward: the
        // signed fill's alarm, 7 October, was earlier.
        assert.equal((await pump()).alarmOn, '2026-10-07');
        await refused(url, nurse, { reason: 'Wrong' }, 'checkedBy');
        await refused(url, consultant, {}, 'reason');
        await refused(url, consultant, [1, 2], 'body');
        const voided = await ok(url, consultant, 200, { reason: 'Recorded against the wrong batch' });
        assert.equal(voided.state, 'voided');
        assert.equal(voided.voidReason, 'Recorded against the wrong batch');
        assert.equal(voided.expectedResidualMl, 0);
        const view = await ok(`/refills/${refillId}`, nurse, 200);
        assert.match(String(view.voidedByName), /Test consultant/);
        const p = await pump();
        assert.equal(p.alarmOn, '2026-10-07');
        assert.equal(p.refillDueBy, '2026-09-30');
        const rows = (await ok(`/pumps/${pumpId}`, nurse, 200)).refills as Body[];
        assert.equal(rows[0]?.state, 'voided');
        const again = await api(url, consultant, { reason: 'again' });
        assert.equal(again.statusCode, 409);
        assert.equal(again.json<ApiError>().error.code, 'INVALID_STATE');
      },
    );

    await journey.test(
      'recorded again, reviewed by another with the withdrawal answer, then signed',
      async () => {
        const r = await ok(`/pumps/${pumpId}/refills`, nurse, 201, refill('2026-10-31', 0, 0));
        refillId = r.id as string;
        const reviewed = await ok(`/refills/${refillId}/review`, nurse2, 200, {
          note: 'Reservoir empty; patient seen.',
          withdrawalSignsChecked: true,
          withdrawalSignsFound: 'Itching and rebound spasms; team told, pump refilled',
        });
        assert.equal(reviewed.withdrawalSignsChecked, true);
        const signed = await ok(`/refills/${refillId}/sign`, consultant, 200, { version: reviewed.version });
        assert.equal(signed.state, 'signed');
        // The new fill: 20 mL on 31 October: alarm 36 days after, 6 December; due 29 November.
        assert.equal((await pump()).alarmOn, '2026-12-06');
      },
    );

    await journey.test(
      'a volume correction is pending until a different clinician confirms it; then the dates move',
      async () => {
        t.clock.set('2026-11-02T10:00:00.000Z');
        const url = `/refills/${refillId}/amend`;
        await refused(url, nurse, { instilledMl: 18 }, 'reason');
        await refused(
          url,
          nurse,
          { reason: 'Syringe held 18 mL', instilledMl: 18, batch: 'X' },
          'instilledMl',
        );
        await refused(url, nurse, { reason: 'Syringe held 18 mL', instilledMl: '18 mL' }, 'instilledMl');
        const a = await ok(url, nurse, 201, { reason: 'Syringe held 18 mL', instilledMl: 18 });
        assert.equal(a.state, 'pending');
        assert.deepEqual(a.changes, [{ field: 'instilledMl', old: '20', new: '18' }]);
        const view = await ok(`/refills/${refillId}`, consultant, 200);
        assert.equal((view.pendingAmendment as Body).id, a.id);
        assert.equal((await pump()).alarmOn, '2026-12-06');
        const confirm = `/refills/${refillId}/amendments/${a.id as string}/confirm`;
        await refused(confirm, nurse, {}, 'checkedBy');
        const missing = await api(`/refills/${refillId}/amendments/nope/confirm`, consultant, {});
        assert.equal(missing.statusCode, 404);
        const corrected = await ok(confirm, consultant, 200, { note: 'Checked against the log' });
        // 18 mL at 0.5: (18 − 2) ÷ 0.5 = 32 days after 31 October = 2 December; due 25 November.
        assert.equal(corrected.instilledMl, 18);
        assert.equal(corrected.alarmOn, '2026-12-02');
        const p = await pump();
        assert.equal(p.alarmOn, '2026-12-02');
        assert.equal(p.refillDueBy, '2026-11-25');
        const again = await api(confirm, nurse2, {});
        assert.equal(again.statusCode, 409);
      },
    );

    await journey.test(
      'a change is confirmed with the day the pump was reprogrammed, and planned from it',
      async () => {
        const p = await ok(`/pumps/${pumpId}/prescriptions`, nurse, 201, {
          concentrationMcgPerMl: 500,
          programme: { mode: 'simple', doseMcgPerDay: 500 },
          phase: 'maintenance',
          reason: 'Severe spasms; doubled after review',
        });
        t.clock.set('2026-11-06T10:00:00.000Z');
        const confirm = `/prescriptions/${p.id as string}/confirm`;
        await refused(confirm, consultant, { programmedOn: '2026-13-01' }, 'programmedOn');
        await refused(confirm, consultant, { programmedOn: '2026-11-07' }, 'programmedOn');
        await refused(confirm, consultant, { programmedOn: 20261102 }, 'programmedOn');
        const done = await ok(confirm, consultant, 200, { programmedOn: '2026-11-02' });
        assert.equal(done.programmedOn, '2026-11-02');
        // 18 mL on 31 October; 0.5 mL on 31 October and 1 November leaves 17 mL; from 2 November
        // 1.0 mL a day: (17 − 2) ÷ 1.0 = 15 → 2 + 15 = 17 days → 17 November; due 10 November.
        // (From the confirmation on 6 November it would be 19 days: 19 November.)
        const pumpNow = await pump();
        assert.equal(pumpNow.alarmOn, '2026-11-17');
        assert.equal(pumpNow.refillDueBy, '2026-11-10');
      },
    );

    await journey.test('documents the new routes', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
      const doc = res.json<{ paths: Record<string, unknown> }>();
      assert.ok(doc.paths['/api/v1/refills/{id}/reject']);
      assert.ok(doc.paths['/api/v1/refills/{id}/amendments/{amendmentId}/confirm']);
      assert.ok(doc.paths['/api/v1/refills/{id}/amendments/{amendmentId}/reject']);
    });
  });
});
