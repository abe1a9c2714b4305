import type { FastifyPluginAsync } from 'fastify';
import { sql } from 'kysely';
import type { AppDeps } from '../../compose.ts';

/** GET /health: 200 when the database answers, 503 when it does not (for load balancers). */
export function healthRoutes(deps: AppDeps): FastifyPluginAsync {
  return async (app) => {
    app.get('/health', { config: { access: 'public' } }, async (request, reply) => {
      try {
        await sql`select 1`.execute(deps.database.db);
        return await reply.send({ status: 'ok', database: deps.database.dialect });
      } catch (err) {
        request.log.error({ err }, 'health check: database unreachable');
        return reply.status(503).send({ status: 'unavailable', database: deps.database.dialect });
      }
    });
  };
}
