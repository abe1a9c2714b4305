import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../../compose.ts';
import {
  decideAssessment,
  recordMdtOutcome,
  saveAnswers,
  startAssessment,
  viewAssessment,
  type AssessmentDetail,
} from '../../../services/assessment-service.ts';
import { latestVersions } from '../../../services/protocol-list-service.ts';
import { importProtocol } from '../../../services/protocol-service.ts';
import {
  findLatestProtocol,
  findProtocolById,
  listProtocols,
  type StoredProtocol,
} from '../../../storage/selection.repository.ts';
import { AppError } from '../../../services/app-error.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { assessmentServiceDeps } from './assessment-pages.ts';
import {
  answersBodySchema,
  assessmentSchema,
  decisionBodySchema,
  mdtBodySchema,
  protocolSchema,
  protocolSummarySchema,
  refusalSchema,
  startBodySchema,
} from './assessment-schemas.ts';
import { errorSchema } from '../api/patient-schemas.ts';

function protocolToApi(p: StoredProtocol, latest: boolean): z.infer<typeof protocolSummarySchema> {
  return {
    id: p.id,
    code: p.code,
    version: p.version,
    title: p.title,
    population: p.population,
    createdAt: p.createdAt,
    builtIn: p.createdBy === null,
    latest,
  };
}

function assessmentToApi(d: AssessmentDetail): z.infer<typeof assessmentSchema> {
  const a = d.assessment;
  return {
    id: a.id,
    patientId: a.patientId,
    referralId: a.referralId,
    protocol: {
      id: d.protocol.id,
      code: d.protocol.code,
      version: d.protocol.version,
      title: d.protocol.title,
    },
    newerProtocolVersion: d.newerVersion?.version ?? null,
    state: a.state,
    answers: Object.fromEntries(
      Object.entries(a.answers).map(([k, v]) => [
        k,
        { value: typeof v.value === 'string' ? v.value : [...v.value], note: v.note },
      ]),
    ),
    suggestion: { ...d.suggestion, reasons: [...d.suggestion.reasons] },
    decisions: d.decisions.map((x) => ({
      id: x.id,
      kind: x.kind,
      decision: x.decision,
      suggestion: { ...x.suggestion, reasons: [...x.suggestion.reasons] },
      agrees: x.agrees,
      reason: x.reason,
      note: x.note,
      meetingOn: x.meetingOn,
      attendees: x.attendees,
      decidedAt: x.decidedAt,
      decidedBy: x.decidedBy,
      decidedByName: x.decidedByName,
    })),
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    version: a.version,
  };
}

/** Selection protocols and assessments under /api/v1. */
export function assessmentApiRoutes(deps: AppDeps): FastifyPluginAsync {
  const svc = assessmentServiceDeps(deps);
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema };
    const params = z.object({ id: z.string() });
    const read = { permission: 'patient:read' } as const;

    app.get(
      '/protocols',
      {
        config: { access: read },
        schema: {
          tags: ['assessments'],
          summary: 'Every stored selection protocol version',
          response: { 200: z.array(protocolSummarySchema), ...errors },
        },
      },
      async () => {
        const all = await listProtocols(svc.db);
        const latest = new Set(latestVersions(all).map((p) => p.id));
        return all.map((p) => protocolToApi(p, latest.has(p.id)));
      },
    );

    app.get(
      '/protocols/:id',
      {
        config: { access: read },
        schema: {
          tags: ['assessments'],
          summary: 'One protocol version with its definition',
          params,
          response: { 200: protocolSchema, ...errors, 404: errorSchema },
        },
      },
      async (request) => {
        const p = await findProtocolById(svc.db, request.params.id);
        if (!p) {
          throw new AppError('NOT_FOUND', 'Protocol not found');
        }
        const latest = (await findLatestProtocol(svc.db, p.code))?.id === p.id;
        return {
          ...protocolToApi(p, latest),
          definition: p.definition as unknown as Record<string, unknown>,
        };
      },
    );

    app.post(
      '/protocols',
      {
        config: { access: { permission: 'protocol:manage' } },
        schema: {
          tags: ['assessments'],
          summary: 'Add a selection protocol or a new version of one (see docs/protocols/README.md)',
          body: z.record(z.string(), z.unknown()),
          response: { 200: protocolSummarySchema, 201: protocolSummarySchema, ...errors, 409: refusalSchema },
        },
      },
      async (request, reply) => {
        const { protocol, created } = await importProtocol(
          svc,
          actorFor(requireAuth(request), request.id),
          request.body,
        );
        return reply.status(created ? 201 : 200).send(protocolToApi(protocol, true));
      },
    );

    app.post(
      '/assessments',
      {
        config: { access: { permission: 'assessment:write' } },
        schema: {
          tags: ['assessments'],
          summary: 'Start a selection assessment on the latest version of a protocol',
          body: startBodySchema,
          response: { 201: assessmentSchema, ...errors },
        },
      },
      async (request, reply) => {
        const actor = actorFor(requireAuth(request), request.id);
        const a = await startAssessment(svc, actor, {
          ...request.body,
          referralId: request.body.referralId ?? null,
        });
        return reply.status(201).send(assessmentToApi(await viewAssessment(svc, actor, a.id)));
      },
    );

    app.get(
      '/assessments/:id',
      {
        config: { access: read },
        schema: {
          tags: ['assessments'],
          summary: 'An assessment with its suggestion and decisions',
          params,
          response: { 200: assessmentSchema, ...errors, 404: errorSchema },
        },
      },
      async (request) =>
        assessmentToApi(
          await viewAssessment(svc, actorFor(requireAuth(request), request.id), request.params.id),
        ),
    );

    app.put(
      '/assessments/:id/answers',
      {
        config: { access: { permission: 'assessment:write' } },
        schema: {
          tags: ['assessments'],
          summary: 'Replace the answers; answers to questions not asked are dropped and listed',
          params,
          body: answersBodySchema,
          response: {
            200: assessmentSchema.extend({ droppedAnswers: z.array(z.string()) }),
            ...errors,
            404: errorSchema,
            409: refusalSchema,
          },
        },
      },
      async (request) => {
        const actor = actorFor(requireAuth(request), request.id);
        const saved = await saveAnswers(svc, actor, request.params.id, request.body);
        return {
          ...assessmentToApi(await viewAssessment(svc, actor, request.params.id)),
          droppedAnswers: [...saved.dropped],
        };
      },
    );

    const decisionRoute = (
      path: string,
      summary: string,
      body: typeof decisionBodySchema | typeof mdtBodySchema,
      record: typeof decideAssessment,
    ) =>
      app.post(
        path,
        {
          config: { access: { permission: 'assessment:decide' } },
          schema: {
            tags: ['assessments'],
            summary,
            params,
            body,
            response: { 200: assessmentSchema, ...errors, 404: errorSchema, 409: refusalSchema },
          },
        },
        async (request) => {
          const actor = actorFor(requireAuth(request), request.id);
          const { version, ...rest } = request.body as { version: number } & Record<string, unknown>;
          await record(svc, actor, request.params.id, version, rest);
          return assessmentToApi(await viewAssessment(svc, actor, request.params.id));
        },
      );
    decisionRoute(
      '/assessments/:id/decision',
      "Record the clinician's decision (a reason is required when it differs from the suggestion)",
      decisionBodySchema,
      decideAssessment,
    );
    decisionRoute(
      '/assessments/:id/mdt-outcome',
      "Record the MDT meeting's outcome",
      mdtBodySchema,
      recordMdtOutcome,
    );
  };
}
