import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf } from '../../services/audit-service.ts';
import type { RouteDeps } from '../../compose.ts';
import { AppError } from '../../services/app-error.ts';
import { roleMayUse, type Access, type RouteAccessEntry } from '../access.ts';
import { sessionCookieName } from './security.ts';
import type { SecurityRefusalLimiter } from '../../services/security-refusal-audit.ts';
import { mayKeepForm, registerKeptForms } from './kept-forms.ts';

/** Whether a path as the router matched it is under an API that takes bearer tokens: /api/v1
 * or the FHIR endpoint /fhir/R4 (tests and the route table use this; requests are told apart by
 * the context their route was registered in, never by it). */
export function isApiPath(url: string): boolean {
  return ['/api/v1', '/fhir/R4'].some((prefix) => url === prefix || url.startsWith(`${prefix}/`));
}

/** Only same-site paths are followed after sign-in, never another site (open redirect). */
export function safeNextPath(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[\w\-./?=&%]*$/.test(next) ? next : '/';
}

/**
 * Records every route with its rule, in the order registered (the authorisation tests are
 * generated from this table, so a new route is tested for every role the day it is added), and
 * fails at start-up, not in production, if any route forgot to say who may use it.
 */
export function registerRouteTable(app: FastifyInstance): void {
  app.decorateRequest('auth', null);
  const routeTable: RouteAccessEntry[] = [];
  app.decorate('routeTable', routeTable);
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
}

interface AuthOptions {
  /** Holds back repeated refusal audit rows so a flood cannot fill the trail. */
  readonly refusals: SecurityRefusalLimiter | undefined;
}

/**
 * The pages' context: the session cookie identifies the user. Who is signed in and whether
 * they may use the route are settled in onRequest, before the body is read or validated, so
 * a caller without the permission learns nothing of what the route would accept (OWASP ASVS
 * 4.0.3 V4.1.3, deny by default).
 */
export function registerPageAuth(app: FastifyInstance, deps: RouteDeps, options: AuthOptions): void {
  const cookieName = sessionCookieName(deps.config);
  app.addHook('onRequest', async (request, reply) => {
    const token = request.cookies[cookieName];
    if (token) {
      const session = await deps.services.accounts.currentSession(token);
      request.auth = session ? { kind: 'session', session, user: session.user } : null;
      if (!session && mayKeepForm(request)) {
        // The session has ended: the post is sent to sign in all the same, but only once its
        // form is read and kept (kept-forms.ts), so what was typed is not lost.
        request.keptFormSession = token;
      }
    }
    return enforce(request, reply, deps, options, 'page');
  });
  registerKeptForms(app, deps);
}

/**
 * The API's context: only a bearer token identifies the caller, never a cookie. A
 * cookie-authenticated API would need CSRF protection, and a token cannot be sent by another
 * site. Because this is decided by the context the route lives in, an encoded or oddly written
 * path that the router still matches to an API route is treated as the API.
 */
export function registerApiAuth(app: FastifyInstance, deps: RouteDeps, options: AuthOptions): void {
  app.addHook('onRequest', async (request, reply) => {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      const refused = (reason: unknown) =>
        deps.services.audit.recordRefusal(options.refusals, request, {
          action: 'auth.token-refused',
          user: null,
          details: { reason },
        });
      const token = m?.[1];
      const user = token
        ? await deps.services.accounts.authenticateToken(token).catch(async (err: unknown) => {
            // A known token that no longer works (expired, ended, its owner must act first).
            if (err instanceof AppError && err.code === 'UNAUTHENTICATED') {
              await refused(err.details.reason ?? 'refused');
            }
            throw err;
          })
        : null;
      request.auth = user ? { kind: 'token', user } : null;
      if (!user) {
        await refused(m ? 'unknown-token' : 'not-a-bearer-token');
      }
    }
    return enforce(request, reply, deps, options, 'api');
  });
}

async function enforce(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: RouteDeps,
  options: AuthOptions,
  context: 'page' | 'api',
): Promise<FastifyReply | undefined> {
  const access: Access | undefined = request.routeOptions.config.access;
  if (access === undefined || access === 'public') {
    // Nothing to sign in for, so nothing to keep.
    request.keptFormSession = undefined;
  }
  if (access === undefined) {
    // Only the static assets and the not-found page have no rule (see the onRoute check);
    // anything else fails closed.
    if (request.is404 || request.routeOptions.url?.startsWith('/assets/') === true) {
      return undefined;
    }
    throw new AppError('FORBIDDEN', 'This page has no access rule');
  }
  if (access === 'public') {
    return undefined;
  }
  const auth = request.auth;
  if (!auth) {
    if (context === 'api') {
      throw new AppError('UNAUTHENTICATED', 'Send a valid API token: Authorization: Bearer <token>');
    }
    if (request.keptFormSession !== undefined) {
      // Answered once the body is read (kept-forms.ts), always with the way to sign in.
      return undefined;
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
  if (!roleMayUse(access.permission, auth.user.role)) {
    await deps.services.audit.recordRefusal(options.refusals, request, {
      action: 'access.denied',
      user: actorOf(auth.user, request.id),
      details: { method: request.method, route: request.routeOptions.url, permission: access.permission },
    });
    throw new AppError('FORBIDDEN', 'Your role does not allow this');
  }
  return undefined;
}
