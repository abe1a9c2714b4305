import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../../compose.ts';

/** Selection assessment API (being built: issue 4). */
export function assessmentApiRoutes(_deps: AppDeps): FastifyPluginAsync {
  return async () => {};
}
