import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ROLES } from '../domain/roles.ts';
import {
  matrixRoutes,
  OWNED_KINDS,
  ownedKindOf,
  runRouteMatrix,
  type MatrixOptions,
} from '../../test/support/route-matrix.ts';
import { MatrixCallers } from '../../test/support/route-matrix-callers.ts';
import { seedWorld, type SeededWorld } from '../../test/support/seeded-world.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';

/**
 * Authorisation generated from the route table (every route as registered, with its access
 * rule): each route is called by every role, by nobody, with a revoked credential and, where it
 * names one account's record, on the caller's own record and another's. It must refuse exactly
 * what the permission table refuses, never answer 500, and never let an anonymous or revoked
 * caller through. A new route is covered the day it is added, with no list to keep up to date.
 * The matrix itself is test/support/route-matrix.ts, shared with the evidence suite.
 */
describe('every route in the route table, for every caller', () => {
  let t: TestApp;
  let world: SeededWorld;
  let callers: MatrixCallers;

  before(async () => {
    t = await startTestApp();
    world = await seedWorld(t);
    callers = await MatrixCallers.open(t, world);
  });
  after(async () => {
    await t.close();
  });

  const problemsOf = async (options: MatrixOptions) =>
    (await runRouteMatrix(t, world, callers, options))
      .filter((r) => r.problem !== null)
      .map((r) => `${r.route} as ${r.caller}: ${r.problem ?? ''}`);

  it('holds every route the app serves, each with a rule, and the records the matrix needs', () => {
    const routes = matrixRoutes(t);
    // A floor, so a broken collector cannot pass by finding nothing.
    assert.ok(routes.length > 100, `only ${routes.length} routes recorded`);
    assert.ok(routes.some((r) => r.url === '/api/v1/pumps/:pumpId' && r.method === 'GET'));
    assert.ok(routes.some((r) => r.url === '/patients' && r.method === 'GET'));
    assert.ok(
      routes.some((r) => ownedKindOf(r, OWNED_KINDS)),
      'no route names an owned record',
    );
    // A refused caller meets real records, so a missing check would show as a 2xx, not a 404.
    assert.deepEqual(world.missing, []);
  });

  for (const role of ROLES) {
    it(`${role}: refused exactly where the permission table refuses, and never a 500`, async () => {
      assert.deepEqual(await problemsOf({ roles: [role], dimensions: ['role'] }), []);
    });
  }

  it('nobody signed in: every API route answers 401, every page sends to sign-in, none succeeds', async () => {
    assert.deepEqual(await problemsOf({ dimensions: ['anonymous'] }), []);
  });

  it('a revoked API token or a session kept after signing out is treated as nobody, for every role', async () => {
    assert.deepEqual(await problemsOf({ dimensions: ['revoked'] }), []);
  });

  it("a route naming one account's record acts on the caller's own and never on another's", async () => {
    const results = await runRouteMatrix(t, world, callers, { dimensions: ['own-other'] });
    // Every role may manage its own tokens, so each role calls each such route on both records.
    assert.ok(results.length >= ROLES.length * 2, `only ${results.length} own/other calls`);
    assert.deepEqual(
      results.filter((r) => r.problem !== null).map((r) => `${r.route} as ${r.caller}: ${r.problem ?? ''}`),
      [],
    );
  });
});
