import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';

/**
 * GET /health: 200 when the database answers and can be written, 503 when it cannot be reached,
 * is read-only, or (SQLite) has less than DATABASE_MIN_FREE_MB to grow into, for load balancers
 * and monitoring. `reason` says which; the log line names the cause.
 */
export function healthRoutes(deps: RouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.get('/health', { config: { access: 'public' } }, async (request, reply) => {
      const health = await deps.services.system.health();
      if (health.ok) {
        return reply.send({ status: 'ok', database: health.dialect });
      }
      request.log.error(`health check: database ${health.reason}: ${health.cause}`);
      return reply
        .status(503)
        .send({ status: 'unavailable', database: health.dialect, reason: health.reason });
    });
  };
}
