import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { dateFromParts, formFields } from '../form.ts';
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
  const { renderPump, onPumpPage } = pumpPage(deps);
  const pumps = deps.services.pumps;
  const manage = { permission: 'pump:manage' } as const;

  return async (app) => {
    app.post<PumpParams>(
      '/pumps/:pumpId/end-requests',
      { config: { access: manage } },
      async (request, reply) => {
        const { pumpId } = request.params;
        const f = formFields(request.body);
        const { date, error } = dateFromParts(f, 'end-endedOn', 'Date');
        if (error) {
          return renderPump(request, reply, pumpId, { status: 400, errors: [error], values: f });
        }
        return onPumpPage(
          request,
          reply,
          pumpId,
          'end-',
          () =>
            pumps.requestEnd(actorFor(requireAuth(request), request.id), pumpId, {
              kind: f['end-kind'] || undefined,
              endedOn: date,
              reason: f['end-reason'] ?? '',
            }),
          'end-requested',
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
      const f = formFields(request.body);
      const from = dateFromParts(f, 'pause-pausedOn', 'Date paused');
      const until = dateFromParts(f, 'pause-resumeBy', 'Date to resume');
      const errors = [from.error, until.error].filter((e): e is FieldError => e !== null);
      if (errors.length > 0) {
        return renderPump(request, reply, pumpId, { status: 400, errors, values: f });
      }
      return onPumpPage(
        request,
        reply,
        pumpId,
        'pause-',
        () =>
          pumps.pause(actorFor(requireAuth(request), request.id), pumpId, {
            reason: f['pause-reason'] || undefined,
            // The radios send yes or no; nothing chosen is no answer, refused by the service.
            emptied: yesNo(f['pause-emptied']),
            note: f['pause-note'] ?? null,
            pausedOn: from.date,
            resumeBy: until.date,
          }),
        'paused',
      );
    });

    app.post<PumpParams>('/pumps/:pumpId/resume', { config: { access: manage } }, async (request, reply) => {
      const { pumpId } = request.params;
      const f = formFields(request.body);
      const { date, error } = dateFromParts(f, 'resume-resumedOn', 'Date resumed');
      if (error) {
        return renderPump(request, reply, pumpId, { status: 400, errors: [error], values: f });
      }
      return onPumpPage(
        request,
        reply,
        pumpId,
        'resume-',
        () =>
          pumps.resume(actorFor(requireAuth(request), request.id), pumpId, {
            resumedOn: date,
            note: f['resume-note'] ?? null,
          }),
        'resumed',
      );
    });
  };
}
