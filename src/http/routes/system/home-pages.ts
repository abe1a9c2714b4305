import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import { roleHasPermission } from '../../../domain/roles.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { registerTaskPages } from './task-pages.ts';

export function homeRoutes(deps: RouteDeps): FastifyPluginAsync {
  const system = deps.services.system;
  return async (app) => {
    app.get('/', { config: { access: { permission: 'signed-in' } } }, async (request, reply) => {
      const auth = requireAuth(request);
      const role = auth.user.role;
      const can = (p: Parameters<typeof roleHasPermission>[1]) => roleHasPermission(role, p);
      // The task queues are counted live from the same rules the worklist, the triage queue and
      // the waiting list use, so they are never a day stale; the daily check's last run is
      // shown beside them.
      const home = await system.home(actorFor(auth, request.id));
      return reply.page('pages/home.njk', {
        // No title: the page is titled by the service's name alone (layout.njk).
        groups: home.groups,
        overdue: home.overdue,
        lastDailyCheck: home.lastDailyCheck,
        lettersBlockedBy: home.lettersBlockedBy,
        canReferrals: can('referral:read'),
        canWriteReferrals: can('referral:write'),
        canPatients: can('patient:read'),
        canWritePatients: can('patient:write'),
        canUsers: can('users:manage'),
        canAudit: can('audit:read'),
        canFigures: can('figures:read'),
      });
    });

    registerTaskPages(app, deps);
  };
}
