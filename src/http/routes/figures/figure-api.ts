import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteDeps } from '../../../compose.ts';
import { FIGURE_GROUPS, type Figure } from '../../../domain/figures/figure.ts';
import { AppError } from '../../../services/app-error.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorSchema } from '../api/error-schema.ts';

const cell = z.union([z.string(), z.number(), z.null()]);
const groupKey = z.enum(
  Object.keys(FIGURE_GROUPS) as [keyof typeof FIGURE_GROUPS, ...(keyof typeof FIGURE_GROUPS)[]],
);

const figureSchema = z.object({
  key: z
    .string()
    .describe('Lower-case words joined by hyphens; GET /figures/{key}.csv on the pages gives its CSV'),
  group: groupKey,
  title: z.string(),
  definition: z.object({
    numerator: z.string().describe('What is counted (the numerator of a rate)'),
    denominator: z.string().nullable().describe('What it is divided by; null for a plain count'),
    notes: z.string().optional(),
  }),
  headline: z.string().nullable(),
  chart: z
    .object({
      kind: z.enum(['bar', 'stacked-bar', 'line']),
      xLabel: z.string(),
      yLabel: z.string(),
      series: z.array(
        z.object({
          label: z.string(),
          points: z.array(z.object({ x: z.string(), y: z.number().nullable() })),
        }),
      ),
    })
    .nullable(),
  table: z.object({
    columns: z.array(z.object({ key: z.string(), label: z.string(), unit: z.string().optional() })),
    rows: z.array(z.record(z.string(), cell)).describe('A row per month (YYYY-MM), then the whole period'),
  }),
});

const responseSchema = z.object({
  from: z.string(),
  to: z.string(),
  sections: z.array(z.object({ group: groupKey, title: z.string(), figures: z.array(figureSchema) })),
});

/** A figure as its JSON body (the same fields; arrays copied from their read-only form). */
function figureJson(f: Figure): z.infer<typeof figureSchema> {
  return {
    key: f.key,
    group: f.group,
    title: f.title,
    definition: { ...f.definition },
    headline: f.headline,
    chart:
      f.chart === null
        ? null
        : {
            ...f.chart,
            series: f.chart.series.map((s) => ({ label: s.label, points: s.points.map((p) => ({ ...p })) })),
          },
    table: { columns: f.table.columns.map((c) => ({ ...c })), rows: f.table.rows.map((r) => ({ ...r })) },
  };
}

/**
 * The service's figures as JSON for a period: the same figures, definitions and tables as the
 * figures page. Counts and rates only, for the permission figures:read.
 */
export function figureApiRoutes(deps: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/figures',
      {
        config: { access: { permission: 'figures:read' } },
        schema: {
          tags: ['figures'],
          summary:
            "The service's figures for a period, by month: referrals, selection, procedures and the rest, each with its definition (numerator and denominator) and table. Counts and rates only",
          querystring: z.object({
            from: z
              .string()
              .optional()
              .describe('First day counted, YYYY-MM-DD; default the first day of the month 11 months ago'),
            to: z.string().optional().describe('Last day counted, included, YYYY-MM-DD; default today'),
          }),
          response: { 200: responseSchema, 400: errorSchema, 401: errorSchema, 403: errorSchema },
        },
      },
      async (request) => {
        const parsed = deps.services.figures.parseRange(request.query);
        if (!parsed.ok) {
          throw new AppError('VALIDATION_FAILED', 'The period is not valid', { fieldErrors: parsed.errors });
        }
        const report = await deps.services.figures.all(
          actorFor(requireAuth(request), request.id),
          parsed.value,
        );
        return {
          from: report.range.from,
          to: report.range.to,
          sections: report.sections.map((s) => ({
            group: s.group,
            title: s.title,
            figures: s.figures.map(figureJson),
          })),
        };
      },
    );
  };
}
