import { Readable } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorContext } from '../../plugins/views.ts';
import { filterQuery, parseFilter } from './audit-filter.ts';

export function auditRoutes(deps: RouteDeps): FastifyPluginAsync {
  const audit = deps.services.audit;
  const access = { permission: 'audit:read' } as const;

  return async (app) => {
    app.get('/audit', { config: { access } }, async (request, reply) => {
      const q = filterQuery(request.query);
      const { filter, errors } = await parseFilter(deps, q);
      if (errors.length > 0) {
        return reply
          .status(400)
          .page('pages/audit.njk', { title: 'Audit trail', q, rows: [], ...errorContext(errors) });
      }
      const before = q.before && /^\d{1,15}$/.test(q.before) ? Number(q.before) : undefined;
      const page = await audit.browse(actorFor(requireAuth(request), request.id), filter, before);
      const params = new URLSearchParams(
        Object.entries(q).flatMap(([k, v]): [string, string][] =>
          k !== 'before' && typeof v === 'string' && v !== '' ? [[k, v]] : [],
        ),
      );
      const sep = params.size > 0 ? '&' : '';
      return reply.page('pages/audit.njk', {
        title: 'Audit trail',
        q,
        rows: page.entries,
        showsPatients: page.showsPatients,
        paged: before !== undefined,
        exportHref: `/audit/export.csv?${params.toString()}`,
        newestHref: `/audit?${params.toString()}`,
        olderHref:
          page.olderThan === null
            ? null
            : `/audit?${params.toString()}${sep}before=${String(page.olderThan)}`,
      });
    });

    app.get('/audit/export.csv', { config: { access } }, async (request, reply) => {
      const q = filterQuery(request.query);
      const { filter, errors } = await parseFilter(deps, q);
      if (errors.length > 0) {
        return reply.status(400).page('pages/audit.njk', {
          title: 'Audit trail',
          q,
          rows: [],
          ...errorContext(errors),
        });
      }
      const stamp = deps.clock.now().toISOString().slice(0, 10);
      void reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="itb-audit-${stamp}.csv"`);
      return reply.send(Readable.from(audit.exportCsv(actorFor(requireAuth(request), request.id), filter)));
    });
  };
}
