import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildStartingApp } from './starting-app.ts';

describe('the port while start-up waits for the database', () => {
  const app = buildStartingApp('postgres');

  it('answers /health with 503 and why', async () => {
    const res = await app.inject('/health');
    assert.equal(res.statusCode, 503);
    assert.deepEqual(res.json(), { status: 'unavailable', database: 'postgres', reason: 'starting' });
    assert.equal(res.headers['retry-after'], '30');
  });

  it('answers the API with 503 DATABASE_UNAVAILABLE, whatever the method or body', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/patients', payload: { a: 1 } });
    assert.equal(res.statusCode, 503);
    assert.equal(res.json<{ error: { code: string } }>().error.code, 'DATABASE_UNAVAILABLE');
  });

  it('shows pages as temporarily unavailable', async () => {
    for (const url of ['/', '/patients?q=smith', '/sign-in']) {
      const res = await app.inject(url);
      assert.equal(res.statusCode, 503);
      assert.match(res.body, /<h1>Sorry, the service is temporarily unavailable<\/h1>/);
      assert.match(String(res.headers['content-type']), /^text\/html/);
    }
  });
});
