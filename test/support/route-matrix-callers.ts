import type { LightMyRequestResponse } from 'fastify';
import { ROLES, type Role } from '../../src/domain/roles.ts';
import type { RouteAccessEntry } from '../../src/http/access.ts';
import { isApiPath } from '../../src/http/plugins/auth.ts';
import { actorOf } from '../../src/services/audit-service.ts';
import { createApiToken, revokeApiToken } from '../../src/services/token-service.ts';
import type { SeededWorld } from './seeded-world.ts';
import { Browser, SESSION_COOKIE, type TestApp } from './test-app.ts';

/**
 * Who calls a route in the authorisation matrix: a role acting on the seeded records, on its own
 * record or on another account's; nobody; or a role whose credential was revoked (an API token
 * revoked by its owner, or a session cookie kept after signing out and sent again).
 */
export type Caller =
  | { readonly kind: 'role'; readonly role: Role; readonly record: 'world' | 'own' | 'other' }
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'revoked'; readonly role: Role };

/** A signed-in browser's cookies and form token, frozen so they can be sent after signing out. */
interface DeadSession {
  readonly cookie: string;
  readonly csrf: string;
}

const FORM_TOKEN = /name="_csrf" value="([^"]+)"/;

/** The credentials of every role, live and revoked, and how each kind of caller calls a route. */
export class MatrixCallers {
  readonly #t: TestApp;
  readonly #world: SeededWorld;
  readonly #browsers = new Map<Role, Browser>();
  readonly #csrf = new Map<Role, string>();
  readonly #revokedTokens = new Map<Role, string>();
  readonly #deadSessions = new Map<Role, DeadSession>();

  private constructor(t: TestApp, world: SeededWorld) {
    this.#t = t;
    this.#world = world;
  }

  static async open(t: TestApp, world: SeededWorld): Promise<MatrixCallers> {
    const callers = new MatrixCallers(t, world);
    const deps = {
      db: t.deps.database.db,
      clock: t.clock,
      tokenLifetimeDays: t.deps.config.apiTokenLifetimeDays,
    };
    for (const role of ROLES) {
      const user = world.users.get(role)!;
      // Signing out ends every session of the account, so the ended one is made first.
      callers.#deadSessions.set(role, await callers.#deadSession(role));
      await callers.#signIn(role);
      const revoked = await createApiToken(deps, actorOf(user, null), user, 'revoked for the matrix');
      await revokeApiToken(deps, actorOf(user, null), revoked.id);
      callers.#revokedTokens.set(role, revoked.token);
    }
    return callers;
  }

  userId(role: Role): string {
    return this.#world.users.get(role)!.id;
  }

  otherUserId(): string {
    return this.#world.other.id;
  }

  describe(caller: Caller): string {
    if (caller.kind === 'anonymous') {
      return 'nobody signed in';
    }
    if (caller.kind === 'revoked') {
      return `${caller.role} with a revoked token or ended session`;
    }
    return caller.record === 'world' ? caller.role : `${caller.role} on ${caller.record} record`;
  }

  async #signIn(role: Role): Promise<void> {
    const b = new Browser(this.#t);
    await b.signIn(this.#world.users.get(role)!.username);
    this.#browsers.set(role, b);
    this.#csrf.set(role, await this.#formToken(b));
  }

  /** A form token for a browser session, read off a page every account may open. */
  async #formToken(b: Browser): Promise<string> {
    return FORM_TOKEN.exec((await b.get('/account')).body)?.[1] ?? '';
  }

  /** Signs a second browser in and out, keeping what it held before signing out. */
  async #deadSession(role: Role): Promise<DeadSession> {
    const b = new Browser(this.#t);
    await b.signIn(this.#world.users.get(role)!.username);
    const csrf = await this.#formToken(b);
    const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const out = await b.postRaw('/sign-out', { _csrf: csrf });
    if (b.cookies.has(SESSION_COOKIE) || out.statusCode !== 303) {
      throw new Error(`signing ${role} out for the matrix failed: ${String(out.statusCode)}`);
    }
    return { cookie, csrf };
  }

  async call(entry: RouteAccessEntry, caller: Caller, url: string): Promise<LightMyRequestResponse> {
    const method = entry.method as 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
    if (isApiPath(url)) {
      const token =
        caller.kind === 'role'
          ? this.#world.tokens.get(caller.role)
          : caller.kind === 'revoked'
            ? this.#revokedTokens.get(caller.role)
            : undefined;
      return this.#t.app.inject({
        method,
        url,
        headers: {
          'content-type': 'application/json',
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        },
        ...(method === 'GET' ? {} : { payload: '{}' }),
      });
    }
    if (caller.kind === 'anonymous') {
      return this.#t.app.inject({ method, url });
    }
    if (caller.kind === 'revoked') {
      const dead = this.#deadSessions.get(caller.role)!;
      return this.#t.app.inject({
        method,
        url,
        headers: { cookie: dead.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        ...(method === 'GET' ? {} : { payload: new URLSearchParams({ _csrf: dead.csrf }).toString() }),
      });
    }
    const b = this.#browsers.get(caller.role)!;
    if (method === 'GET') {
      return b.get(url);
    }
    const res = await b.postRaw(url, { _csrf: this.#csrf.get(caller.role) ?? '' });
    if (!b.cookies.has(SESSION_COOKIE)) {
      // The route ended this role's session (signing out): sign in again for the routes after it.
      await this.#signIn(caller.role);
    }
    return res;
  }
}
