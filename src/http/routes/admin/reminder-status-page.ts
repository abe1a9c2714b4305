import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import { actorFor, requireAuth } from '../../access.ts';

/**
 * Whether patient reminders are going, and why not when they are not: the settings in force
 * (never the Notify key) and how many reminders are waiting, sent, failed and cancelled.
 */
export function reminderStatusRoutes(deps: RouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.get(
      '/reminders/status',
      { config: { access: { permission: 'figures:read' } } },
      async (request, reply) => {
        const status = await deps.services.reminders.status(actorFor(requireAuth(request), request.id));
        return reply.page('pages/admin/reminders.njk', {
          title: 'Patient reminders',
          ...status,
          daysBeforeText: status.daysBefore.map(String).join(' and '),
        });
      },
    );
  };
}
