import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorContext } from '../../plugins/views.ts';
import { figureCsv, figureCsvName } from './figure-csv.ts';
import { figureView } from './figure-view.ts';

/**
 * The figures page (every figure for a period, each with its definition, chart, table and CSV
 * link) and each figure's CSV. Counts and rates only: figures:read, no patient data.
 */

const access = { permission: 'figures:read' } as const;

/** The raw from and to of the query, as typed, to show them back in the form. */
function rangeQuery(query: unknown): { from?: unknown; to?: unknown } {
  const q = (query ?? {}) as Record<string, unknown>;
  return { from: q.from, to: q.to };
}

function asText(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function figureRoutes(deps: RouteDeps): FastifyPluginAsync {
  const figures = deps.services.figures;

  return async (app) => {
    const refusePage = (
      reply: FastifyReply,
      q: { from?: unknown; to?: unknown },
      errors: readonly FieldError[],
    ) =>
      reply.status(400).page('pages/figures/figures.njk', {
        title: 'Service figures',
        q: { from: asText(q.from), to: asText(q.to) },
        sections: [],
        ...errorContext(errors),
      });

    app.get('/figures', { config: { access } }, async (request, reply) => {
      const q = rangeQuery(request.query);
      const parsed = figures.parseRange(q);
      if (!parsed.ok) {
        return refusePage(reply, q, parsed.errors);
      }
      const range = parsed.value;
      const actor = actorFor(requireAuth(request), request.id);
      const report = await figures.all(actor, range);
      const summary = await figures.summary();
      return reply.page('pages/figures/figures.njk', {
        title: 'Service figures',
        q: range,
        period: range,
        summary,
        sections: report.sections.map((s) => ({ ...s, figures: s.figures.map((f) => figureView(f, range)) })),
      });
    });

    app.get('/figures/:key.csv', { config: { access } }, async (request, reply) => {
      const { key } = request.params as { key: string };
      const q = rangeQuery(request.query);
      const parsed = figures.parseRange(q);
      if (!parsed.ok) {
        return refusePage(reply, q, parsed.errors);
      }
      const figure = await figures.one(actorFor(requireAuth(request), request.id), key, parsed.value);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${figureCsvName(figure.key, parsed.value)}"`)
        .send(figureCsv(figure, parsed.value));
    });
  };
}
