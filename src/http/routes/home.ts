import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../compose.ts';
import { roleHasPermission } from '../../domain/roles.ts';
import { serviceFigures } from '../../services/figures-service.ts';

export function homeRoutes(deps: AppDeps): FastifyPluginAsync {
  return async (app) => {
    app.get('/', { config: { access: { permission: 'signed-in' } } }, async (request, reply) => {
      const role = request.auth?.user.role;
      const can = (p: Parameters<typeof roleHasPermission>[1]) =>
        role !== undefined && roleHasPermission(role, p);
      return reply.page('pages/home.njk', {
        title: 'ITB service',
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
