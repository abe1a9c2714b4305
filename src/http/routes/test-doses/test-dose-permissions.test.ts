import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { PERMISSIONS, roleHasPermission } from '../../../domain/roles.ts';

/**
 * The permission table's words for test doses match the routes: a physiotherapist scores tone
 * and records observations during a test dose but never gives a bolus or records its result.
 */
describe('test-dose permissions as the table words them', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => {
    await t.close();
  });

  const permissionOf = (method: string, url: string) => {
    const entry = t.app.routeTable.find((r) => r.method === method && r.url === url);
    assert.ok(entry, `${method} ${url} is registered`);
    return entry.access === 'public' ? 'public' : entry.access.permission;
  };

  it('boluses and their results need dose:prescribe, on the pages and the API', () => {
    for (const prefix of ['', '/api/v1']) {
      assert.equal(permissionOf('POST', `${prefix}/test-doses/:id/boluses`), 'dose:prescribe');
      assert.equal(
        permissionOf('POST', `${prefix}/test-doses/:id/boluses/:bolusId/result`),
        'dose:prescribe',
      );
      assert.equal(permissionOf('POST', `${prefix}/test-doses/:id/pre-checks`), 'testdose:record');
      assert.equal(
        permissionOf('POST', `${prefix}/test-doses/:id/boluses/:bolusId/observations`),
        'testdose:record',
      );
      assert.equal(permissionOf('POST', `${prefix}/test-doses/:id/abandon`), 'testdose:record');
    }
    assert.match(PERMISSIONS['dose:prescribe'], /test-dose boluses/);
    assert.match(PERMISSIONS['dose:prescribe'], /result/);
    assert.doesNotMatch(PERMISSIONS['testdose:record'].replace(/; not the boluses.*$/, ''), /bolus|result/);
  });

  it('a physiotherapist records test-dose observations and never gives a bolus', () => {
    assert.equal(roleHasPermission('physiotherapist', 'testdose:record'), true);
    assert.equal(roleHasPermission('physiotherapist', 'dose:prescribe'), false);
  });
});
