import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import { ROLES, roleHasPermission, type Permission } from '../domain/roles.ts';
import { addTestUser, Browser, startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { registerRouteTable } from './plugins/auth.ts';
import type { Access } from './access.ts';

/** Pages that each need one permission, checked for every role against the permission table. */
const PAGES: readonly [string, Permission][] = [
  ['/patients', 'patient:read'],
  ['/patients/new', 'patient:write'],
  ['/figures', 'figures:read'],
  ['/admin/users', 'users:manage'],
  ['/admin/users/new', 'users:manage'],
  ['/admin/security', 'users:manage'],
  ['/audit', 'audit:read'],
  ['/audit/export.csv', 'audit:read'],
  ['/account', 'account:self'],
];

describe('every route enforces the permission table', () => {
  let t: TestApp;
  const browsers = new Map<string, Browser>();
  before(async () => {
    t = await startTestApp();
    for (const role of ROLES) {
      const user = await addTestUser(t, role);
      const b = new Browser(t);
      await b.signIn(user.username);
      browsers.set(role, b);
    }
  });
  after(async () => {
    await t.close();
  });

  for (const role of ROLES) {
    for (const [url, permission] of PAGES) {
      const allowed = roleHasPermission(role, permission);
      it(`${role} ${allowed ? 'gets' : 'is refused'} ${url}`, async () => {
        const res = await browsers.get(role)!.get(url);
        assert.equal(res.statusCode, allowed ? 200 : 403, res.body.slice(0, 200));
      });
    }
  }

  it('audits a refusal', async () => {
    // The role refused last in the loop above, so the refusal is not one held back as a repeat.
    await browsers.get('emergency-clinician')!.get('/patients');
    const last = await t.deps.database.db
      .selectFrom('audit_events')
      .selectAll()
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    assert.equal(last.action, 'access.denied');
    assert.equal(last.outcome, 'denied');
    assert.equal(last.role, 'emergency-clinician');
  });

  it('a route without an access rule stops the app from starting', () => {
    const probe = Fastify();
    registerRouteTable(probe);
    assert.throws(() => probe.get('/unguarded', async () => 'x'), /declares no access rule/);
    const rule: Access = 'public';
    assert.doesNotThrow(() => probe.get('/guarded', { config: { access: rule } }, async () => 'x'));
  });
});
