import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import { roleHasPermission } from '../../../domain/roles.ts';

export function homeRoutes(deps: RouteDeps): FastifyPluginAsync {
  const system = deps.services.system;
  return async (app) => {
    app.get('/', { config: { access: { permission: 'signed-in' } } }, async (request, reply) => {
      const role = request.auth?.user.role;
      const can = (p: Parameters<typeof roleHasPermission>[1]) =>
        role !== undefined && roleHasPermission(role, p);
      const canReferrals = can('referral:read');
      // The dashboard's flags are worked out live from the same rules the daily check uses,
      // so they are never a day stale; the daily check's last run is shown beside them.
      const referrals = canReferrals ? await system.referralDashboard() : null;
      return reply.page('pages/home.njk', {
        title: 'ITB service',
        canReferrals,
        canWriteReferrals: can('referral:write'),
        alerts: referrals?.alerts ?? null,
        newEmails: referrals?.newEmails ?? 0,
        lastDailyCheck: referrals?.lastDailyCheck ?? null,
        triageAlertDays: deps.config.triageAlertWorkingDays,
        canPatients: can('patient:read'),
        canWritePatients: can('patient:write'),
        canUsers: can('users:manage'),
        canAudit: can('audit:read'),
        canFigures: can('figures:read'),
      });
    });

    app.get('/figures', { config: { access: { permission: 'figures:read' } } }, async (_request, reply) => {
      return reply.page('pages/figures.njk', {
        title: 'Service figures',
        figures: await system.figures(),
      });
    });
  };
}
