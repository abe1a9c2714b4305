import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { formFields } from '../form.ts';
import { pumpPage } from './pump-page-render.ts';

type PumpParams = { Params: { pumpId: string } };

function yesNo(value: string | undefined): boolean | undefined {
  return value === 'yes' ? true : value === 'no' ? false : undefined;
}
type RequestParams = { Params: { id: string } };

/**
 * The pump page's forms for the pump's end and pauses: record an explant, death or transfer (a
 * request), confirm or reject it (or a replacement asked for by registering the new pump) as a
 * different clinician, correct a mistaken end, pause and resume. Each shows its problems beside the form on the pump page (onPumpPage).
 */
export function pumpLifecycleRoutes(deps: RouteDeps): FastifyPluginAsync {
  const { onPumpPage, onDatedPumpForm } = pumpPage(deps);
  const pumps = deps.services.pumps;
  const manage = { permission: 'pump:manage' } as const;

  return async (app) => {
    app.post<PumpParams>(
      '/pumps/:pumpId/end-requests',
      { config: { access: manage } },
      async (request, reply) => {
        const { pumpId } = request.params;
        const form = { prefix: 'end-', done: 'end-requested', dates: { 'end-endedOn': 'Date' } };
        return onDatedPumpForm(request, reply, pumpId, form, (f, dates) =>
          pumps.requestEnd(actorFor(requireAuth(request), request.id), pumpId, {
            kind: f['end-kind'] || undefined,
            endedOn: dates['end-endedOn'],
            reason: f['end-reason'] ?? '',
          }),
        );
      },
    );

    app.post<PumpParams>(
      '/pumps/:pumpId/end-corrections',
      { config: { access: manage } },
      async (request, reply) => {
        const { pumpId } = request.params;
        const f = formFields(request.body);
        return onPumpPage(
          request,
          reply,
          pumpId,
          'correct-',
          () =>
            pumps.requestEndCorrection(actorFor(requireAuth(request), request.id), pumpId, {
              reason: f['correct-reason'] ?? '',
            }),
          'correction-requested',
        );
      },
    );

    const decide = (kind: 'confirm' | 'reject') =>
      app.post<RequestParams>(
        `/pump-end-requests/:id/${kind}`,
        { config: { access: manage } },
        async (request, reply) => {
          const { id } = request.params;
          const found = await pumps.findEndRequest(id);
          const f = formFields(request.body);
          const actor = actorFor(requireAuth(request), request.id);
          return onPumpPage(
            request,
            reply,
            found.pumpId,
            kind === 'confirm' ? 'confirm-end-' : 'reject-end-',
            () =>
              kind === 'confirm'
                ? pumps.confirmEnd(actor, id, { note: f['confirm-end-note'] ?? null })
                : pumps.rejectEnd(actor, id, { reason: f['reject-end-reason'] ?? '' }),
            kind === 'reject'
              ? 'end-rejected'
              : found.kind === 'correction'
                ? 'correction-confirmed'
                : 'end-confirmed',
          );
        },
      );
    decide('confirm');
    decide('reject');

    app.post<PumpParams>('/pumps/:pumpId/pause', { config: { access: manage } }, async (request, reply) => {
      const { pumpId } = request.params;
      const dates = { 'pause-pausedOn': 'Date paused', 'pause-resumeBy': 'Date to resume' };
      return onDatedPumpForm(request, reply, pumpId, { prefix: 'pause-', done: 'paused', dates }, (f, d) =>
        pumps.pause(actorFor(requireAuth(request), request.id), pumpId, {
          reason: f['pause-reason'] || undefined,
          // The radios send yes or no; nothing chosen is no answer, refused by the service.
          emptied: yesNo(f['pause-emptied']),
          note: f['pause-note'] ?? null,
          pausedOn: d['pause-pausedOn'],
          resumeBy: d['pause-resumeBy'],
        }),
      );
    });

    app.post<PumpParams>('/pumps/:pumpId/resume', { config: { access: manage } }, async (request, reply) => {
      const { pumpId } = request.params;
      const form = { prefix: 'resume-', done: 'resumed', dates: { 'resume-resumedOn': 'Date resumed' } };
      return onDatedPumpForm(request, reply, pumpId, form, (f, dates) =>
        pumps.resume(actorFor(requireAuth(request), request.id), pumpId, {
          resumedOn: dates['resume-resumedOn'],
          note: f['resume-note'] ?? null,
        }),
      );
    });
  };
}
