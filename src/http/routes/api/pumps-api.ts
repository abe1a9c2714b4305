import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../../compose.ts';

/** Placeholder while this module is being written (issue 5). */
export function pumpApiRoutes(deps: AppDeps): FastifyPluginAsync {
  void deps;
  return async () => {};
}
