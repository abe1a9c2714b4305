import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { AppDeps } from '../../../compose.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import { roleHasPermission, type Role } from '../../../domain/roles.ts';
import { DECISION_LABELS } from '../../../domain/selection-decision.ts';
import { findQuestion } from '../../../domain/selection-protocol.ts';
import { SUGGESTION_LABELS } from '../../../domain/selection-suggestion.ts';
import { AppError } from '../../../services/app-error.ts';
import {
  assessmentProtocol,
  decideAssessment,
  mdtList,
  patientAssessments,
  recordMdtOutcome,
  saveAnswers,
  startAssessment,
  viewAssessment,
  type AssessmentDeps,
  type AssessmentDetail,
} from '../../../services/assessment-service.ts';
import { viewPatient } from '../../../services/patient-service.ts';
import { latestVersions } from '../../../services/protocol-list-service.ts';
import { listReferralsForPatient } from '../../../storage/referrals.repository.ts';
import { findProtocolById, listProtocols } from '../../../storage/selection.repository.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorContext } from '../../plugins/views.ts';
import {
  answerHrefs,
  answerSections,
  answersFromForm,
  decisionItems,
  mdtDecisionItems,
  questionForm,
  STATE_LABELS,
  suggestionView,
} from './assessment-view.ts';
import { dateFromParts, formFields, formVersion } from '../form.ts';

export function assessmentServiceDeps(deps: AppDeps): AssessmentDeps {
  return { db: deps.database.db, clock: deps.clock, config: deps.config };
}

const FORM_ERRORS = ['VALIDATION_FAILED', 'STALE_EDIT', 'INVALID_STATE'];

/** The assessment page's banners by `?done=` code: never text from the address itself. */
const ASSESSMENT_NOTICES: Readonly<Record<string, string>> = {
  'answers-saved': 'Answers saved',
  'decision-recorded': 'Decision recorded',
  'mdt-outcome-recorded': 'MDT outcome recorded',
};

/** Selection assessment, MDT and protocol pages. */
export function assessmentRoutes(deps: AppDeps): FastifyPluginAsync {
  const svc = assessmentServiceDeps(deps);
  const read = { permission: 'patient:read' } as const;
  const write = { permission: 'assessment:write' } as const;
  const decide = { permission: 'assessment:decide' } as const;

  /** The assessment summary page, with the decision or MDT form when this user may use them. */
  const renderShow = (
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
  ) => {
    const { assessment, protocol } = detail;
    const canDecide = roleHasPermission(role, 'assessment:decide');
    const values = extra.values ?? {};
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
      canEdit: roleHasPermission(role, 'assessment:write') && assessment.state === 'in-progress',
      canDecide: canDecide && assessment.state === 'in-progress',
      canRecordMdt: canDecide && assessment.state === 'awaiting-mdt',
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
  };

  const renderAnswers = (
    reply: FastifyReply,
    detail: AssessmentDetail,
    answers: AssessmentDetail['assessment']['answers'],
    opts: {
      status?: number;
      errors?: readonly FieldError[];
      version?: number;
      conflict?: string | null;
    } = {},
  ) =>
    reply.status(opts.status ?? 200).page('pages/assessments/answers.njk', {
      title: 'Assessment answers',
      ...detail,
      form: questionForm(detail.protocol.definition, answers),
      version: opts.version ?? detail.assessment.version,
      conflict: opts.conflict ?? null,
      ...errorContext(opts.errors ?? [], answerHrefs(detail.protocol.definition)),
    });

  return async (app) => {
    app.get<{ Params: { patientId: string } }>(
      '/patients/:patientId/assessments',
      { config: { access: read } },
      async (request, reply) => {
        const auth = requireAuth(request);
        const patient = await viewPatient(
          { db: svc.db, clock: svc.clock, timeZone: deps.config.timeZone },
          actorFor(auth, request.id),
          request.params.patientId,
        );
        const list = await patientAssessments(svc, patient.id);
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

    const renderNew = async (
      reply: FastifyReply,
      patientId: string,
      status: number,
      values: Record<string, string>,
      errors: readonly FieldError[] = [],
    ) => {
      const [protocols, referrals] = await Promise.all([
        listProtocols(svc.db),
        listReferralsForPatient(svc.db, patientId),
      ]);
      return reply.status(status).page('pages/assessments/new.njk', {
        title: 'Start a selection assessment',
        patientId,
        protocolItems: latestVersions(protocols).map((p) => ({
          value: p.code,
          text: `${p.title} (version ${String(p.version)})`,
          hint: { text: `${p.population}. ${p.definition.source}` },
          checked: values.protocolCode === p.code,
        })),
        referralItems: [
          { value: '', text: 'Not linked to a referral' },
          ...referrals.map((r) => ({
            value: r.id,
            text: `Received ${r.receivedOn} from ${r.referrerName}`,
            selected: values.referralId === r.id,
          })),
        ],
        ...errorContext(errors, { protocolCode: 'protocolCode', referralId: 'referralId' }),
      });
    };

    app.get<{ Params: { patientId: string } }>(
      '/patients/:patientId/assessments/new',
      { config: { access: write } },
      async (request, reply) => renderNew(reply, request.params.patientId, 200, {}),
    );

    app.post<{ Params: { patientId: string } }>(
      '/patients/:patientId/assessments',
      { config: { access: write } },
      async (request, reply) => {
        const f = formFields(request.body);
        try {
          const a = await startAssessment(svc, actorFor(requireAuth(request), request.id), {
            patientId: request.params.patientId,
            protocolCode: f.protocolCode ?? '',
            referralId: f.referralId ? f.referralId : null,
          });
          return await reply.redirect(`/assessments/${a.id}/answers`, 303);
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

    app.get<{ Params: { id: string } }>(
      '/assessments/:id',
      { config: { access: read } },
      async (request, reply) => {
        const auth = requireAuth(request);
        const detail = await viewAssessment(svc, actorFor(auth, request.id), request.params.id);
        // Read as text: a repeated parameter arrives as an array.
        const q = formFields(request.query);
        return renderShow(reply, auth.user.role, detail, {
          notice:
            q.done !== undefined && Object.hasOwn(ASSESSMENT_NOTICES, q.done)
              ? (ASSESSMENT_NOTICES[q.done] ?? null)
              : null,
          dropped: q.dropped ? q.dropped.split(',').filter((x) => x !== '') : [],
        });
      },
    );

    app.get<{ Params: { id: string } }>(
      '/assessments/:id/answers',
      { config: { access: write } },
      async (request, reply) => {
        const detail = await viewAssessment(
          svc,
          actorFor(requireAuth(request), request.id),
          request.params.id,
        );
        if (detail.assessment.state !== 'in-progress') {
          return reply.redirect(`/assessments/${detail.assessment.id}`, 303);
        }
        return renderAnswers(reply, detail, detail.assessment.answers);
      },
    );

    app.post<{ Params: { id: string } }>(
      '/assessments/:id/answers',
      { config: { access: write } },
      async (request, reply) => {
        const actor = actorFor(requireAuth(request), request.id);
        const f = formFields(request.body);
        const protocol = await assessmentProtocol(svc, request.params.id);
        const raw = answersFromForm(protocol.definition, request.body, f);
        try {
          const saved = await saveAnswers(svc, actor, request.params.id, {
            version: formVersion(f) ?? 0,
            protocolVersion: Number(f.protocolVersion),
            answers: raw,
          });
          const dropped = saved.dropped.length > 0 ? `&dropped=${saved.dropped.join(',')}` : '';
          return await reply.redirect(`/assessments/${request.params.id}?done=answers-saved${dropped}`, 303);
        } catch (err) {
          if (err instanceof AppError && FORM_ERRORS.includes(err.code)) {
            const detail = await viewAssessment(svc, actor, request.params.id);
            const stale = err.code !== 'VALIDATION_FAILED';
            return renderAnswers(reply, detail, stale ? detail.assessment.answers : raw, {
              status: err.status,
              errors: err.fieldErrors,
              version: stale ? detail.assessment.version : (formVersion(f) ?? 0),
              conflict: stale ? err.message : null,
            });
          }
          throw err;
        }
      },
    );

    const decisionRoute = (path: string, record: typeof decideAssessment, done: string) =>
      app.post<{ Params: { id: string } }>(path, { config: { access: decide } }, async (request, reply) => {
        const auth = requireAuth(request);
        const actor = actorFor(auth, request.id);
        const f = formFields(request.body);
        const body: Record<string, unknown> = { ...f };
        let dateError: FieldError | null = null;
        if (record === recordMdtOutcome) {
          // The date-input pattern's three boxes; a bad date leaves the service to refuse the
          // rest of the form too, so every problem is shown at once.
          const parts = dateFromParts(f, 'meetingOn', 'Meeting date');
          body.meetingOn = parts.date ?? '';
          dateError = parts.error;
        }
        try {
          await record(svc, actor, request.params.id, formVersion(f) ?? 0, body);
          return await reply.redirect(`/assessments/${request.params.id}?done=${done}`, 303);
        } catch (err) {
          if (!(err instanceof AppError && FORM_ERRORS.includes(err.code))) {
            throw err;
          }
          const errors = dateError
            ? [dateError, ...err.fieldErrors.filter((e) => e.field !== 'meetingOn')]
            : err.fieldErrors;
          const detail = await viewAssessment(svc, actor, request.params.id);
          return renderShow(reply, auth.user.role, detail, {
            status: err.status,
            errors,
            values: f,
            conflict: err.code === 'VALIDATION_FAILED' ? null : err.message,
          });
        }
      });

    decisionRoute('/assessments/:id/decision', decideAssessment, 'decision-recorded');
    decisionRoute('/assessments/:id/mdt-outcome', recordMdtOutcome, 'mdt-outcome-recorded');

    app.get('/mdt', { config: { access: read } }, async (request, reply) => {
      const list = await mdtList(svc, actorFor(requireAuth(request), request.id));
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

    app.get('/protocols', { config: { access: read } }, async (_request, reply) => {
      const all = await listProtocols(svc.db);
      const latest = new Set(latestVersions(all).map((p) => p.id));
      return reply.page('pages/assessments/protocols.njk', {
        title: 'Selection protocols',
        protocols: all.map((p) => ({ ...p, latest: latest.has(p.id) })),
      });
    });

    app.get<{ Params: { id: string } }>(
      '/protocols/:id',
      { config: { access: read } },
      async (request, reply) => {
        const p = await findProtocolById(svc.db, request.params.id);
        if (!p) {
          throw new AppError('NOT_FOUND', 'Protocol not found');
        }
        return reply.page('pages/assessments/protocol.njk', {
          title: `${p.title}, version ${String(p.version)}`,
          protocol: p,
          form: questionForm(p.definition, {}),
        });
      },
    );
  };
}
