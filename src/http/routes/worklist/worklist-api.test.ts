import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  addTestUser,
  registerAnn,
  startTestApp,
  type TestApp,
  apiTokenFor,
} from '../../../../test/support/test-app.ts';
import { actorOf } from '../../../services/audit-service.ts';

interface WorklistBody {
  readonly total: number;
  readonly escalated: number;
  readonly counts: Record<string, number>;
  readonly entries: readonly { pumpId: string; status: string; escalated: boolean; nhsNumber: string }[];
}

describe('refill worklist API', () => {
  let t: TestApp;
  let nurseToken = '';
  let managerToken = '';
  let pumpId = '';
  const get = (url: string, token: string) =>
    t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

  before(async () => {
    t = await startTestApp('sqlite');
    const nurse = await addTestUser(t, 'nurse-specialist');
    const manager = await addTestUser(t, 'service-manager');
    nurseToken = await apiTokenFor(t, nurse);
    managerToken = await apiTokenFor(t, manager);
    const ann = await registerAnn(t, nurse);
    pumpId = (
      await t.deps.services.pumps.register(actorOf(nurse, null), ann.id, {
        modelId: 'synchromed-ii',
        reservoirMl: 20,
        serialNumber: 'NGP555H',
        implantedOn: '2026-11-20',
        surgeon: 'Mr A Surgeon',
        alarmMl: 2,
        origin: 'spinal',
      })
    ).id;
  });
  after(async () => {
    await t.close();
  });

  it('lists every implanted pump with its status, a pump with no fill escalated', async () => {
    const res = await get('/api/v1/worklist', nurseToken);
    assert.equal(res.statusCode, 200);
    const body = res.json<WorklistBody>();
    assert.equal(body.total, 1);
    assert.equal(body.escalated, 1);
    assert.equal(body.counts['no-plan'], 1);
    assert.deepEqual(
      body.entries.map((e) => [e.pumpId, e.status, e.escalated, e.nhsNumber]),
      [[pumpId, 'no-plan', true, '4857773457']],
    );
  });

  it('refuses a bad page naming the parameter, and roles without patient access', async () => {
    const bad = await get('/api/v1/worklist?pageSize=0', nurseToken);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /pageSize/);
    assert.equal((await get('/api/v1/worklist', managerToken)).statusCode, 403);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/worklist' })).statusCode, 401);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await t.app.inject('/api/v1/openapi.json')).json<{ paths: Record<string, unknown> }>();
    assert.ok(doc.paths['/api/v1/worklist']);
  });
});
