import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import { formatPlainDate } from '../../../domain/calendar-date.ts';
import { withoutSourceKeys } from '../../../domain/clinical-sources.ts';
import { roleHasPermission } from '../../../domain/roles.ts';
import { DECISION_LABELS } from '../../../domain/selection-decision.ts';
import { SUGGESTION_LABELS } from '../../../domain/selection-suggestion.ts';
import { AppError } from '../../../services/app-error.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorContext } from '../../plugins/views.ts';
import { formFields } from '../form.ts';
import { answerPages } from './assessment-answer-pages.ts';
import { decisionPages } from './assessment-decision-pages.ts';
import { summaryPage } from './assessment-summary-page.ts';
import { STATE_LABELS } from './assessment-view.ts';
import { protocolPages } from './protocol-pages.ts';

/**
 * Selection assessment, MDT and protocol pages: here a patient's assessments and starting one;
 * the summary, answers, decisions and protocols each in their own file beside this one.
 */
export function assessmentRoutes(deps: RouteDeps): FastifyPluginAsync {
  const assessments = deps.services.assessments;
  const read = { permission: 'patient:read' } as const;
  const write = { permission: 'assessment:write' } as const;

  const renderNew = async (
    reply: FastifyReply,
    patientId: string,
    status: number,
    values: Record<string, string>,
    errors: readonly FieldError[] = [],
  ) => {
    const { protocols, referrals } = await assessments.startChoices(patientId);
    return reply.status(status).page('pages/assessments/new.njk', {
      title: 'Start a selection assessment',
      patientId,
      protocolItems: protocols.map((p) => ({
        value: p.code,
        text: `${p.title} (version ${String(p.version)})`,
        hint: { text: `${p.population}. ${withoutSourceKeys(p.definition.source)}` },
        checked: values.protocolCode === p.code,
      })),
      referralItems: [
        { value: '', text: 'Not linked to a referral' },
        ...referrals.map((r) => ({
          value: r.id,
          text: `Received ${formatPlainDate(r.receivedOn)} from ${r.referrerName}`,
          selected: values.referralId === r.id,
        })),
      ],
      ...errorContext(errors, { protocolCode: 'protocolCode', referralId: 'referralId' }),
    });
  };

  return async (app) => {
    app.get<{ Params: { patientId: string } }>(
      '/patients/:patientId/assessments',
      { config: { access: read } },
      async (request, reply) => {
        const auth = requireAuth(request);
        const { patient, assessments: list } = await assessments.forPatient(
          actorFor(auth, request.id),
          request.params.patientId,
        );
        return reply.page('pages/assessments/list.njk', {
          title: 'Selection assessments',
          patient,
          assessments: list.map((s) => ({
            ...s,
            stateLabel: STATE_LABELS[s.assessment.state],
            suggestionLabel: SUGGESTION_LABELS[s.suggestion.outcome],
            decisionLabel: s.finalDecision ? DECISION_LABELS[s.finalDecision.decision] : null,
          })),
          canStart: roleHasPermission(auth.user.role, 'assessment:write'),
        });
      },
    );

    // ?referralId= (from a first appointment's next step) picks that referral; the choice is
    // only ever one of the patient's own referrals listed on the form.
    app.get<{ Params: { patientId: string }; Querystring: { referralId?: unknown } }>(
      '/patients/:patientId/assessments/new',
      { config: { access: write } },
      async (request, reply) => {
        // From a referral's page or a next step: the referral it starts from is chosen already.
        const referralId = typeof request.query.referralId === 'string' ? request.query.referralId : '';
        return renderNew(reply, request.params.patientId, 200, referralId ? { referralId } : {});
      },
    );

    app.post<{ Params: { patientId: string } }>(
      '/patients/:patientId/assessments',
      { config: { access: write } },
      async (request, reply) => {
        const f = formFields(request.body);
        try {
          const a = await assessments.start(actorFor(requireAuth(request), request.id), {
            patientId: request.params.patientId,
            protocolCode: f.protocolCode ?? '',
            referralId: f.referralId ? f.referralId : null,
          });
          const fromReferral = a.referralId !== null && Object.keys(a.answers).length > 0;
          return await reply.redirect(
            `/assessments/${a.id}/answers${fromReferral ? '?from=referral' : ''}`,
            303,
          );
        } catch (err) {
          if (err instanceof AppError && err.code === 'VALIDATION_FAILED') {
            if (err.fieldErrors.some((e) => e.field === 'patientId')) {
              throw new AppError('NOT_FOUND', 'Patient not found');
            }
            return renderNew(reply, request.params.patientId, 400, f, err.fieldErrors);
          }
          throw err;
        }
      },
    );

    await app.register(summaryPage(deps));
    await app.register(answerPages(deps));
    await app.register(decisionPages(deps));
    await app.register(protocolPages(deps));
  };
}
