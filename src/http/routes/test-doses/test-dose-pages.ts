import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import { testDoseBolusPageRoutes } from './test-dose-bolus-pages.ts';
import { testDoseEpisodePageRoutes } from './test-dose-episode-pages.ts';
import { testDoseOverridePageRoutes } from './test-dose-override-pages.ts';

/**
 * Test-dose pages: a patient's episodes, a new episode with its pre-checks, the episode
 * (pre-checks, boluses with volumes worked out, observation tables, the suggestion, the result
 * form, the starting dose), the bolus, observation and abandon forms, and the consultant's
 * override of the bedside gate. Each calls only deps.services.testDoses.
 */
export function testDoseRoutes(deps: RouteDeps): FastifyPluginAsync {
  return async (app) => {
    await app.register(testDoseOverridePageRoutes(deps));
    await app.register(testDoseEpisodePageRoutes(deps));
    await app.register(testDoseBolusPageRoutes(deps));
  };
}
