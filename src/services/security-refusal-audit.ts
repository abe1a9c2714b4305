import type { FastifyRequest } from 'fastify';
import type { AuditAction } from '../domain/audit-event.ts';
import { createRefusalThrottle, type RefusalThrottle } from '../domain/refusal-throttle.ts';
import { actorEvent, recordAudit, type Actor } from './audit-service.ts';
import type { Db } from '../storage/database.ts';
import type { Clock } from './clock.ts';

export type SecurityRefusalLimiter = RefusalThrottle;

/** One refusal row per kind, source, route and minute: enough to see an attack, not enough for a
 * flood of refused requests to grow the trail without bound. */
const REFUSAL_WINDOW_MS = 60_000;
const REFUSAL_SOURCES_REMEMBERED = 10_000;

export function createSecurityRefusalLimiter(): SecurityRefusalLimiter {
  return createRefusalThrottle({ windowMs: REFUSAL_WINDOW_MS, maxKeys: REFUSAL_SOURCES_REMEMBERED });
}

/**
 * Audits a refused request (a failed bearer token, a failed CSRF check, a forbidden call),
 * held back by the limiter when the same source repeats it within the window. Without a
 * limiter every refusal is written.
 */
export async function auditSecurityRefusal(
  deps: { readonly db: Db; readonly clock: Clock },
  limiter: SecurityRefusalLimiter | undefined,
  request: Pick<FastifyRequest, 'id' | 'ip' | 'method' | 'routeOptions'>,
  refusal: {
    readonly action: Extract<AuditAction, 'access.denied' | 'auth.token-refused' | 'csrf.refused'>;
    readonly user: Actor | null;
    readonly details: Readonly<Record<string, unknown>>;
  },
): Promise<void> {
  // One allowance per kind, account, address and route: a refusal on another route is news;
  // the same one repeated is a flood.
  const key = `${refusal.action}|${refusal.user?.userId ?? ''}|${request.ip}|${request.method} ${request.routeOptions.url ?? ''}`;
  const decision = limiter
    ? limiter.admit(key, deps.clock.now().getTime())
    : { write: true as const, heldBack: 0 };
  if (!decision.write) {
    return;
  }
  await recordAudit(deps.db, deps.clock, {
    ...actorEvent(refusal.user, {
      action: refusal.action,
      outcome: 'denied',
      details: {
        method: request.method,
        route: request.routeOptions.url ?? null,
        address: request.ip,
        ...refusal.details,
        ...(decision.heldBack > 0 ? { heldBackSinceLastRow: decision.heldBack } : {}),
      },
    }),
    requestId: request.id,
  });
}
