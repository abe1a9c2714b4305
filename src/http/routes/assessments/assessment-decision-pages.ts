import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import { DECISION_LABELS } from '../../../domain/selection-decision.ts';
import { SUGGESTION_LABELS } from '../../../domain/selection-suggestion.ts';
import type { DecisionKind } from '../../../domain/selection-workflow.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { dateFromParts, formFields, formVersion, isPageError } from '../form.ts';
import { renderSummary } from './assessment-summary-page.ts';

/** Recording the clinician's decision and the MDT meeting's outcome, and the MDT list. */
export function decisionPages(deps: RouteDeps): FastifyPluginAsync {
  const assessments = deps.services.assessments;
  const decide = { permission: 'assessment:decide' } as const;
  return async (app) => {
    const decisionRoute = (path: string, kind: DecisionKind, done: string) =>
      app.post<{ Params: { id: string } }>(path, { config: { access: decide } }, async (request, reply) => {
        const auth = requireAuth(request);
        const actor = actorFor(auth, request.id);
        const f = formFields(request.body);
        const body: Record<string, unknown> = { ...f };
        let dateError: FieldError | null = null;
        if (kind === 'mdt') {
          // The date-input pattern's three boxes; a bad date leaves the service to refuse the
          // rest of the form too, so every problem is shown at once.
          const parts = dateFromParts(f, 'meetingOn', 'Meeting date');
          body.meetingOn = parts.date ?? '';
          dateError = parts.error;
        }
        const record = kind === 'mdt' ? assessments.recordMdtOutcome : assessments.decide;
        try {
          await record(actor, request.params.id, formVersion(f) ?? 0, body);
          return await reply.redirect(`/assessments/${request.params.id}?done=${done}`, 303);
        } catch (err) {
          if (!isPageError(err)) {
            throw err;
          }
          const errors = dateError
            ? [dateError, ...err.fieldErrors.filter((e) => e.field !== 'meetingOn')]
            : err.fieldErrors;
          const detail = await assessments.view(actor, request.params.id);
          return renderSummary(reply, auth.user.role, detail, {
            status: err.status,
            errors,
            values: f,
            conflict: err.code === 'VALIDATION_FAILED' ? null : err.message,
          });
        }
      });

    decisionRoute('/assessments/:id/decision', 'clinician', 'decision-recorded');
    decisionRoute('/assessments/:id/mdt-outcome', 'mdt', 'mdt-outcome-recorded');

    app.get('/mdt', { config: { access: { permission: 'patient:read' } } }, async (request, reply) => {
      const list = await assessments.mdtList(actorFor(requireAuth(request), request.id));
      const row = (e: (typeof list.waiting)[number]) => ({
        ...e,
        suggestionLabel: SUGGESTION_LABELS[e.suggestion.outcome],
        reasons: e.suggestion.reasons.map((r) => r.text),
        decisionLabel: DECISION_LABELS[e.decision.decision],
      });
      return reply.page('pages/assessments/mdt.njk', {
        title: 'MDT list',
        waiting: list.waiting.map(row),
        recent: list.recent.map(row),
      });
    });
  };
}
