import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteDeps } from '../../../compose.ts';
import type { EpisodeDetail } from '../../../services/test-dose-detail.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorSchema } from '../api/error-schema.ts';
import { episodeToApi } from './test-dose-api-bodies.ts';
import { testDoseOverrideApiRoutes } from './test-dose-overrides-api.ts';
import {
  abandonBodySchema,
  bolusBodySchema,
  episodeBodySchema,
  episodeListSchema,
  episodeSchema,
  observationBodySchema,
  preChecksBodySchema,
  resultBodySchema,
} from './test-dose-schemas.ts';

/** Test-dose episodes as JSON; each endpoint calls the service the pages call. */
export function testDoseApiRoutes(deps: RouteDeps): FastifyPluginAsync {
  const testDoses = deps.services.testDoses;
  const rules = deps.config.pumpRules.testDose;
  const toApi = (d: EpisodeDetail) => episodeToApi(d, rules);
  return async (base) => {
    await base.register(testDoseOverrideApiRoutes(deps));
    const app = base.withTypeProvider<ZodTypeProvider>();
    const errors = {
      400: errorSchema,
      401: errorSchema,
      403: errorSchema,
      404: errorSchema,
      409: errorSchema,
    };
    const patientParams = z.object({ patientId: z.string() });
    const episodeParams = z.object({ id: z.string() });
    const bolusParams = z.object({ id: z.string(), bolusId: z.string() });
    const tags = ['test doses'];

    app.get(
      '/patients/:patientId/test-doses',
      {
        config: { access: { permission: 'patient:read' } },
        schema: {
          tags,
          summary: "A patient's test-dose episodes, newest first (audited)",
          params: patientParams,
          response: { 200: episodeListSchema, ...errors },
        },
      },
      async (request) => {
        const { patient, episodes } = await testDoses.forPatient(
          actorFor(requireAuth(request), request.id),
          request.params.patientId,
        );
        return {
          patientId: patient.id,
          episodes: episodes.map(({ episode, boluses }) => ({
            id: episode.id,
            state: episode.state,
            createdAt: episode.createdAt,
            closedAt: episode.closedAt,
            dosesMcg: boluses.map((b) => b.doseMcg),
          })),
        };
      },
    );

    app.post(
      '/patients/:patientId/test-doses',
      {
        config: { access: { permission: 'testdose:record' } },
        schema: {
          tags,
          summary: 'Start a test-dose episode with its pre-checks (409 while another is open)',
          params: patientParams,
          body: episodeBodySchema,
          response: { 201: episodeSchema, ...errors },
        },
      },
      async (request, reply) => {
        const d = await testDoses.start(
          actorFor(requireAuth(request), request.id),
          request.params.patientId,
          request.body,
        );
        return reply.status(201).send(toApi(d));
      },
    );

    app.get(
      '/test-doses/:id',
      {
        config: { access: { permission: 'patient:read' } },
        schema: {
          tags,
          summary: 'A test-dose episode: pre-checks, boluses, observations, suggestions, results (audited)',
          params: episodeParams,
          response: { 200: episodeSchema, ...errors },
        },
      },
      async (request) =>
        toApi(await testDoses.view(actorFor(requireAuth(request), request.id), request.params.id)),
    );

    app.post(
      '/test-doses/:id/pre-checks',
      {
        config: { access: { permission: 'testdose:record' } },
        schema: {
          tags,
          summary:
            'Record the pre-checks of an open episode again (for example once an infection has cleared)',
          params: episodeParams,
          body: preChecksBodySchema,
          response: { 200: episodeSchema, ...errors },
        },
      },
      async (request) =>
        toApi(
          await testDoses.updatePreChecks(
            actorFor(requireAuth(request), request.id),
            request.params.id,
            request.body,
          ),
        ),
    );

    app.post(
      '/test-doses/:id/boluses',
      {
        config: { access: { permission: 'dose:prescribe' } },
        schema: {
          tags,
          summary:
            'Record a test bolus given by the caller (409 until the pre-checks pass or the last result is confirmed)',
          params: episodeParams,
          body: bolusBodySchema,
          response: { 201: episodeSchema, ...errors },
        },
      },
      async (request, reply) => {
        const d = await testDoses.recordBolus(
          actorFor(requireAuth(request), request.id),
          request.params.id,
          request.body,
        );
        return reply.status(201).send(toApi(d));
      },
    );

    app.post(
      '/test-doses/:id/boluses/:bolusId/observations',
      {
        config: { access: { permission: 'testdose:record' } },
        schema: {
          tags,
          summary: 'Record an observation of a bolus at a configured hour',
          params: bolusParams,
          body: observationBodySchema,
          response: { 201: episodeSchema, ...errors },
        },
      },
      async (request, reply) => {
        const d = await testDoses.recordObservation(
          actorFor(requireAuth(request), request.id),
          request.params.id,
          request.params.bolusId,
          request.body,
        );
        return reply.status(201).send(toApi(d));
      },
    );

    app.post(
      '/test-doses/:id/boluses/:bolusId/result',
      {
        config: { access: { permission: 'dose:prescribe' } },
        schema: {
          tags,
          summary: "Confirm a bolus's result, positive or negative",
          params: bolusParams,
          body: resultBodySchema,
          response: { 200: episodeSchema, ...errors },
        },
      },
      async (request) =>
        toApi(
          await testDoses.confirmResult(
            actorFor(requireAuth(request), request.id),
            request.params.id,
            request.params.bolusId,
            request.body,
          ),
        ),
    );

    app.post(
      '/test-doses/:id/abandon',
      {
        config: { access: { permission: 'testdose:record' } },
        schema: {
          tags,
          summary: 'Abandon an open test-dose episode with a reason',
          params: episodeParams,
          body: abandonBodySchema,
          response: { 200: episodeSchema, ...errors },
        },
      },
      async (request) =>
        toApi(
          await testDoses.abandon(
            actorFor(requireAuth(request), request.id),
            request.params.id,
            request.body,
          ),
        ),
    );
  };
}
