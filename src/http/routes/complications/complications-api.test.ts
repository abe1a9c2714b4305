import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DIALECTS } from '../../../../test/support/databases.ts';
import { pumpsApiCalls, type ApiError, type Body } from '../../../../test/support/pumps-api-fixtures.ts';
import {
  addTestUser,
  apiTokenFor,
  registerAnn,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';
import { createPatient } from '../../../services/patient-service.ts';
import { actorOf } from '../../../services/audit-service.ts';

/** The test clock's today is Tuesday 24 November 2026. */
const PUMP = {
  modelId: 'synchromed-ii',
  reservoirMl: 20,
  implantedOn: '2026-06-01',
  surgeon: 'Mr P Jones',
  alarmMl: 2,
  origin: 'spinal',
  catheterModel: 'Ascenda 8780',
  catheterTipLevel: 'T10',
};

const INFECTION = {
  kind: 'infection-pocket',
  onsetOn: '2026-10-02',
  resolvedOn: '2026-10-30',
  device: 'pump',
  organism: 'Staphylococcus aureus',
  actions: 'Flucloxacillin for six weeks',
  outcome: 'resolved',
};

const PLAN = {
  purpose: 'explant',
  kind: 'oral-cover',
  drug: 'Oral baclofen',
  dose: '20 mg',
  frequency: 'Three times a day',
  startOn: '2026-11-24',
  reviewOn: '2026-12-01',
  responsible: 'Dr C Consultant',
};

for (const dialect of DIALECTS) {
  describe(`complications register API on ${dialect}`, () => {
    let t: TestApp;
    let nurseToken = '';
    let consultantToken = '';
    let bookingToken = '';
    let physioToken = '';
    let patientId = '';
    let otherPatientId = '';
    let serial = 0;

    const { api, ok, refused } = pumpsApiCalls(() => t);
    const send = (method: 'PUT', url: string, token: string, payload: unknown) =>
      t.app.inject({
        method,
        url: `/api/v1${url}`,
        headers: { authorization: `Bearer ${token}` },
        payload: payload as Body,
      });
    const newPump = async (forPatient = patientId) => {
      serial += 1;
      const pump = await ok('POST', `/patients/${forPatient}/pumps`, nurseToken, 201, {
        ...PUMP,
        serialNumber: `NGP77${String(serial)}H`,
      });
      return pump.id as string;
    };

    before(async () => {
      t = await startTestApp(dialect);
      const nurse = await addTestUser(t, 'nurse-specialist', 'nina');
      nurseToken = await apiTokenFor(t, nurse);
      consultantToken = await apiTokenFor(t, await addTestUser(t, 'consultant', 'carl'));
      bookingToken = await apiTokenFor(t, await addTestUser(t, 'booking-coordinator', 'bea'));
      physioToken = await apiTokenFor(t, await addTestUser(t, 'physiotherapist', 'pat'));
      patientId = (await registerAnn(t, nurse)).id;
      otherPatientId = (
        await createPatient(
          { db: t.deps.database.db, clock: t.clock, timeZone: t.deps.config.timeZone },
          actorOf(nurse, null),
          {
            nhsNumber: '9434765919',
            givenName: 'Bob',
            familyName: 'Jones',
            dateOfBirth: '1970-01-02',
            sex: 'male',
          },
        )
      ).id;
    });
    after(async () => {
      await t.close();
    });

    it('records an infection with its organism, linked to the pump, and lists it for the patient and the pump', async () => {
      const pumpId = await newPump();
      const url = `/patients/${patientId}/complications`;
      const entry = await ok('POST', url, nurseToken, 201, { ...INFECTION, pumpId });
      assert.equal(entry.organism, 'Staphylococcus aureus');
      assert.equal(entry.pumpId, pumpId);
      assert.equal(entry.catheterModel, null, 'the pump alone: no catheter kept');
      assert.equal(entry.version, 1);
      assert.equal(entry.emergencyEventId, null);

      const listed = await ok('GET', url, physioToken, 200);
      assert.deepEqual(
        (listed.complications as Body[]).map((c) => c.id),
        [entry.id],
      );
      const forPump = await ok('GET', `/pumps/${pumpId}/complications`, nurseToken, 200);
      assert.deepEqual(
        (forPump.complications as Body[]).map((c) => c.id),
        [entry.id],
      );
      assert.equal(
        (await ok('GET', `/complications/${entry.id as string}`, physioToken, 200)).kind,
        'infection-pocket',
      );
    });

    it('refuses, naming the field: another patient’s pump, a catheter fault not on the catheter, an organism for a non-infection, bad dates', async () => {
      const pumpId = await newPump();
      const theirs = await newPump(otherPatientId);
      const url = `/patients/${patientId}/complications`;
      const kink = {
        kind: 'catheter-kink',
        onsetOn: '2026-11-01',
        pumpId,
        device: 'catheter',
        outcome: 'ongoing',
      };
      await refused(url, nurseToken, { ...kink, pumpId: theirs }, 'pumpId', /this patient’s pumps/);
      await refused(url, nurseToken, { ...kink, pumpId: null, device: null }, 'pumpId');
      await refused(url, nurseToken, { ...kink, device: 'pump' }, 'device', /catheter/);
      await refused(url, nurseToken, { ...kink, organism: 'E. coli' }, 'organism');
      await refused(url, nurseToken, { ...kink, onsetOn: '2026-11-25' }, 'onsetOn');
      await refused(url, nurseToken, { ...kink, onsetOn: '2026-05-01' }, 'onsetOn', /implant date/);
      await refused(url, nurseToken, { ...kink, resolvedOn: '2026-11-02' }, 'resolvedOn');
      await refused(url, nurseToken, { ...kink, outcome: 'resolved' }, 'resolvedOn');
      await refused(url, nurseToken, { ...kink, kind: 'sprain' }, 'kind');
      await refused(url, nurseToken, ['x'], 'body');
      assert.equal((await api('POST', url, bookingToken, kink)).statusCode, 403);
      assert.equal((await api('POST', url, physioToken, kink)).statusCode, 403);
      assert.equal((await api('POST', '/patients/nope/complications', nurseToken, kink)).statusCode, 404);

      // The catheter fault on the catheter: the catheter as registered on the pump is kept.
      const saved = await ok('POST', url, nurseToken, 201, kink);
      assert.equal(saved.catheterModel, 'Ascenda 8780');
      assert.equal(saved.catheterTipLevel, 'T10');
    });

    it('an update needs the version read: a stale one is refused and nothing is lost', async () => {
      const pumpId = await newPump();
      const kink = {
        kind: 'catheter-kink',
        onsetOn: '2026-11-01',
        pumpId,
        device: 'catheter',
        outcome: 'ongoing',
      };
      const entry = await ok('POST', `/patients/${patientId}/complications`, nurseToken, 201, kink);
      const url = `/complications/${entry.id as string}`;
      const resolved = {
        ...kink,
        outcome: 'resolved',
        resolvedOn: '2026-11-20',
        actions: 'Catheter revised',
        version: 1,
      };
      const first = await send('PUT', url, consultantToken, resolved);
      assert.equal(first.statusCode, 200, first.body);
      assert.equal(first.json<Body>().version, 2);
      const stale = await send('PUT', url, nurseToken, { ...resolved, actions: 'Other' });
      assert.equal(stale.statusCode, 409);
      assert.equal(stale.json<ApiError>().error.code, 'STALE_EDIT');
      const noVersion = await send('PUT', url, nurseToken, kink);
      assert.equal(noVersion.statusCode, 400);
      assert.equal((await ok('GET', url, nurseToken, 200)).actions, 'Catheter revised');
    });

    it('the service-wide register filters by kind and onset dates; a bad filter is a 400 naming it', async () => {
      const all = await ok('GET', '/complications', physioToken, 200);
      assert.ok((all.entries as Body[]).length >= 3);
      assert.ok((all.entries as Body[]).every((e) => typeof e.patientName === 'string'));
      const kinks = await ok('GET', '/complications?kind=catheter-kink', physioToken, 200);
      assert.ok((kinks.entries as Body[]).every((e) => e.kind === 'catheter-kink'));
      const october = await ok('GET', '/complications?from=2026-10-01&to=2026-10-31', physioToken, 200);
      assert.deepEqual(
        (october.entries as Body[]).map((e) => e.kind),
        ['infection-pocket'],
      );
      for (const [query, field] of [
        ['kind=sprain', 'kind'],
        ['from=2026-13-01', 'from'],
        ['from=2026-11-02&to=2026-11-01', 'to'],
      ] as const) {
        const res = await api('GET', `/complications?${query}`, physioToken);
        assert.equal(res.statusCode, 400, query);
        assert.equal(res.json<ApiError>().error.fields?.[0]?.field, field);
      }
      assert.equal((await api('GET', '/complications', bookingToken)).statusCode, 200);
    });

    it('an explant is confirmed only once its bridging plan is recorded; a replacement is not held up', async () => {
      const pumpId = await newPump();
      const request = await ok('POST', `/pumps/${pumpId}/end-requests`, nurseToken, 201, {
        kind: 'explant',
        endedOn: '2026-11-24',
        reason: 'Pocket infection: pump removed',
      });
      const confirmUrl = `/pump-end-requests/${request.id as string}/confirm`;
      const res = await api('POST', confirmUrl, consultantToken, {});
      assert.equal(res.statusCode, 409, res.body);
      const { error } = res.json<ApiError>();
      assert.equal(error.reason, 'BRIDGING_PLAN_REQUIRED');
      assert.equal(error.fields?.[0]?.field, 'bridgingPlan');
      assert.match(JSON.stringify(error.fields), /bridging plan/);
      // Still implanted, the request still waiting.
      assert.equal(((await ok('GET', `/pumps/${pumpId}`, nurseToken, 200)).pump as Body).state, 'implanted');

      const plansUrl = `/pumps/${pumpId}/bridging-plans`;
      await refused(plansUrl, nurseToken, { ...PLAN, reviewOn: '2026-11-23' }, 'reviewOn');
      await refused(plansUrl, nurseToken, { ...PLAN, responsible: ' ' }, 'responsible');
      await refused(plansUrl, nurseToken, { ...PLAN, startOn: '2026-05-01' }, 'startOn');
      await refused(plansUrl, nurseToken, { ...PLAN, complicationId: 'not-one' }, 'complicationId');
      assert.equal((await api('POST', plansUrl, bookingToken, PLAN)).statusCode, 403);
      // A revision's plan does not stand in for the explant's.
      await ok('POST', plansUrl, nurseToken, 201, { ...PLAN, purpose: 'revision' });
      assert.equal((await api('POST', confirmUrl, consultantToken, {})).statusCode, 409);

      const plan = await ok('POST', plansUrl, nurseToken, 201, PLAN);
      assert.equal(plan.purpose, 'explant');
      const done = await ok('POST', confirmUrl, consultantToken, 200, {});
      assert.equal((done.pump as Body).state, 'explanted');
      const listed = await ok('GET', `/pumps/${pumpId}/complications`, nurseToken, 200);
      assert.equal((listed.bridgingPlans as Body[]).length, 2);

      // A replacement's confirmation does not wait for a plan.
      const oldId = await newPump();
      await ok('POST', `/patients/${patientId}/pumps`, nurseToken, 201, {
        ...PUMP,
        implantedOn: '2026-11-24',
        serialNumber: 'NGP-REPL-1',
        replacesPumpId: oldId,
      });
      const replacing = (await ok('GET', `/pumps/${oldId}`, nurseToken, 200)).endRequest as Body;
      const replaced = await ok(
        'POST',
        `/pump-end-requests/${replacing.id as string}/confirm`,
        consultantToken,
        200,
        {},
      );
      assert.equal((replaced.pump as Body).state, 'replaced');
    });

    it('appears in the OpenAPI document', async () => {
      const doc = await ok('GET', '/openapi.json', nurseToken, 200);
      const paths = Object.keys(doc.paths as Body);
      for (const p of [
        '/api/v1/patients/{patientId}/complications',
        '/api/v1/complications',
        '/api/v1/complications/{id}',
        '/api/v1/pumps/{pumpId}/bridging-plans',
        '/api/v1/pumps/{pumpId}/complications',
      ]) {
        assert.ok(paths.includes(p), `${p} in ${paths.join(', ')}`);
      }
    });
  });
}
