import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { actorOf, type Actor } from '../../../services/audit-service.ts';
import {
  addTestUser,
  registerAnn,
  startTestApp,
  type TestApp,
  apiTokenFor,
} from '../../../../test/support/test-app.ts';

const PAEDIATRIC: unknown = JSON.parse(
  readFileSync(new URL('../../../../docs/protocols/paediatric-itb-v1.json', import.meta.url), 'utf8'),
);

describe('selection assessment API', () => {
  let t: TestApp;
  let patientId = '';
  let nurse = '';
  let consultant = '';
  let consultantActor: Actor;
  const call = (token: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });

  // A fresh service for each test: Ann registered, a nurse's and a consultant's API tokens.
  beforeEach(async () => {
    t = await startTestApp('sqlite');
    t.clock.set('2026-11-25T10:00:00.000Z');
    const n = await addTestUser(t, 'nurse-specialist', 'nia');
    const c = await addTestUser(t, 'consultant', 'cas');
    nurse = await apiTokenFor(t, n);
    consultant = await apiTokenFor(t, c);
    consultantActor = actorOf(c, null);
    const p = await registerAnn(t, n);
    patientId = p.id;
  });
  afterEach(async () => {
    await t.close();
  });

  it('adds a protocol from JSON (consultants only) and lists the latest versions', async () => {
    assert.equal((await call(nurse, 'POST', '/api/v1/protocols', PAEDIATRIC)).statusCode, 403);
    const created = await call(consultant, 'POST', '/api/v1/protocols', PAEDIATRIC);
    assert.equal(created.statusCode, 201);
    assert.equal((await call(consultant, 'POST', '/api/v1/protocols', PAEDIATRIC)).statusCode, 200);
    const bad = await call(consultant, 'POST', '/api/v1/protocols', {
      ...(PAEDIATRIC as object),
      version: 0,
    });
    assert.equal(bad.statusCode, 400);
    assert.ok(
      bad.json<{ error: { fields: { field: string }[] } }>().error.fields.some((e) => e.field === 'version'),
    );
    const list = await call(nurse, 'GET', '/api/v1/protocols');
    assert.deepEqual(
      list.json<{ code: string; latest: boolean }[]>().map((p) => [p.code, p.latest]),
      [
        ['adult-itb', true],
        ['adult-itb', false],
        ['paediatric-itb', true],
      ],
    );
  });

  it('starts, answers, decides: hidden answers are dropped and a differing decision needs a reason', async () => {
    await t.deps.services.assessments.importProtocol(consultantActor, PAEDIATRIC);
    const started = await call(nurse, 'POST', '/api/v1/assessments', {
      patientId,
      protocolCode: 'paediatric-itb',
    });
    assert.equal(started.statusCode, 201);
    const a = started.json<{ id: string; version: number; suggestion: { outcome: string } }>();
    assert.equal(a.suggestion.outcome, 'incomplete');
    const answers = Object.fromEntries(
      [
        'pain-spasms',
        'posture-function',
        'self-care',
        'too-small',
        'intercurrent-infection',
        'epilepsy',
        'coagulation',
        'spinal-fusion',
        'malnutrition',
        'respiratory',
      ].map((id) => [id, { value: 'no' }]),
    );
    const wrong = await call(nurse, 'PUT', `/api/v1/assessments/${a.id}/answers`, {
      version: a.version,
      protocolVersion: 1,
      answers: { ...answers, 'pain-spasms': { value: 3 } },
    });
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /answers\.pain-spasms/);
    const saved = await call(nurse, 'PUT', `/api/v1/assessments/${a.id}/answers`, {
      version: a.version,
      protocolVersion: 1,
      answers: { ...answers, 'pain-spasms': { value: 'yes', note: 'Night spasms' } },
    });
    assert.equal(saved.statusCode, 200);
    const body = saved.json<{ version: number; suggestion: { outcome: string }; droppedAnswers: string[] }>();
    assert.equal(body.suggestion.outcome, 'suitable');
    assert.deepEqual(body.droppedAnswers, []);
    assert.equal(
      (
        await call(nurse, 'POST', `/api/v1/assessments/${a.id}/decision`, {
          version: body.version,
          decision: 'defer',
        })
      ).statusCode,
      403,
    );
    const noReason = await call(consultant, 'POST', `/api/v1/assessments/${a.id}/decision`, {
      version: body.version,
      decision: 'defer',
    });
    assert.equal(noReason.statusCode, 400);
    assert.match(noReason.body, /"field":"reason"/);
    const decided = await call(consultant, 'POST', `/api/v1/assessments/${a.id}/decision`, {
      version: body.version,
      decision: 'proceed-to-test-dose',
    });
    assert.equal(decided.statusCode, 200);
    const d = decided.json<{ state: string; decisions: { agrees: boolean; decidedByName: string }[] }>();
    assert.equal(d.state, 'decided');
    assert.equal(d.decisions[0]?.agrees, true);
    const got = await call(nurse, 'GET', `/api/v1/assessments/${a.id}`);
    assert.equal(
      got.json<{ answers: Record<string, { note: string | null }> }>().answers['pain-spasms']?.note,
      'Night spasms',
    );
  });

  it('refuses an MDT outcome for an assessment not sent to MDT, and unknown ids', async () => {
    const started = await call(nurse, 'POST', '/api/v1/assessments', {
      patientId,
      protocolCode: 'adult-itb',
    });
    const a = started.json<{ id: string; version: number }>();
    const res = await call(consultant, 'POST', `/api/v1/assessments/${a.id}/mdt-outcome`, {
      version: a.version,
      decision: 'defer',
      meetingOn: '2026-11-25',
      note: 'x',
    });
    assert.equal(res.statusCode, 409);
    assert.equal(res.json<{ error: { reason: string } }>().error.reason, 'ASSESSMENT_NOT_AWAITING_MDT');
    assert.equal((await call(nurse, 'GET', '/api/v1/assessments/nope')).statusCode, 404);
    assert.equal(
      (await call(nurse, 'POST', '/api/v1/assessments', { patientId, protocolCode: 'nope' })).statusCode,
      400,
    );
  });

  it('appears in the OpenAPI document', async () => {
    const doc = await t.app.inject({ url: '/api/v1/openapi.json' });
    const paths = Object.keys(doc.json<{ paths: Record<string, unknown> }>().paths);
    for (const p of [
      '/api/v1/protocols',
      '/api/v1/assessments',
      '/api/v1/assessments/{id}/answers',
      '/api/v1/assessments/{id}/mdt-outcome',
    ]) {
      assert.ok(paths.includes(p), p);
    }
  });
});
