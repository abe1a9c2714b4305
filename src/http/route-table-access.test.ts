import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ROLES, roleHasPermission, type Role } from '../domain/roles.ts';
import {
  addTestUser,
  apiTokenFor,
  Browser,
  SESSION_COOKIE,
  startTestApp,
  type TestApp,
} from '../../test/support/test-app.ts';
import type { RouteAccessEntry } from './access.ts';
import { isApiPath } from './plugins/auth.ts';

/**
 * Authorisation generated from the route table (every route as registered, with its access
 * rule): each route is called by every role and by nobody, and must refuse exactly the roles the
 * permission table refuses, never answer 500, and never let an anonymous caller through. A new
 * route is covered the day it is added, with no list to keep up to date.
 *
 * Parameters are filled with an id that matches nothing, so an allowed call ends in 404 or a
 * validation refusal rather than changing a record, and bodies are empty: the point is who gets
 * past the access check, not what the handler does with good input.
 */
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

function concreteUrl(url: string): string {
  return url.replace(/:[A-Za-z]+/g, NO_SUCH_ID).replace(/\*$/, 'x');
}

/** Routes that end the caller's own session; run last for each role and followed by a new sign-in. */
const ENDS_SESSION = new Set(['POST /sign-out']);

function allowedFor(entry: RouteAccessEntry, role: Role): boolean {
  if (entry.access === 'public') {
    return true;
  }
  return entry.access.permission === 'signed-in' || roleHasPermission(role, entry.access.permission);
}

describe('every route in the route table, for every role', () => {
  let t: TestApp;
  let routes: RouteAccessEntry[];
  const browsers = new Map<Role, Browser>();
  const tokens = new Map<Role, string>();
  const csrf = new Map<Role, string>();

  /** A form token for the role's browser session, read off a page every account may open. */
  async function formToken(role: Role): Promise<string> {
    const page = await browsers.get(role)!.get('/account');
    return /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  }

  before(async () => {
    t = await startTestApp();
    routes = t.app.routeTable.filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS');
    for (const role of ROLES) {
      const user = await addTestUser(t, role);
      const b = new Browser(t);
      await b.signIn(user.username);
      browsers.set(role, b);
      tokens.set(role, await apiTokenFor(t, user));
      csrf.set(role, await formToken(role));
    }
  });
  after(async () => {
    await t.close();
  });

  it('holds every route the app serves, each with a rule', () => {
    // A floor, so a broken collector cannot pass by finding nothing.
    assert.ok(routes.length > 100, `only ${routes.length} routes recorded`);
    assert.ok(routes.some((r) => r.url === '/api/v1/pumps/:pumpId' && r.method === 'GET'));
    assert.ok(routes.some((r) => r.url === '/patients' && r.method === 'GET'));
  });

  async function call(entry: RouteAccessEntry, role: Role | null) {
    const url = concreteUrl(entry.url);
    if (isApiPath(url)) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (role) {
        headers.authorization = `Bearer ${tokens.get(role) ?? ''}`;
      }
      return t.app.inject({
        method: entry.method as 'GET',
        url,
        headers,
        ...(entry.method === 'GET' ? {} : { payload: '{}' }),
      });
    }
    if (role === null) {
      return t.app.inject({ method: entry.method as 'GET', url });
    }
    const b = browsers.get(role)!;
    if (entry.method === 'GET') {
      return b.get(url);
    }
    const res = await b.postRaw(url, { _csrf: csrf.get(role) ?? '' });
    if (!b.cookies.has(SESSION_COOKIE)) {
      // The route ended this role's session (signing out): sign in again for the routes after it.
      await b.signIn(`${role.replace(/[^a-z]/g, '')}user`);
      csrf.set(role, await formToken(role));
    }
    return res;
  }

  for (const role of ROLES) {
    it(`${role}: refused exactly where the permission table refuses, and never a 500`, async () => {
      const problems: string[] = [];
      const ordered = [
        ...routes.filter((r) => !ENDS_SESSION.has(`${r.method} ${r.url}`)),
        ...routes.filter((r) => ENDS_SESSION.has(`${r.method} ${r.url}`)),
      ];
      for (const entry of ordered) {
        const res = await call(entry, role);
        const label = `${entry.method} ${entry.url}`;
        if (res.statusCode >= 500) {
          problems.push(`${label}: ${res.statusCode} ${res.body.slice(0, 160)}`);
        } else if (!allowedFor(entry, role) && res.statusCode !== 403) {
          problems.push(`${label}: expected 403, got ${res.statusCode}`);
        } else if (allowedFor(entry, role) && res.statusCode === 403) {
          problems.push(`${label}: refused (403) though the role has the permission`);
        } else if (
          entry.access !== 'public' &&
          !ENDS_SESSION.has(label) &&
          allowedFor(entry, role) &&
          (res.headers.location ?? '').startsWith('/sign-in')
        ) {
          // Sent to sign in while signed in: the call never reached the route, so it proved nothing.
          problems.push(`${label}: sent to sign in`);
        }
      }
      assert.deepEqual(problems, []);
    });
  }

  it('nobody signed in: every API route answers 401, every page sends to sign-in, none succeeds', async () => {
    const problems: string[] = [];
    for (const entry of routes.filter((r) => r.access !== 'public')) {
      const res = await call(entry, null);
      const label = `${entry.method} ${entry.url}`;
      const api = isApiPath(entry.url);
      const ok = api
        ? res.statusCode === 401
        : entry.method === 'GET'
          ? res.statusCode === 303 && String(res.headers.location).startsWith('/sign-in')
          : // A form post without a session fails its CSRF check or is sent to sign in.
            res.statusCode === 403 || res.statusCode === 303;
      if (!ok) {
        problems.push(`${label}: ${res.statusCode}`);
      }
    }
    assert.deepEqual(problems, []);
  });
});
