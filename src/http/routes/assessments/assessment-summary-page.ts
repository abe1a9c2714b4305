import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import { roleHasPermission, type Role } from '../../../domain/roles.ts';
import { DECISION_LABELS } from '../../../domain/selection-decision.ts';
import { findQuestion } from '../../../domain/selection-protocol.ts';
import { SUGGESTION_LABELS } from '../../../domain/selection-suggestion.ts';
import { answersCanChange, awaitsDecision } from '../../../domain/selection-workflow.ts';
import type { AssessmentDetail } from '../../../services/assessment-view-service.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorContext } from '../../plugins/views.ts';
import { formFields, noticeFrom } from '../form.ts';
import {
  answerSections,
  decisionItems,
  mdtDecisionItems,
  STATE_LABELS,
  suggestionView,
} from './assessment-view.ts';

/** The assessment page's banners by `?done=` code: never text from the address itself. */
const ASSESSMENT_NOTICES: Readonly<Record<string, string>> = {
  'answers-saved': 'Answers saved',
  'decision-recorded': 'Decision recorded',
  'mdt-outcome-recorded': 'MDT outcome recorded',
};

/**
 * The assessment summary page, with the decision or MDT form when this user may use them: the
 * same role and workflow rules the services enforce (domain/selection-workflow.ts).
 */
export function renderSummary(
  reply: FastifyReply,
  role: Role,
  detail: AssessmentDetail,
  extra: {
    status?: number;
    errors?: readonly FieldError[];
    values?: Record<string, unknown>;
    notice?: string | null;
    dropped?: readonly string[];
    conflict?: string | null;
  } = {},
) {
  const { assessment, protocol } = detail;
  const mayDecide = roleHasPermission(role, 'assessment:decide');
  const values = extra.values ?? {};
  // The standing decision (the latest: the clinician's, or the MDT outcome after it) leads on.
  const standing = detail.decisions.at(-1);
  return reply.status(extra.status ?? 200).page('pages/assessments/show.njk', {
    title: 'Selection assessment',
    ...detail,
    stateLabel: STATE_LABELS[assessment.state],
    suggestionView: suggestionView(detail.suggestion),
    sections: answerSections(detail),
    decisions: detail.decisions.map((d) => ({
      ...d,
      decisionLabel: DECISION_LABELS[d.decision],
      suggestionLabel: SUGGESTION_LABELS[d.suggestion.outcome],
    })),
    canEdit: roleHasPermission(role, 'assessment:write') && answersCanChange(assessment.state),
    canDecide: mayDecide && awaitsDecision(assessment.state, 'clinician'),
    canRecordMdt: mayDecide && awaitsDecision(assessment.state, 'mdt'),
    nextStep:
      standing?.decision === 'proceed-to-test-dose' && roleHasPermission(role, 'testdose:record')
        ? { href: `/patients/${detail.patient.id}/test-doses/new`, text: 'Start a test dose' }
        : null,
    decisionItems: decisionItems(detail.suggestion, values.decision as string | undefined),
    mdtItems: mdtDecisionItems(values.decision as string | undefined),
    values,
    meetingParts: {
      day: values['meetingOn-day'] ?? '',
      month: values['meetingOn-month'] ?? '',
      year: values['meetingOn-year'] ?? '',
    },
    notice: extra.notice ?? null,
    conflict: extra.conflict ?? null,
    // Only the protocol's own question texts: an id the protocol does not have is not shown.
    droppedTexts: (extra.dropped ?? []).flatMap((id) => findQuestion(protocol.definition, id)?.text ?? []),
    ...errorContext(extra.errors ?? [], { meetingOn: 'meetingOn-day' }),
  });
}

/** GET /assessments/:id: the summary, with the banner a redirect named. */
export function summaryPage(deps: RouteDeps): FastifyPluginAsync {
  const assessments = deps.services.assessments;
  return async (app) => {
    app.get<{ Params: { id: string } }>(
      '/assessments/:id',
      { config: { access: { permission: 'patient:read' } } },
      async (request, reply) => {
        const auth = requireAuth(request);
        const detail = await assessments.view(actorFor(auth, request.id), request.params.id);
        // Read as text: a repeated parameter arrives as an array.
        const q = formFields(request.query);
        return renderSummary(reply, auth.user.role, detail, {
          notice: noticeFrom(ASSESSMENT_NOTICES, q.done),
          dropped: q.dropped ? q.dropped.split(',').filter((x) => x !== '') : [],
        });
      },
    );
  };
}
