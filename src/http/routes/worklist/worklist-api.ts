import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteDeps } from '../../../compose.ts';
import { END_REQUEST_KINDS } from '../../../domain/pump-lifecycle.ts';
import { REFILL_STATUSES, REFILL_STATUS_LABELS } from '../../../domain/refill-worklist.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { worklistDaysText } from './worklist-view.ts';
import { errorSchema } from '../api/error-schema.ts';

const PAGE_SIZE_MAX = 500;

const entrySchema = z.object({
  pumpId: z.string(),
  patientId: z.string(),
  patientName: z.string(),
  nhsNumber: z.string(),
  modelName: z.string(),
  reservoirMl: z.number(),
  status: z.enum(REFILL_STATUSES),
  statusText: z.string(),
  escalated: z.boolean().describe('No refill booked before the due date: needs action today'),
  dueOn: z.string().nullable().describe('The refill due date, moved to a working day'),
  daysLeft: z
    .number()
    .nullable()
    .describe('Days to the due date (paused: to the resume date); negative when overdue'),
  daysText: z
    .string()
    .nullable()
    .describe('daysLeft in words, as the page shows it: "44 days overdue", "Due today", "3 days left"'),
  alarmOn: z.string().nullable(),
  bookedRefillOn: z.string().nullable(),
  awaitingCheck: z.boolean().describe('A refill is recorded but not yet signed'),
  pause: z
    .object({ pausedOn: z.string(), resumeBy: z.string() })
    .nullable()
    .describe('While the pump is paused (status paused, or resume-overdue once the resume date is reached)'),
  endRequest: z
    .object({ kind: z.enum(END_REQUEST_KINDS), label: z.string() })
    .nullable()
    .describe(
      'Ending: awaiting confirmation. An explant, death or transfer waiting for a second clinician; the pump stays on the list until then',
    ),
  review: z.object({
    dueOn: z.string(),
    label: z.string(),
    status: z.enum(['overdue', 'due-soon', 'later']),
    daysLeft: z.number().int().describe('Days from today to dueOn; negative once overdue'),
    daysOverdue: z
      .number()
      .int()
      .describe('Days past dueOn with the review not yet recorded as held; 0 when not overdue'),
    bookedOn: z.string().nullable(),
  }),
  replacement: z.object({
    replaceBy: z.string(),
    status: z.enum(['overdue', 'due-soon', 'later']),
    eriOn: z.string().nullable(),
  }),
});

const worklistSchema = z.object({
  today: z.string(),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
  counts: z.record(z.enum(REFILL_STATUSES), z.number()),
  escalated: z.number(),
  reviewsDue: z.number(),
  replacementsDue: z.number(),
  ending: z
    .number()
    .describe('Pumps with an explant, death or transfer waiting for a second clinician (still on the list)'),
  entries: z.array(entrySchema),
});

/** The caseload-wide refill worklist as JSON, most at risk first, a page at a time. */
export function worklistApiRoutes(deps: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/worklist',
      {
        config: { access: { permission: 'patient:read' } },
        schema: {
          tags: ['pumps'],
          summary:
            'Every implanted pump with its refill standing, review and replacement, most at risk first (paused past its resume date, overdue, no fill recorded, booked late, not booked, paused, due this week, booked in time)',
          querystring: z.object({
            page: z.coerce
              .number({ error: 'page must be a whole number from 1' })
              .int({ error: 'page must be a whole number from 1' })
              .min(1, { error: 'page must be a whole number from 1' })
              .default(1),
            pageSize: z.coerce
              .number({ error: `pageSize must be a whole number from 1 to ${PAGE_SIZE_MAX}` })
              .int({ error: `pageSize must be a whole number from 1 to ${PAGE_SIZE_MAX}` })
              .min(1, { error: `pageSize must be a whole number from 1 to ${PAGE_SIZE_MAX}` })
              .max(PAGE_SIZE_MAX, { error: `pageSize must be a whole number from 1 to ${PAGE_SIZE_MAX}` })
              .default(100),
          }),
          response: { 200: worklistSchema, 400: errorSchema, 401: errorSchema, 403: errorSchema },
        },
      },
      async (request) => {
        const { page, pageSize } = request.query;
        const { list } = await deps.services.pumps.worklist(actorFor(requireAuth(request), request.id), {
          page,
          pageSize,
        });
        return {
          today: list.today,
          total: list.total,
          page,
          pageSize,
          counts: list.counts,
          escalated: list.escalated,
          reviewsDue: list.reviewsDue,
          replacementsDue: list.replacementsDue,
          ending: list.ending,
          entries: list.entries.map((e) => ({
            pumpId: e.pumpId,
            patientId: e.patientId,
            patientName: e.patientName,
            nhsNumber: e.nhsNumber,
            modelName: e.modelName,
            reservoirMl: e.reservoirMl,
            status: e.standing.status,
            statusText: REFILL_STATUS_LABELS[e.standing.status],
            escalated: e.standing.escalated,
            dueOn: e.standing.dueOn,
            daysLeft: e.standing.daysLeft,
            daysText: worklistDaysText(e),
            alarmOn: e.alarmOn,
            bookedRefillOn: e.bookedRefillOn,
            awaitingCheck: e.awaitingCheck,
            pause: e.pause,
            endRequest: e.endRequest,
            review: e.review,
            replacement: e.replacement,
          })),
        };
      },
    );
  };
}
