import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import { AppError } from '../../../services/app-error.ts';

/**
 * How long the session has left, as JSON for public/session-timeout.js. Like any signed-in
 * request it counts as activity, so the "Stay signed in" button calls it to refresh the session
 * (an ended session gets the sign-in redirect instead). GET, so it needs no CSRF token: it
 * changes nothing but what every page view changes.
 */
export function sessionStatusRoute(app: FastifyInstance, deps: RouteDeps): void {
  const { idleTimeoutSeconds, absoluteTimeoutSeconds } = deps.config.session;
  // Never more than half the idle time-out, so a short time-out still leaves time to work.
  const warningSeconds = Math.min(deps.config.sessionWarningMinutes * 60, Math.floor(idleTimeoutSeconds / 2));
  const access = { permission: 'signed-in', duringPasswordChange: true } as const;
  app.get('/account/session', { config: { access } }, async (request, reply) => {
    const auth = request.auth;
    if (auth?.kind !== 'session') {
      throw new AppError('UNAUTHENTICATED', 'Sign in first');
    }
    const nowMs = deps.clock.now().getTime();
    const left = (fromIso: string, seconds: number) =>
      Math.max(0, Math.floor((Date.parse(fromIso) + seconds * 1000 - nowMs) / 1000));
    return reply.send({
      idleSecondsLeft: left(auth.session.lastSeenAt, idleTimeoutSeconds),
      absoluteSecondsLeft: left(auth.session.createdAt, absoluteTimeoutSeconds),
      warningSeconds,
    });
  });
}
