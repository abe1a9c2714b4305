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
      const before = q.before && /^\d+$/.test(q.before) ? Number(q.before) : undefined;
      const rows = await audit.browse(actorFor(requireAuth(request), request.id), filter, before);
      const params = new URLSearchParams(
        Object.entries(q).flatMap(([k, v]): [string, string][] =>
          k !== 'before' && typeof v === 'string' && v !== '' ? [[k, v]] : [],
        ),
      );
      const last = rows.at(-1);
      return reply.page('pages/audit.njk', {
        title: 'Audit trail',
        q,
        rows,
        exportHref: `/audit/export.csv?${params.toString()}`,
        olderHref: last && rows.length >= 100 ? `/audit?${params.toString()}&before=${last.seq}` : null,
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
