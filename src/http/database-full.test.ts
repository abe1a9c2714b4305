import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { capSqliteAtCurrentSize, fillSqlite, uncapSqlite } from '../../test/support/sqlite-full.ts';
import {
  addTestUser,
  apiTokenFor,
  Browser,
  registerAnn,
  startTestApp,
  type TestApp,
} from '../../test/support/test-app.ts';

/**
 * The SQLite disk fills up (simulated with pragma max_page_count, which makes SQLite answer
 * SQLITE_FULL as a full disk does). Viewing a record writes its audit row, so reads stop too:
 * /health says so, and requests answer a 503 that says why rather than a 500.
 */
describe('SQLite database with no room left', () => {
  let t: TestApp;
  let token = '';
  let patientId = '';
  let signedIn: Browser;

  /** Requests until one is refused: rows may still fit on a page the table already has. */
  async function firstRefusal(
    request: () => Promise<LightMyRequestResponse>,
  ): Promise<LightMyRequestResponse> {
    for (let i = 0; i < 100; i++) {
      const res = await request();
      if (res.statusCode !== 200) {
        return res;
      }
    }
    throw new Error('never refused');
  }

  before(async () => {
    t = await startTestApp('sqlite');
    const nurse = await addTestUser(t, 'nurse-specialist');
    token = await apiTokenFor(t, nurse);
    patientId = (await registerAnn(t, nurse)).id;
    signedIn = new Browser(t);
    await signedIn.signIn(nurse.username);
    assert.equal((await t.app.inject('/health')).statusCode, 200);
    await capSqliteAtCurrentSize(t.deps.database.db);
    await fillSqlite(t.deps.database.db);
  });
  after(async () => {
    await t.close();
  });

  it('answers /health with 503 storage-full', async () => {
    const res = await t.app.inject('/health');
    assert.equal(res.statusCode, 503);
    assert.deepEqual(res.json(), { status: 'unavailable', database: 'sqlite', reason: 'storage-full' });
  });

  it('answers an audited API read with 503 DATABASE_UNAVAILABLE saying the storage is full', async () => {
    const res = await firstRefusal(() =>
      t.app.inject({ url: `/api/v1/patients/${patientId}`, headers: { authorization: `Bearer ${token}` } }),
    );
    assert.equal(res.statusCode, 503, res.body);
    const body = res.json<{ error: { code: string; message: string; details: { reason: string } } }>();
    assert.equal(body.error.code, 'DATABASE_UNAVAILABLE');
    assert.equal(body.error.details.reason, 'storage-full');
    assert.match(body.error.message, /storage is full, so nothing was saved/);
  });

  it('shows an audited page as temporarily unavailable, saying why', async () => {
    const res = await firstRefusal(() => signedIn.get(`/patients/${patientId}`));
    assert.equal(res.statusCode, 503);
    assert.match(res.body, /Sorry, the service is temporarily unavailable/);
    assert.match(res.body, /storage is full/);
  });

  it('serves again once there is room', async () => {
    await uncapSqlite(t.deps.database.db);
    assert.equal((await t.app.inject('/health')).statusCode, 200);
    const res = await t.app.inject({
      url: `/api/v1/patients/${patientId}`,
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(res.statusCode, 200, res.body);
  });
});
