import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../compose.ts';
import { checkDatabaseHealth } from '../../storage/database-health.ts';

/**
 * GET /health: 200 when the database answers and can be written, 503 when it cannot be reached,
 * is read-only, or (SQLite) has less than DATABASE_MIN_FREE_MB to grow into, for load balancers
 * and monitoring. `reason` says which; the log line names the cause.
 */
export function healthRoutes(deps: AppDeps): FastifyPluginAsync {
  return async (app) => {
    app.get('/health', { config: { access: 'public' } }, async (request, reply) => {
      const health = await checkDatabaseHealth(deps.database, deps.config.database.minFreeBytes);
      if (health.ok) {
        return reply.send({ status: 'ok', database: deps.database.dialect });
      }
      request.log.error(`health check: database ${health.reason}: ${health.cause}`);
      return reply
        .status(503)
        .send({ status: 'unavailable', database: deps.database.dialect, reason: health.reason });
    });
  };
}
