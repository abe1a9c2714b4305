import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteDeps } from '../../../compose.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorSchema } from '../api/error-schema.ts';
import { assessmentToApi } from './assessment-json.ts';
import {
  answersBodySchema,
  assessmentSchema,
  decisionBodySchema,
  mdtBodySchema,
  startBodySchema,
} from './assessment-schemas.ts';
import { protocolApiRoutes } from './protocols-api.ts';

/** Selection protocols (protocols-api.ts) and assessments under /api/v1. */
export function assessmentApiRoutes(deps: RouteDeps): FastifyPluginAsync {
  const assessments = deps.services.assessments;
  return async (base) => {
    await base.register(protocolApiRoutes(deps));
    const app = base.withTypeProvider<ZodTypeProvider>();
    const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema };
    const params = z.object({ id: z.string() });

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
        const a = await assessments.start(actor, {
          ...request.body,
          referralId: request.body.referralId ?? null,
        });
        return reply.status(201).send(assessmentToApi(await assessments.view(actor, a.id)));
      },
    );

    app.get(
      '/assessments/:id',
      {
        config: { access: { permission: 'patient:read' } },
        schema: {
          tags: ['assessments'],
          summary: 'An assessment with its suggestion and decisions',
          params,
          response: { 200: assessmentSchema, ...errors, 404: errorSchema },
        },
      },
      async (request) =>
        assessmentToApi(
          await assessments.view(actorFor(requireAuth(request), request.id), request.params.id),
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
            409: errorSchema,
          },
        },
      },
      async (request) => {
        const actor = actorFor(requireAuth(request), request.id);
        const saved = await assessments.saveAnswers(actor, request.params.id, request.body);
        return {
          ...assessmentToApi(await assessments.view(actor, request.params.id)),
          droppedAnswers: [...saved.dropped],
        };
      },
    );

    const decisionRoute = (
      path: string,
      summary: string,
      body: typeof decisionBodySchema | typeof mdtBodySchema,
      record: typeof assessments.decide,
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
            response: { 200: assessmentSchema, ...errors, 404: errorSchema, 409: errorSchema },
          },
        },
        async (request) => {
          const actor = actorFor(requireAuth(request), request.id);
          const { version, ...rest } = request.body as { version: number } & Record<string, unknown>;
          await record(actor, request.params.id, version, rest);
          return assessmentToApi(await assessments.view(actor, request.params.id));
        },
      );
    decisionRoute(
      '/assessments/:id/decision',
      "Record the clinician's decision (a reason is required when it differs from the suggestion)",
      decisionBodySchema,
      assessments.decide,
    );
    decisionRoute(
      '/assessments/:id/mdt-outcome',
      "Record the MDT meeting's outcome",
      mdtBodySchema,
      assessments.recordMdtOutcome,
    );
  };
}
