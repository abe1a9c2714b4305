import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import { answersCanChange } from '../../../domain/selection-workflow.ts';
import type { AssessmentDetail } from '../../../services/assessment-view-service.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorContext } from '../../plugins/views.ts';
import { formFields, formVersion, isPageError } from '../form.ts';
import { answerHrefs, answersFromForm, questionForm } from './assessment-view.ts';

function renderAnswers(
  reply: FastifyReply,
  detail: AssessmentDetail,
  answers: AssessmentDetail['assessment']['answers'],
  opts: {
    status?: number;
    errors?: readonly FieldError[];
    version?: number;
    conflict?: string | null;
    fromReferral?: boolean;
  } = {},
) {
  return reply.status(opts.status ?? 200).page('pages/assessments/answers.njk', {
    title: 'Assessment answers',
    ...detail,
    form: questionForm(detail.protocol.definition, answers),
    version: opts.version ?? detail.assessment.version,
    conflict: opts.conflict ?? null,
    fromReferral: opts.fromReferral === true,
    ...errorContext(opts.errors ?? [], answerHrefs(detail.protocol.definition)),
  });
}

/** The answers form of an assessment in progress, and saving it. */
export function answerPages(deps: RouteDeps): FastifyPluginAsync {
  const assessments = deps.services.assessments;
  const write = { permission: 'assessment:write' } as const;
  return async (app) => {
    app.get<{ Params: { id: string } }>(
      '/assessments/:id/answers',
      { config: { access: write } },
      async (request, reply) => {
        const detail = await assessments.view(actorFor(requireAuth(request), request.id), request.params.id);
        if (!answersCanChange(detail.assessment.state)) {
          return reply.redirect(`/assessments/${detail.assessment.id}`, 303);
        }
        // Just started from a referral: its answers are filled in, to be checked.
        const fromReferral =
          (request.query as Record<string, string | undefined>).from === 'referral' &&
          detail.assessment.referralId !== null &&
          detail.assessment.version === 1;
        return renderAnswers(reply, detail, detail.assessment.answers, { fromReferral });
      },
    );

    app.post<{ Params: { id: string } }>(
      '/assessments/:id/answers',
      { config: { access: write } },
      async (request, reply) => {
        const actor = actorFor(requireAuth(request), request.id);
        const f = formFields(request.body);
        const protocol = await assessments.protocolOf(request.params.id);
        const raw = answersFromForm(protocol.definition, request.body, f);
        try {
          const saved = await assessments.saveAnswers(actor, request.params.id, {
            version: formVersion(f) ?? 0,
            protocolVersion: Number(f.protocolVersion),
            answers: raw,
          });
          const dropped = saved.dropped.length > 0 ? `&dropped=${saved.dropped.join(',')}` : '';
          return await reply.redirect(`/assessments/${request.params.id}?done=answers-saved${dropped}`, 303);
        } catch (err) {
          if (!isPageError(err)) {
            throw err;
          }
          // A refused or stale save shows the stored answers again; a validation error, what was entered.
          const detail = await assessments.view(actor, request.params.id);
          const stale = err.code !== 'VALIDATION_FAILED';
          return renderAnswers(reply, detail, stale ? detail.assessment.answers : raw, {
            status: err.status,
            errors: err.fieldErrors,
            version: stale ? detail.assessment.version : (formVersion(f) ?? 0),
            conflict: stale ? err.message : null,
          });
        }
      },
    );
  };
}
