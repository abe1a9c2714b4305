import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { roleHasPermission } from '../../domain/roles.ts';
import { currentSession, type AuthServiceDeps } from '../../services/auth-service.ts';
import { actorEvent, actorOf, recordAudit } from '../../services/audit-service.ts';
import { authenticateApiToken } from '../../services/token-service.ts';
import type { AppDeps } from '../../compose.ts';
import { AppError } from '../../services/app-error.ts';
import type { Access, RouteAccessEntry } from '../access.ts';
import { sessionCookieName } from './security.ts';

export function isApiPath(url: string): boolean {
  return url === '/api/v1' || url.startsWith('/api/v1/');
}

export function authDeps(deps: AppDeps): AuthServiceDeps {
  return {
    db: deps.database.db,
    clock: deps.clock,
    session: deps.config.session,
    accountThrottle: deps.config.accountThrottle,
    addressThrottle: deps.config.addressThrottle,
  };
}

/** Only same-site paths are followed after sign-in, never another site (open redirect). */
export function safeNextPath(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[\w\-./?=&%]*$/.test(next) ? next : '/';
}

export function registerAuth(app: FastifyInstance, deps: AppDeps): void {
  const cookieName = sessionCookieName(deps.config);

  app.decorateRequest('auth', null);

  // Every route with its rule, in the order registered: the authorisation tests are generated
  // from this table, so a new route is tested for every role the day it is added.
  const routeTable: RouteAccessEntry[] = [];
  app.decorate('routeTable', routeTable);

  // Fail at start-up, not in production, if any route forgot to say who may use it.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/assets/')) {
      return;
    }
    const access = route.config?.access;
    if (access === undefined) {
      throw new Error(`route ${String(route.method)} ${route.url} declares no access rule`);
    }
    for (const method of [route.method].flat()) {
      routeTable.push({ method: String(method), url: route.url, access });
    }
  });

  // API calls authenticate only by bearer token, never by cookie: a cookie-authenticated
  // API would need CSRF protection, and a token cannot be sent by another site.
  app.addHook('onRequest', async (request) => {
    if (isApiPath(request.url)) {
      const header = request.headers.authorization;
      const m = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
      const user = m?.[1]
        ? await authenticateApiToken({ db: deps.database.db, clock: deps.clock }, m[1])
        : null;
      request.auth = user ? { kind: 'token', user } : null;
      return;
    }
    const token = request.cookies[cookieName];
    if (token) {
      const session = await currentSession(authDeps(deps), token);
      request.auth = session ? { kind: 'session', session, user: session.user } : null;
    }
  });

  // Checked before the body is parsed or validated, so a caller without the permission is
  // refused with 403 and learns nothing of what the route would accept (not a 400 naming fields).
  app.addHook('preValidation', async (request, reply) => {
    const access: Access | undefined = request.routeOptions.config.access;
    if (access === undefined) {
      // Only the static assets and the not-found page have no rule (see the onRoute check);
      // anything else fails closed.
      if (request.is404 || request.routeOptions.url?.startsWith('/assets/') === true) {
        return;
      }
      throw new AppError('FORBIDDEN', 'This page has no access rule');
    }
    if (access === 'public') {
      return;
    }
    await enforce(request, reply, access, deps);
  });
}

async function enforce(
  request: FastifyRequest,
  reply: FastifyReply,
  access: Exclude<Access, 'public'>,
  deps: AppDeps,
) {
  const auth = request.auth;
  const api = isApiPath(request.url);
  if (!auth) {
    if (api) {
      throw new AppError('UNAUTHENTICATED', 'Send a valid API token: Authorization: Bearer <token>');
    }
    const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.url)}` : '';
    return reply.redirect(`/sign-in${next}`, 303);
  }
  if (auth.kind === 'session') {
    const stages = access.stages ?? ['full'];
    if (!stages.includes(auth.session.stage)) {
      return reply.redirect(
        auth.session.stage === 'mfa-pending'
          ? '/sign-in/code'
          : auth.session.stage === 'mfa-enrol'
            ? '/account/two-factor'
            : '/',
        303,
      );
    }
    if (
      auth.user.mustChangePassword &&
      auth.session.stage === 'full' &&
      access.duringPasswordChange !== true
    ) {
      return reply.redirect('/account/password', 303);
    }
  }
  if (access.permission !== 'signed-in' && !roleHasPermission(auth.user.role, access.permission)) {
    await recordAudit(
      deps.database.db,
      deps.clock,
      actorEvent(actorOf(auth.user, request.id), {
        action: 'access.denied',
        outcome: 'denied',
        details: { method: request.method, route: request.routeOptions.url, permission: access.permission },
      }),
    );
    throw new AppError('FORBIDDEN', 'Your role does not allow this');
  }
  return undefined;
}
