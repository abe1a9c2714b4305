import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../../compose.ts';

/** Outcome measure API (being built: issue 4). */
export function measureApiRoutes(_deps: AppDeps): FastifyPluginAsync {
  return async () => {};
}
