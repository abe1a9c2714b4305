import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../compose.ts';

/** Outcome measure pages (being built: issue 4). */
export function measureRoutes(_deps: AppDeps): FastifyPluginAsync {
  return async () => {};
}
