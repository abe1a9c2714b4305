import { matrixRoutes, runRouteMatrix } from '../test/support/route-matrix.ts';
import { MatrixCallers } from '../test/support/route-matrix-callers.ts';
import { seedWorld } from '../test/support/seeded-world.ts';
import { startTestApp } from '../test/support/test-app.ts';
import type { Figure, Section } from './figure.ts';

/**
 * Authorisation matrix: every route and method in the route table, called by every role, by
 * nobody, with a revoked token or ended session, and on the caller's own record and another
 * account's, each answer checked against the permission table (docs/permissions.md, generated
 * from src/domain/roles.ts). The matrix is the one the unit suite runs
 * (src/http/route-table-access.test.ts), from test/support/route-matrix.ts, so a route added
 * tomorrow is in both without being listed. It is small, so reduced and full runs are the same.
 */
export const authzSection: Section = async (options) => {
  const started = Date.now();
  const t = await startTestApp(options.database, {}, options.postgresUrl);
  try {
    const world = await seedWorld(t);
    for (const line of world.missing) {
      options.log(`authz: a record could not be made, its routes get an id matching nothing: ${line}`);
    }
    const callers = await MatrixCallers.open(t, world);
    const routes = matrixRoutes(t);
    const results = await runRouteMatrix(t, world, callers);
    const covered = new Set(results.map((r) => r.route));
    const uncovered = routes.map((r) => `${r.method} ${r.url}`).filter((r) => !covered.has(r));
    const problems = results.filter((r) => r.problem !== null);
    const successes = problems.filter((r) => r.unexpectedSuccess);
    for (const r of problems) {
      options.log(
        `authz: ${r.unexpectedSuccess ? 'UNEXPECTED SUCCESS ' : ''}${r.route} as ${r.caller}: ${r.problem ?? ''}`,
      );
    }
    for (const r of uncovered) {
      options.log(`authz: route not called by the matrix: ${r}`);
    }
    options.log(
      `authz: ${String(results.length)} calls over ${String(routes.length)} routes and methods on ` +
        `${options.database} in ${String(Math.round((Date.now() - started) / 1000))} s`,
    );
    const figure = (name: string, value: number, unit: string): Figure => ({
      section: 'authz',
      name,
      database: options.database,
      value,
      unit,
      target: '= 0',
      met: value === 0,
    });
    return [
      figure('unexpected 2xx: refused callers that got through', successes.length, 'calls'),
      figure('answers differing from the permission table', problems.length, 'calls'),
      figure('routes in the route table not called', uncovered.length, 'routes'),
    ];
  } finally {
    await t.close();
  }
};
