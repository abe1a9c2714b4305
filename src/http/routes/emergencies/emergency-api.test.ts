import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  addTestUser,
  apiTokenFor,
  registerAnn,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';

/** The test clock's today is Tuesday 24 November 2026. */

interface ErrorBody {
  readonly error: { readonly code: string; readonly reason?: string; readonly fields?: { field: string }[] };
}

describe('emergency events and advice-line calls over the API', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  let patientId = '';

  const call = async (role: string, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    t.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { authorization: `Bearer ${tokens[role] ?? ''}` },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });

  before(async () => {
    t = await startTestApp();
    for (const role of [
      'consultant',
      'nurse-specialist',
      'booking-coordinator',
      'physiotherapist',
    ] as const) {
      tokens[role] = await apiTokenFor(t, await addTestUser(t, role));
    }
    patientId = (await registerAnn(t, await addTestUser(t, 'consultant', 'registrar'))).id;
  });
  after(async () => {
    await t.close();
  });

  const WITHDRAWAL = {
    kind: 'withdrawal',
    onsetAt: '2026-11-24T08:00:00Z',
    signs: ['itch', 'autonomic-instability'],
    actionsTaken: 'Sent to A&E',
  };

  it('records an event (201), lists it, refuses a non-consultant close (403), closes once (200) then 409', async () => {
    const created = await call(
      'nurse-specialist',
      'POST',
      `/patients/${patientId}/emergency-events`,
      WITHDRAWAL,
    );
    assert.equal(created.statusCode, 201, created.body);
    const event = created.json<{ id: string; state: string; pumpId: string | null }>();
    assert.equal(event.state, 'open');
    assert.equal(event.pumpId, null);

    const list = await call('booking-coordinator', 'GET', `/patients/${patientId}/emergency-events`);
    assert.equal(list.statusCode, 200);
    assert.deepEqual(
      list.json<{ id: string }[]>().map((e) => e.id),
      [event.id],
    );

    const close = { outcome: 'resolved', outcomeNote: 'Pump refilled' };
    const byNurse = await call('nurse-specialist', 'POST', `/emergency-events/${event.id}/close`, close);
    assert.equal(byNurse.statusCode, 403);
    const closed = await call('consultant', 'POST', `/emergency-events/${event.id}/close`, close);
    assert.equal(closed.statusCode, 200, closed.body);
    assert.equal(closed.json<{ state: string; closedByName: string }>().closedByName, 'Test consultant');
    const twice = await call('consultant', 'POST', `/emergency-events/${event.id}/close`, close);
    assert.equal(twice.statusCode, 409);
    assert.equal(twice.json<ErrorBody>().error.reason, 'EMERGENCY_EVENT_CLOSED');
  });

  it('answers 400 naming each field, 404 for an unknown patient or event, 403 for a booking coordinator', async () => {
    const bad = await call('nurse-specialist', 'POST', `/patients/${patientId}/emergency-events`, {
      kind: 'overdose',
      onsetAt: 'yesterday',
      signs: ['itch'],
    });
    assert.equal(bad.statusCode, 400);
    const fields = bad.json<ErrorBody>().error.fields?.map((f) => f.field) ?? [];
    assert.ok(fields.includes('onsetAt') && fields.includes('actionsTaken'), JSON.stringify(fields));
    const notJson = await call('nurse-specialist', 'POST', `/patients/${patientId}/emergency-events`, '[1]');
    assert.ok([400, 415].includes(notJson.statusCode));
    assert.equal(
      (await call('nurse-specialist', 'POST', '/patients/nobody/emergency-events', WITHDRAWAL)).statusCode,
      404,
    );
    assert.equal(
      (
        await call('consultant', 'POST', '/emergency-events/nothing/close', {
          outcome: 'resolved',
          outcomeNote: 'x',
        })
      ).statusCode,
      404,
    );
    assert.equal(
      (await call('booking-coordinator', 'POST', `/patients/${patientId}/emergency-events`, WITHDRAWAL))
        .statusCode,
      403,
    );
    assert.equal(
      (await call('physiotherapist', 'POST', `/patients/${patientId}/emergency-events`, WITHDRAWAL))
        .statusCode,
      201,
    );
  });

  it('logs a call (201) with the events it suggests; refuses an urgent call with no follow-up (400)', async () => {
    const logged = await call('nurse-specialist', 'POST', '/advice-calls', {
      calledAt: '2026-11-24T09:00:00Z',
      patientId,
      callerKind: 'carer',
      reason: 'alarm-critical',
      overdoseSigns: [],
      withdrawalSigns: ['itch'],
      adviceGiven: 'Go to A&E now with the emergency card',
      followUp: 'emergency-department',
    });
    assert.equal(logged.statusCode, 201, logged.body);
    assert.deepEqual(logged.json<{ suggestedEvents: string[] }>().suggestedEvents, [
      'withdrawal',
      'critical-alarm',
    ]);
    const none = await call('nurse-specialist', 'POST', '/advice-calls', {
      calledAt: '2026-11-24T09:00:00Z',
      patientId,
      callerKind: 'patient',
      reason: 'alarm-critical',
      adviceGiven: 'Fine',
      followUp: 'none',
      followUpNote: 'Fine',
    });
    assert.equal(none.statusCode, 400);
    assert.deepEqual(
      none.json<ErrorBody>().error.fields?.map((f) => f.field),
      ['followUp'],
    );
    assert.equal((await call('booking-coordinator', 'POST', '/advice-calls', {})).statusCode, 403);
    const calls = await call('physiotherapist', 'GET', `/patients/${patientId}/advice-calls`);
    assert.equal(calls.statusCode, 200);
    assert.equal(calls.json<unknown[]>().length, 1);
  });

  it('appears in the OpenAPI document with its schemas', async () => {
    const doc = (await t.app.inject({ url: '/api/v1/openapi.json' })).json<{
      paths: Record<string, unknown>;
    }>();
    for (const path of [
      '/api/v1/patients/{patientId}/emergency-events',
      '/api/v1/emergency-events/{eventId}/close',
      '/api/v1/advice-calls',
      '/api/v1/patients/{patientId}/advice-calls',
    ]) {
      assert.ok(doc.paths[path], path);
    }
  });
});
