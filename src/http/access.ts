import { AppError } from '../services/app-error.ts';
import { roleHasPermission, type Permission, type Role } from '../domain/roles.ts';
import type { SessionStage } from '../storage/sessions.repository.ts';
import type { CurrentSession } from '../services/auth-types.ts';
import type { User } from '../storage/users.repository.ts';
import { actorOf, type Actor } from '../services/audit-service.ts';

/**
 * Every route declares who may reach it in `config.access`; a route without one fails at
 * start-up (see plugins/auth.ts), so no page, API call or download is left unguarded.
 */
export type Access =
  | 'public'
  | {
      /**
       * A permission from the role table, any of several (the emergency summary: the ITB team's
       * `patient:read` or `emergency:break-glass`, whose grant the service then checks), or any
       * signed-in account.
       */
      readonly permission: Permission | readonly Permission[] | 'signed-in';
      /** Session stages allowed (default: fully signed in). */
      readonly stages?: readonly SessionStage[];
      /** Reachable while the account must change its password. */
      readonly duringPasswordChange?: boolean;
    };

export type RequestAuth =
  | { readonly kind: 'session'; readonly session: CurrentSession; readonly user: User }
  | { readonly kind: 'token'; readonly user: User };

/** One route as registered: its method, URL pattern and who may reach it. */
export interface RouteAccessEntry {
  readonly method: string;
  readonly url: string;
  readonly access: Access;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyInstance {
    /** Every route and its access rule, as registered (plugins/auth.ts). */
    routeTable: readonly RouteAccessEntry[];
  }
  interface FastifyRequest {
    auth: RequestAuth | null;
  }
}

/** Whether a role holds what a route's permission rule asks for. */
export function roleMayUse(
  permission: Permission | readonly Permission[] | 'signed-in',
  role: Role,
): boolean {
  if (permission === 'signed-in') {
    return true;
  }
  const any: readonly Permission[] = typeof permission === 'string' ? [permission] : permission;
  return any.some((p) => roleHasPermission(role, p));
}

export function actorFor(auth: RequestAuth, requestId: string): Actor {
  return actorOf(auth.user, requestId);
}

/** The signed-in account of a route whose access rule already required one. */
export function requireAuth(request: { auth: RequestAuth | null }): RequestAuth {
  if (!request.auth) {
    // Unreachable when the route's access rule is not 'public'; kept as a guard.
    throw new AppError('UNAUTHENTICATED', 'Sign in first');
  }
  return request.auth;
}
