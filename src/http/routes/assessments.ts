import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../compose.ts';

/** Selection assessment, MDT and protocol pages (being built: issue 4). */
export function assessmentRoutes(_deps: AppDeps): FastifyPluginAsync {
  return async () => {};
}
