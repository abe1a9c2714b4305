import type { LightMyRequestResponse } from 'fastify';
import { ROLES, type Role } from '../../src/domain/roles.ts';
import { roleMayUse, type RouteAccessEntry } from '../../src/http/access.ts';
import { isApiPath } from '../../src/http/plugins/auth.ts';
import { actorOf } from '../../src/services/audit-service.ts';
import { createApiToken } from '../../src/services/token-service.ts';
import { findUserById } from '../../src/storage/users.repository.ts';
import type { Caller, MatrixCallers } from './route-matrix-callers.ts';
import { fillPattern, idKindOf, NO_SUCH_ID, type IdKind, type SeededWorld } from './seeded-world.ts';
import type { TestApp } from './test-app.ts';

export type { Caller } from './route-matrix-callers.ts';

/**
 * The authorisation matrix, generated from the route table (every route as registered, with its
 * access rule): each route and method is called by every role, by nobody, with a revoked
 * credential, and, where a route names a record that belongs to one account (an API token), with
 * the caller's own record and another account's. A new route is covered the day it is added.
 *
 * The expectations come from the access rule and the permission table (src/domain/roles.ts, the
 * same table docs/permissions.md is generated from). Used by src/http/route-table-access.test.ts
 * in the unit suite and by the evidence suite (evidence/authz.ts), so both check the same thing.
 */

/** Routes that end the caller's own session; called last for each role. */
export const ENDS_SESSION: ReadonlySet<string> = new Set(['POST /sign-out']);

/**
 * Records that belong to one account, with how to make a fresh one for an owner and whether it
 * is still as made. Only API tokens have an owner today: patients, pumps and referrals belong to
 * the service, and who may touch them is the role's permission alone.
 */
export interface OwnedKind {
  readonly kind: IdKind;
  make(t: TestApp, ownerId: string): Promise<string>;
  intact(t: TestApp, id: string): Promise<boolean>;
}

/** Personal API tokens: revoking another account's token must find nothing. */
export const API_TOKENS: OwnedKind = {
  kind: 'api-token',
  make: async (t, ownerId) => {
    const owner = await findUserById(t.deps.database.db, ownerId);
    if (!owner) {
      throw new Error(`no account ${ownerId}`);
    }
    const deps = {
      db: t.deps.database.db,
      clock: t.clock,
      tokenLifetimeDays: t.deps.config.apiTokenLifetimeDays,
    };
    return (await createApiToken(deps, actorOf(owner, null), owner, 'made for the matrix')).id;
  },
  intact: async (t, id) => {
    const row = await t.deps.database.db
      .selectFrom('api_tokens')
      .select('revoked_at')
      .where('id', '=', id)
      .executeTakeFirst();
    return row !== undefined && row.revoked_at === null;
  },
};

export const OWNED_KINDS: readonly OwnedKind[] = [API_TOKENS];

/** The routes the matrix calls: every method but the ones Fastify adds for every GET. */
export function matrixRoutes(t: TestApp): RouteAccessEntry[] {
  const routes = t.app.routeTable.filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS');
  // Routes that end a session go last, so the routes after them still have one.
  const label = (r: RouteAccessEntry) => `${r.method} ${r.url}`;
  return [
    ...routes.filter((r) => !ENDS_SESSION.has(label(r))),
    ...routes.filter((r) => ENDS_SESSION.has(label(r))),
  ];
}

export function allowedFor(entry: RouteAccessEntry, role: Role): boolean {
  if (entry.access === 'public') {
    return true;
  }
  return roleMayUse(entry.access.permission, role);
}

/** The owned kind a route's parameters name, if any. */
export function ownedKindOf(entry: RouteAccessEntry, owned: readonly OwnedKind[]): OwnedKind | undefined {
  const names = [...entry.url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1] ?? '');
  return owned.find((o) => names.some((n) => idKindOf(entry.url, n) === o.kind));
}

export interface MatrixResult {
  readonly route: string;
  readonly caller: string;
  readonly status: number;
  /** What was wrong, or null when the answer matched the permission table. */
  readonly problem: string | null;
  /** The call succeeded (2xx, or a redirect other than to sign in) where it should have been refused. */
  readonly unexpectedSuccess: boolean;
}

function succeeded(res: LightMyRequestResponse): boolean {
  if (res.statusCode >= 200 && res.statusCode < 300) {
    return true;
  }
  const location = res.headers.location ?? '';
  return res.statusCode >= 300 && res.statusCode < 400 && !location.startsWith('/sign-in');
}

/** Checks one answer against the rule; `intact` is whether another account's record survived. */
export function judge(
  entry: RouteAccessEntry,
  caller: Caller,
  res: LightMyRequestResponse,
  intact = true,
): Omit<MatrixResult, 'route' | 'caller' | 'status'> {
  const label = `${entry.method} ${entry.url}`;
  const status = res.statusCode;
  const location = res.headers.location ?? '';
  const refused = (problem: string | null) => ({
    problem,
    unexpectedSuccess: problem !== null && succeeded(res),
  });
  if (status >= 500) {
    return { problem: `answered ${String(status)}`, unexpectedSuccess: false };
  }
  if (caller.kind === 'anonymous' || caller.kind === 'revoked') {
    const ok = isApiPath(entry.url)
      ? status === 401
      : entry.method === 'GET'
        ? status === 303 && location.startsWith('/sign-in')
        : // A form post without a live session fails its CSRF check or is sent to sign in.
          status === 403 || (status === 303 && location.startsWith('/sign-in'));
    return refused(ok ? null : `expected to be sent to sign in or refused, got ${String(status)}`);
  }
  if (caller.record === 'other') {
    if (!intact) {
      return { problem: "changed another account's record", unexpectedSuccess: true };
    }
    return refused(status === 403 || status === 404 ? null : `expected 403 or 404, got ${String(status)}`);
  }
  if (!allowedFor(entry, caller.role)) {
    return refused(status === 403 ? null : `expected 403, got ${String(status)}`);
  }
  if (status === 403) {
    return { problem: 'refused (403) though the role has the permission', unexpectedSuccess: false };
  }
  if (caller.record === 'own' && status === 404) {
    return { problem: "did not find the caller's own record (404)", unexpectedSuccess: false };
  }
  if (entry.access !== 'public' && !ENDS_SESSION.has(label) && location.startsWith('/sign-in')) {
    // Sent to sign in while signed in: the call never reached the route, so it proved nothing.
    return { problem: 'sent to sign in', unexpectedSuccess: false };
  }
  return { problem: null, unexpectedSuccess: false };
}

/**
 * The concrete URL for a caller: a refused caller meets the seeded records (so a missing check
 * would answer 2xx, not 404); an allowed caller's writes get an id that matches nothing, so the
 * matrix changes no record, and its reads get the seeded records.
 */
function urlFor(entry: RouteAccessEntry, caller: Caller, world: SeededWorld | null): string {
  const allowed = caller.kind === 'role' && allowedFor(entry, caller.role);
  const useWorld = world !== null && (!allowed || entry.method === 'GET');
  return fillPattern(entry.url, (kind) => (useWorld && kind ? world.ids.get(kind) : undefined) ?? NO_SUCH_ID);
}

export interface MatrixOptions {
  readonly roles?: readonly Role[];
  /** Which dimensions to run (all by default). */
  readonly dimensions?: readonly ('role' | 'anonymous' | 'revoked' | 'own-other')[];
  readonly owned?: readonly OwnedKind[];
}

/**
 * Runs the matrix on an app whose accounts come from `world` (seedWorld) and returns every
 * call's result. `callers` must have been set up on the same app and world.
 */
export async function runRouteMatrix(
  t: TestApp,
  world: SeededWorld | null,
  callers: MatrixCallers,
  options: MatrixOptions = {},
): Promise<MatrixResult[]> {
  const roles = options.roles ?? ROLES;
  const dimensions = new Set(options.dimensions ?? ['role', 'anonymous', 'revoked', 'own-other']);
  const owned = options.owned ?? OWNED_KINDS;
  const routes = matrixRoutes(t);
  const results: MatrixResult[] = [];
  const record = async (entry: RouteAccessEntry, caller: Caller, url: string, otherId?: string) => {
    const res = await callers.call(entry, caller, url);
    const kind = otherId === undefined ? undefined : ownedKindOf(entry, owned);
    const intact = kind && otherId !== undefined ? await kind.intact(t, otherId) : true;
    results.push({
      route: `${entry.method} ${entry.url}`,
      caller: callers.describe(caller),
      status: res.statusCode,
      ...judge(entry, caller, res, intact),
    });
  };
  for (const role of roles) {
    if (dimensions.has('role')) {
      for (const entry of routes) {
        const caller: Caller = { kind: 'role', role, record: 'world' };
        await record(entry, caller, urlFor(entry, caller, world));
      }
    }
    if (dimensions.has('revoked')) {
      for (const entry of routes.filter((r) => r.access !== 'public')) {
        const caller: Caller = { kind: 'revoked', role };
        await record(entry, caller, urlFor(entry, caller, world));
      }
    }
    if (dimensions.has('own-other')) {
      for (const entry of routes.filter((r) => allowedFor(r, role) && ownedKindOf(r, owned))) {
        const kind = ownedKindOf(entry, owned)!;
        const me = callers.userId(role);
        const own = await kind.make(t, me);
        const theirs = await kind.make(t, callers.otherUserId());
        const pick = (id: string) => fillPattern(entry.url, (k) => (k === kind.kind ? id : NO_SUCH_ID));
        await record(entry, { kind: 'role', role, record: 'other' }, pick(theirs), theirs);
        if (entry.method !== 'GET') {
          await record(entry, { kind: 'role', role, record: 'own' }, pick(own));
        }
      }
    }
  }
  if (dimensions.has('anonymous')) {
    for (const entry of routes.filter((r) => r.access !== 'public')) {
      const caller: Caller = { kind: 'anonymous' };
      await record(entry, caller, urlFor(entry, caller, world));
    }
  }
  return results;
}
