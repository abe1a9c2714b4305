import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FIGURE_SPECS } from '../../../services/figures/all-figures.ts';
import { addTestUser, apiTokenFor, startTestApp, type TestApp } from '../../../../test/support/test-app.ts';

/** GET /api/v1/figures: the figures as JSON for a period, in the OpenAPI document, figures:read only. */
describe('the figures API', () => {
  let t: TestApp;
  let manager: string;
  let nurse: string;
  before(async () => {
    t = await startTestApp();
    manager = await apiTokenFor(t, await addTestUser(t, 'service-manager'));
    nurse = await apiTokenFor(t, await addTestUser(t, 'emergency-clinician'));
  });
  after(async () => {
    await t.close();
  });
  const get = (url: string, token: string) =>
    t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

  it('answers every figure for the period, in sections, with definitions and tables', async () => {
    const res = await get('/api/v1/figures?from=2026-01-01&to=2026-03-31', manager);
    assert.equal(res.statusCode, 200);
    const body = res.json<{
      from: string;
      to: string;
      sections: { group: string; figures: { key: string; table: { rows: { month: string }[] } }[] }[];
    }>();
    assert.equal(body.from, '2026-01-01');
    assert.equal(body.to, '2026-03-31');
    const keys = body.sections.flatMap((s) => s.figures.map((f) => f.key));
    assert.deepEqual(
      keys,
      FIGURE_SPECS.map((s) => s.key),
    );
    const procedures = body.sections.flatMap((s) => s.figures).find((f) => f.key === 'procedures');
    assert.deepEqual(
      procedures?.table.rows.map((r) => r.month),
      ['2026-01', '2026-02', '2026-03', 'Whole period'],
    );
  });

  it('refuses a bad period with 400 naming the field', async () => {
    const res = await get('/api/v1/figures?from=2026-04-01&to=2026-03-01', manager);
    assert.equal(res.statusCode, 400);
    const body = res.json<{ error: { code: string; fields: { field: string }[] } }>();
    assert.equal(body.error.code, 'VALIDATION_FAILED');
    assert.deepEqual(
      body.error.fields.map((f) => f.field),
      ['to'],
    );
  });

  it('is refused to a role without figures:read, and is in the OpenAPI document', async () => {
    assert.equal((await get('/api/v1/figures', nurse)).statusCode, 403);
    const doc = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    const paths = doc.json<{ paths: Record<string, unknown> }>().paths;
    assert.ok('/api/v1/figures' in paths || '/figures' in paths, Object.keys(paths).join(', '));
  });
});
