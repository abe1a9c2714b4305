import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  addTestUser,
  Browser,
  registerAnn,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';
import { registerPump } from '../../../services/pump-service.ts';
import { actorOf } from '../../../services/audit-service.ts';
import type { User } from '../../../storage/users.repository.ts';

/** The test clock's today is Tuesday 24 November 2026. */
describe('life event pages', () => {
  let t: TestApp;
  let nurse: Browser;
  let other: Browser;
  let consultant: Browser;
  let booking: Browser;
  let patientId = '';
  let pumpId = '';

  let ninaUser: User | null = null;
  const browserFor = async (
    role: 'nurse-specialist' | 'consultant' | 'booking-coordinator',
    name: string,
  ) => {
    const user = await addTestUser(t, role, name);
    ninaUser ??= user;
    const b = new Browser(t);
    await b.signIn(name);
    return b;
  };
  const onWorklist = async () => (await nurse.get('/worklist')).body.includes(`/pumps/${pumpId}`);

  before(async () => {
    t = await startTestApp('sqlite');
    nurse = await browserFor('nurse-specialist', 'nina');
    other = await browserFor('nurse-specialist', 'nora');
    consultant = await browserFor('consultant', 'carl');
    booking = await browserFor('booking-coordinator', 'bea');
    const nina = ninaUser as unknown as User;
    patientId = (await registerAnn(t, nina)).id;
    const deps = { db: t.deps.database.db, clock: t.clock, config: t.deps.config };
    pumpId = (
      await registerPump(deps, actorOf(nina, null), patientId, {
        modelId: 'synchromed-ii',
        reservoirMl: 20,
        serialNumber: 'NGP777001H',
        implantedOn: '2026-06-01',
        surgeon: 'Mr P Jones',
        alarmMl: 2,
        origin: 'spinal',
      })
    ).id;
  });
  after(async () => {
    await t.close();
  });

  it('a pregnancy form shows field errors, records, and its checklist shows on the overview', async () => {
    const form = `/patients/${patientId}/life-events/pregnancy/new`;
    assert.equal((await booking.get(form)).statusCode, 200);
    const bad = await nurse.post(`/patients/${patientId}/life-events/pregnancy`, { obstetricTeam: '' }, form);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /There is a problem/);
    assert.match(bad.body, /Enter the expected date of delivery/);
    assert.match(bad.body, /Enter the obstetric team/);
    const ok = await nurse.post(
      `/patients/${patientId}/life-events/pregnancy`,
      {
        'expectedDeliveryOn-day': '1',
        'expectedDeliveryOn-month': '3',
        'expectedDeliveryOn-year': '2027',
        obstetricTeam: 'LGI maternity',
      },
      form,
    );
    assert.equal(ok.statusCode, 303);
    const eventUrl = String(ok.headers.location).split('?')[0] ?? '';
    const page = await nurse.get(String(ok.headers.location));
    assert.match(page.body, /Recorded. The checklist is below./);
    assert.match(page.body, /A consultant marks this done/);
    const overview = await nurse.get(`/patients/${patientId}`);
    assert.match(overview.body, /Consultant review of the ITB dose in pregnancy/);

    // The consultant marks the review done; a booking coordinator may not.
    const url = `${eventUrl}/actions/dose-review/done`;
    assert.equal((await booking.post(url, {}, eventUrl)).statusCode, 403);
    const nurseTry = await nurse.postRaw(url, {
      _csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '',
    });
    assert.equal(nurseTry.statusCode, 409);
    assert.match(nurseTry.body, /Only a consultant/);
    const done = await consultant.post(url, {}, eventUrl);
    assert.equal(done.statusCode, 303);
    const ended = await nurse.post(`${eventUrl}/end`, { reason: '' }, eventUrl);
    assert.equal(ended.statusCode, 400);
    assert.match(ended.body, /Enter the reason/);
  });

  it('a death recorded by one nurse leaves the pump on the worklist until another confirms', async () => {
    const form = `/patients/${patientId}/life-events/death/new`;
    assert.equal((await booking.get(form)).statusCode, 403);
    const res = await nurse.post(
      `/patients/${patientId}/life-events/death`,
      { 'diedOn-day': '23', 'diedOn-month': '11', 'diedOn-year': '2026', source: 'Letter from the GP' },
      form,
    );
    assert.equal(res.statusCode, 303);
    assert.match(String(res.headers.location), /done=recorded-ends/);
    const page = await nurse.get(String(res.headers.location));
    assert.match(page.body, /waiting for a different clinician to confirm/);
    assert.ok(await onWorklist());
    const overview = await nurse.get(`/patients/${patientId}`);
    assert.match(overview.body, /<dt>Died<\/dt><dd>23 November 2026<\/dd>/);

    const again = await other.post(
      `/patients/${patientId}/life-events/death`,
      { 'diedOn-day': '23', 'diedOn-month': '11', 'diedOn-year': '2026', source: 'Again' },
      form,
    );
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /already recorded/);

    const request = await t.deps.database.db
      .selectFrom('pump_end_requests')
      .select('id')
      .where('pump_id', '=', pumpId)
      .where('state', '=', 'pending')
      .executeTakeFirstOrThrow();
    const own = await nurse.post(`/pump-end-requests/${request.id}/confirm`, {}, `/pumps/${pumpId}`);
    assert.equal(own.statusCode, 400);
    assert.ok(await onWorklist(), 'still listed after the recorder tried to confirm');
    const confirmed = await other.post(`/pump-end-requests/${request.id}/confirm`, {}, `/pumps/${pumpId}`);
    assert.equal(confirmed.statusCode, 303);
    assert.equal(await onWorklist(), false);
  });
});
