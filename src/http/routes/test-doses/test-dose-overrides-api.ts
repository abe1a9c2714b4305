import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteDeps } from '../../../compose.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorSchema } from '../api/error-schema.ts';
import { overrideToApi } from './test-dose-api-bodies.ts';
import {
  overrideBodySchema,
  overrideListSchema,
  overrideSchema,
  withdrawOverrideBodySchema,
} from './test-dose-schemas.ts';

/**
 * Overrides of the test-dose gate as JSON: recorded and withdrawn by consultants, audited, and
 * used by the episode that names one (POST /patients/{patientId}/test-doses with overrideId).
 */
export function testDoseOverrideApiRoutes(deps: RouteDeps): FastifyPluginAsync {
  const testDoses = deps.services.testDoses;
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    const errors = {
      400: errorSchema,
      401: errorSchema,
      403: errorSchema,
      404: errorSchema,
      409: errorSchema,
    };
    const tags = ['test doses'];
    const patientParams = z.object({ patientId: z.string() });

    app.get(
      '/patients/:patientId/test-dose-overrides',
      {
        config: { access: { permission: 'patient:read' } },
        schema: {
          tags,
          summary: "A patient's overrides of the test-dose gate, newest first (audited)",
          params: patientParams,
          response: { 200: overrideListSchema, ...errors },
        },
      },
      async (request) => {
        const { patient, overrides } = await testDoses.overrides(
          actorFor(requireAuth(request), request.id),
          request.params.patientId,
        );
        return { patientId: patient.id, overrides: overrides.map(overrideToApi) };
      },
    );

    app.post(
      '/patients/:patientId/test-dose-overrides',
      {
        config: { access: { permission: 'assessment:decide' } },
        schema: {
          tags,
          summary:
            'Record an override of the test-dose gate with a reason (consultants; 409 while one waits)',
          params: patientParams,
          body: overrideBodySchema,
          response: { 201: overrideSchema, ...errors },
        },
      },
      async (request, reply) => {
        const o = await testDoses.recordOverride(
          actorFor(requireAuth(request), request.id),
          request.params.patientId,
          request.body,
        );
        return reply.status(201).send(overrideToApi(o));
      },
    );

    app.post(
      '/test-dose-overrides/:id/withdraw',
      {
        config: { access: { permission: 'assessment:decide' } },
        schema: {
          tags,
          summary: 'Withdraw an override that has not been used, with a reason (consultants)',
          params: z.object({ id: z.string() }),
          body: withdrawOverrideBodySchema,
          response: { 200: overrideSchema, ...errors },
        },
      },
      async (request) =>
        overrideToApi(
          await testDoses.withdrawOverride(
            actorFor(requireAuth(request), request.id),
            request.params.id,
            request.body,
          ),
        ),
    );
  };
}
