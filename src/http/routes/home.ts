import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../compose.ts';
import { roleHasPermission } from '../../domain/roles.ts';
import { serviceFigures } from '../../services/figures-service.ts';
import { referralAlerts } from '../../services/referral-alerts.ts';
import { countIntakeItems } from '../../storage/intake.repository.ts';
import { latestJobRun } from '../../storage/jobs.repository.ts';
import { DAILY_CHECK_JOB } from '../../jobs/daily-referral-check.ts';

export function homeRoutes(deps: AppDeps): FastifyPluginAsync {
  return async (app) => {
    app.get('/', { config: { access: { permission: 'signed-in' } } }, async (request, reply) => {
      const role = request.auth?.user.role;
      const can = (p: Parameters<typeof roleHasPermission>[1]) =>
        role !== undefined && roleHasPermission(role, p);
      const canReferrals = can('referral:read');
      const db = deps.database.db;
      // The dashboard's flags are worked out live from the same rules the daily check uses,
      // so they are never a day stale; the daily check's last run is shown beside them.
      const alerts = canReferrals
        ? await referralAlerts({ db, clock: deps.clock, config: deps.config })
        : null;
      return reply.page('pages/home.njk', {
        title: 'ITB service',
        canReferrals,
        canWriteReferrals: can('referral:write'),
        alerts,
        newEmails: canReferrals ? await countIntakeItems(db, 'new') : 0,
        lastDailyCheck: canReferrals ? ((await latestJobRun(db, DAILY_CHECK_JOB)) ?? null) : null,
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
        figures: await serviceFigures(deps.database.db),
      });
    });
  };
}
