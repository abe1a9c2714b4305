import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../../../test/support/test-app.ts';

describe('OpenAPI document for referrals', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => {
    await t.close();
  });

  it('lists the referral paths with their methods and request schemas', async () => {
    const res = await t.app.inject('/api/v1/openapi.json');
    assert.equal(res.statusCode, 200);
    const doc = res.json<{
      paths: Record<
        string,
        Record<
          string,
          {
            requestBody?: {
              content: Record<
                string,
                { schema: { properties: Record<string, unknown>; required?: string[] } }
              >;
            };
            responses?: Record<string, unknown>;
          }
        >
      >;
    }>();
    const expected: readonly [string, string][] = [
      ['/api/v1/referrals', 'post'],
      ['/api/v1/referrals/{id}', 'get'],
      ['/api/v1/referrals/{id}/triage', 'post'],
      ['/api/v1/referrals/{id}/appointments', 'post'],
      ['/api/v1/waiting-list', 'get'],
    ];
    for (const [path, method] of expected) {
      assert.ok(doc.paths[path]?.[method], `${method.toUpperCase()} ${path} is documented`);
    }
    const create = doc.paths['/api/v1/referrals']?.post;
    assert.ok(create);
    const createSchema = create.requestBody?.content['application/json']?.schema;
    assert.ok(createSchema?.properties.ubrn);
    assert.ok(createSchema.properties.nhsNumber);
    assert.ok(createSchema.properties.patientId);
    assert.ok(create.responses?.['201']);
    assert.ok(create.responses['409']);
    const triage = doc.paths['/api/v1/referrals/{id}/triage']?.post;
    const triageSchema = triage?.requestBody?.content['application/json']?.schema;
    assert.deepEqual(triageSchema?.required, ['outcome']);
    assert.ok(triageSchema.properties.advice);
  });

  it('documents the list’s paging and search parameters and the booking confirmation', async () => {
    const doc = (await t.app.inject('/api/v1/openapi.json')).json<{
      paths: Record<
        string,
        Record<
          string,
          {
            parameters?: { name: string; in: string }[];
            requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> };
          }
        >
      >;
    }>();
    const list = doc.paths['/api/v1/referrals']?.get;
    assert.ok(list, 'GET /api/v1/referrals is documented');
    assert.deepEqual(
      (list.parameters ?? [])
        .filter((p) => p.in === 'query')
        .map((p) => p.name)
        .sort(),
      ['page', 'pageSize', 'q', 'state'],
    );
    const book = doc.paths['/api/v1/referrals/{id}/appointments']?.post;
    assert.ok(book?.requestBody?.content['application/json']?.schema.properties.confirmBeyondTarget);
  });
});
