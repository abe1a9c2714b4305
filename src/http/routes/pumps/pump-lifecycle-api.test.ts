import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DIALECTS } from '../../../../test/support/databases.ts';
import { pumpsApiCalls, type Body } from '../../../../test/support/pumps-api-fixtures.ts';
import {
  addTestUser,
  apiTokenFor,
  registerAnn,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';

/** The test clock's today is Tuesday 24 November 2026. */
const PUMP = {
  modelId: 'synchromed-ii',
  reservoirMl: 20,
  implantedOn: '2026-06-01',
  surgeon: 'Mr P Jones',
  alarmMl: 2,
  origin: 'spinal',
};

for (const dialect of DIALECTS) {
  describe(`pump end and pause API on ${dialect}`, () => {
    let t: TestApp;
    let nurseToken = '';
    let consultantToken = '';
    let bookingToken = '';
    let patientId = '';
    let serial = 0;

    const { api, ok, refused, ...calls } = pumpsApiCalls(() => t);
    const conflict = (url: string, token: string, payload: unknown, reason?: string) =>
      calls.conflict(url, token, payload, 'INVALID_STATE', reason);
    const newPump = async () => {
      serial += 1;
      const pump = await ok('POST', `/patients/${patientId}/pumps`, nurseToken, 201, {
        ...PUMP,
        serialNumber: `NGP88${String(serial)}H`,
      });
      return pump.id as string;
    };
    const listed = async (pumpId: string) =>
      ((await ok('GET', '/worklist', nurseToken, 200)).entries as Body[]).find((e) => e.pumpId === pumpId);

    before(async () => {
      t = await startTestApp(dialect);
      const nurse = await addTestUser(t, 'nurse-specialist', 'nina');
      nurseToken = await apiTokenFor(t, nurse);
      consultantToken = await apiTokenFor(t, await addTestUser(t, 'consultant', 'carl'));
      bookingToken = await apiTokenFor(t, await addTestUser(t, 'booking-coordinator', 'bea'));
      patientId = (await registerAnn(t, nurse)).id;
    });
    after(async () => {
      await t.close();
    });

    it('an end request keeps the pump listed, marked as ending, until a different clinician confirms it', async () => {
      const pumpId = await newPump();
      const url = `/pumps/${pumpId}/end-requests`;
      await refused(url, nurseToken, { kind: 'explant', endedOn: '2026-11-24' }, 'reason');
      await refused(
        url,
        nurseToken,
        { kind: 'explant', endedOn: '2026-11-25', reason: 'Removed' },
        'endedOn',
      );
      await refused(url, nurseToken, { kind: 'replacement', endedOn: '2026-11-24', reason: 'x' }, 'kind');
      await refused(url, nurseToken, { kind: 5, endedOn: [], reason: {} }, 'kind');
      await refused(url, nurseToken, ['explant'], 'body');
      assert.equal((await api('POST', url, bookingToken, {})).statusCode, 403);
      assert.equal((await api('POST', '/pumps/nope/end-requests', nurseToken, {})).statusCode, 404);

      const request = await ok('POST', url, nurseToken, 201, {
        kind: 'death',
        endedOn: '2026-11-22',
        reason: 'Died at home; GP letter received',
      });
      assert.equal(request.state, 'pending');
      assert.equal(request.kind, 'death');
      await conflict(
        url,
        consultantToken,
        { kind: 'explant', endedOn: '2026-11-22', reason: 'Again' },
        'END_REQUEST_PENDING',
      );

      const o = await ok('GET', `/pumps/${pumpId}`, bookingToken, 200);
      assert.equal((o.pump as Body).state, 'implanted');
      assert.equal((o.endRequest as Body).id, request.id);
      const entry = await listed(pumpId);
      assert.deepEqual(entry?.endRequest, { kind: 'death', label: 'Patient died' });
      assert.equal(entry.status, 'no-plan');
      assert.equal((await ok('GET', '/worklist', nurseToken, 200)).ending, 1);

      const confirm = `/pump-end-requests/${request.id as string}/confirm`;
      await refused(confirm, nurseToken, {}, 'checkedBy', /different clinician/);
      assert.equal((await api('POST', confirm, bookingToken, {})).statusCode, 403);
      assert.equal(
        (await api('POST', '/pump-end-requests/nope/confirm', consultantToken, {})).statusCode,
        404,
      );
      const done = await ok('POST', confirm, consultantToken, 200, { note: 'Checked with the GP' });
      assert.equal((done.request as Body).state, 'confirmed');
      assert.equal((done.request as Body).decisionNote, 'Checked with the GP');
      assert.equal((done.pump as Body).state, 'deceased');
      assert.equal((done.pump as Body).endedOn, '2026-11-22');
      assert.equal(await listed(pumpId), undefined);
      await conflict(confirm, consultantToken, {}, 'END_REQUEST_DECIDED');

      // Put back after a mistake: asked for, then confirmed by someone else.
      const correction = await ok('POST', `/pumps/${pumpId}/end-corrections`, nurseToken, 201, {
        reason: 'Wrong patient: a namesake died',
      });
      assert.equal(correction.kind, 'correction');
      assert.equal(correction.previousState, 'deceased');
      const back = await ok(
        'POST',
        `/pump-end-requests/${correction.id as string}/confirm`,
        consultantToken,
        200,
        {},
      );
      assert.equal((back.pump as Body).state, 'implanted');
      assert.equal((back.pump as Body).endedOn, null);
      assert.ok(await listed(pumpId));
      await conflict(`/pumps/${pumpId}/end-corrections`, nurseToken, { reason: 'Nothing to correct' });
      const history = (await ok('GET', `/pumps/${pumpId}`, nurseToken, 200)).endRequests as Body[];
      assert.deepEqual(history.map((r) => r.kind).sort(), ['correction', 'death']);
    });

    it('a rejection needs a reason and changes nothing', async () => {
      const pumpId = await newPump();
      const request = await ok('POST', `/pumps/${pumpId}/end-requests`, nurseToken, 201, {
        kind: 'transfer',
        endedOn: '2026-11-24',
        reason: 'Moving to Sheffield',
      });
      const reject = `/pump-end-requests/${request.id as string}/reject`;
      await refused(reject, consultantToken, {}, 'reason');
      const rejected = await ok('POST', reject, consultantToken, 200, { reason: 'Not accepted there yet' });
      assert.equal(rejected.state, 'rejected');
      const o = await ok('GET', `/pumps/${pumpId}`, nurseToken, 200);
      assert.equal((o.pump as Body).state, 'implanted');
      assert.equal(o.endRequest, null);
      assert.equal((await listed(pumpId))?.endRequest, null);
    });

    it('an explant, death or transfer posted as a plain event is refused, naming kind', async () => {
      const pumpId = await newPump();
      for (const kind of ['explant', 'death', 'transfer']) {
        await refused(
          `/pumps/${pumpId}/events`,
          nurseToken,
          { kind, occurredOn: '2026-11-24' },
          'kind',
          /request to end the pump: it leaves the worklist only when a second clinician confirms it/,
        );
      }
      for (const kind of ['paused', 'resumed', 'end-corrected']) {
        await refused(`/pumps/${pumpId}/events`, nurseToken, { kind, occurredOn: '2026-11-24' }, 'kind');
      }
      assert.deepEqual((await ok('GET', `/pumps/${pumpId}`, nurseToken, 200)).events, []);
    });

    it('pauses a pump: listed as paused with its resume date, then resumed', async () => {
      const pumpId = await newPump();
      const pause = `/pumps/${pumpId}/pause`;
      await refused(
        pause,
        nurseToken,
        { reason: 'mri', emptied: false, pausedOn: '2026-11-24', resumeBy: '2027-03-01' },
        'resumeBy',
      );
      await refused(
        pause,
        nurseToken,
        { reason: 'other', emptied: false, pausedOn: '2026-11-24', resumeBy: '2026-12-01' },
        'note',
      );
      await refused(
        pause,
        nurseToken,
        { reason: 'mri', emptied: false, pausedOn: 'tomorrow', resumeBy: '2026-12-01' },
        'pausedOn',
      );
      // Whether the reservoir was emptied is required, as a JSON true or false.
      await refused(
        pause,
        nurseToken,
        { reason: 'mri', pausedOn: '2026-11-24', resumeBy: '2026-12-01' },
        'emptied',
      );
      await refused(
        pause,
        nurseToken,
        { reason: 'mri', emptied: 'no', pausedOn: '2026-11-24', resumeBy: '2026-12-01' },
        'emptied',
      );
      assert.equal((await api('POST', pause, bookingToken, {})).statusCode, 403);
      const p = await ok('POST', pause, nurseToken, 201, {
        reason: 'surgery',
        emptied: false,
        note: 'Spinal surgery; oral baclofen cover',
        pausedOn: '2026-11-24',
        resumeBy: '2026-12-08',
      });
      assert.equal(p.resumedOn, null);
      assert.equal(p.emptied, false);
      await conflict(pause, nurseToken, {
        reason: 'mri',
        emptied: true,
        pausedOn: '2026-11-24',
        resumeBy: '2026-12-01',
      });
      const entry = await listed(pumpId);
      assert.equal(entry?.status, 'paused');
      assert.equal(entry.escalated, false);
      // 24 November → 8 December: 14 days.
      assert.equal(entry.daysLeft, 14);
      assert.deepEqual(entry.pause, { pausedOn: '2026-11-24', resumeBy: '2026-12-08' });
      const o = await ok('GET', `/pumps/${pumpId}`, nurseToken, 200);
      assert.equal((o.refillStanding as Body).status, 'paused');
      assert.equal((o.refillStanding as Body).resumeBy, '2026-12-08');
      assert.equal((o.pump as Body).resumeBy, '2026-12-08');
      assert.equal((o.pause as Body).id, p.id);
      assert.equal((o.pause as Body).emptied, false);
      assert.deepEqual(
        (o.pauses as Body[]).map((x) => x.emptied),
        [false],
      );

      await refused(`/pumps/${pumpId}/resume`, nurseToken, { resumedOn: '2026-11-23' }, 'resumedOn');
      const resumed = await ok('POST', `/pumps/${pumpId}/resume`, nurseToken, 200, {
        resumedOn: '2026-11-24',
      });
      assert.equal(resumed.resumedOn, '2026-11-24');
      assert.equal((await listed(pumpId))?.status, 'no-plan');
      await conflict(`/pumps/${pumpId}/resume`, nurseToken, { resumedOn: '2026-11-24' }, 'PUMP_NOT_PAUSED');
    });

    it('describes the new operations in the OpenAPI document', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
      const doc = res.json<{ paths: Record<string, Record<string, unknown>> }>();
      for (const path of [
        '/api/v1/pumps/{pumpId}/end-requests',
        '/api/v1/pumps/{pumpId}/end-corrections',
        '/api/v1/pump-end-requests/{id}/confirm',
        '/api/v1/pump-end-requests/{id}/reject',
        '/api/v1/pumps/{pumpId}/pause',
        '/api/v1/pumps/{pumpId}/resume',
      ]) {
        assert.ok(doc.paths[path]?.post, `post ${path} missing`);
      }
      assert.match(JSON.stringify(doc.paths['/api/v1/pumps/{pumpId}/pause']?.post), /emptied/);
      assert.match(JSON.stringify(doc.paths['/api/v1/pump-end-requests/{id}/confirm']?.post), /replacement/);
      const worklist = JSON.stringify(doc.paths['/api/v1/worklist']?.get);
      assert.match(worklist, /resume-overdue/);
      assert.match(worklist, /Ending: awaiting confirmation/);
    });
  });
}
