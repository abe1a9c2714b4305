import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { RouteDeps } from '../../../compose.ts';
import {
  apiActor,
  apiErrors,
  changeErrors,
  idParams,
  patientParams,
  pumpParams,
  readAccess,
  serviceChecksBody,
} from '../pumps/pump-api-support.ts';
import {
  bridgingPlanBodySchema,
  bridgingPlanSchema,
  complicationBodySchema,
  complicationSchema,
  complicationUpdateBodySchema,
  patientRegisterSchema,
  registerQuerySchema,
  serviceRegisterSchema,
} from './complication-schemas.ts';

const manage = { access: { permission: 'pump:manage' } } as const;
const read = { access: readAccess } as const;
const tags = ['complications'];

/**
 * The complications register and bridging plans over JSON. Recording needs pump:manage, reading
 * patient:read, as on the pages; the services check both again.
 */
export function complicationApiRoutes(deps: RouteDeps): FastifyPluginAsync {
  const complications = deps.services.complications;
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.post(
      '/patients/:patientId/complications',
      {
        config: manage,
        validatorCompiler: serviceChecksBody,
        schema: {
          tags,
          summary:
            'Record a complication for the patient, linked to one of their pumps and its catheter (400 naming pumpId for another patient’s pump)',
          params: patientParams,
          body: complicationBodySchema,
          response: { 201: complicationSchema, ...changeErrors },
        },
      },
      async (request, reply) => {
        const c = await complications.record(apiActor(request), request.params.patientId, request.body);
        return reply.status(201).send({ ...c });
      },
    );

    app.get(
      '/patients/:patientId/complications',
      {
        config: read,
        schema: {
          tags,
          summary: 'The patient’s complications register and bridging plans',
          params: patientParams,
          response: { 200: patientRegisterSchema, ...apiErrors },
        },
      },
      async (request) => {
        const r = await complications.forPatient(apiActor(request), request.params.patientId);
        return {
          complications: r.complications.map((c) => ({ ...c })),
          bridgingPlans: r.plans.map((p) => ({ ...p })),
        };
      },
    );

    app.get(
      '/complications',
      {
        config: read,
        schema: {
          tags,
          summary:
            'The service-wide complications register, newest onset first (at most 200), filtered by kind and onset dates',
          querystring: registerQuerySchema,
          response: { 200: serviceRegisterSchema, ...apiErrors },
        },
      },
      async (request) => {
        const r = await complications.register(apiActor(request), request.query);
        return {
          entries: r.rows.map(({ patient, ...c }) => ({
            ...c,
            patientName: patient?.name ?? null,
            nhsNumber: patient?.nhsNumber ?? null,
          })),
          truncated: r.truncated,
        };
      },
    );

    app.get(
      '/complications/:id',
      {
        config: read,
        schema: {
          tags,
          summary: 'One entry of the complications register',
          params: idParams,
          response: { 200: complicationSchema, ...apiErrors },
        },
      },
      async (request) => ({
        ...(await complications.view(apiActor(request), request.params.id)).complication,
      }),
    );

    app.put(
      '/complications/:id',
      {
        config: manage,
        validatorCompiler: serviceChecksBody,
        schema: {
          tags,
          summary:
            'Change an entry (its outcome and date resolved, most often): the whole entry with the version read (409 STALE_EDIT if someone saved since)',
          params: idParams,
          body: complicationUpdateBodySchema,
          response: { 200: complicationSchema, ...changeErrors },
        },
      },
      async (request) => ({
        ...(await complications.update(apiActor(request), request.params.id, request.body)),
      }),
    );

    app.post(
      '/pumps/:pumpId/bridging-plans',
      {
        config: manage,
        validatorCompiler: serviceChecksBody,
        schema: {
          tags,
          summary:
            'Record a bridging plan (oral baclofen cover or a taper) for a revision, replacement or explant: an explant without a replacement is confirmed only once one is recorded',
          params: pumpParams,
          body: bridgingPlanBodySchema,
          response: { 201: bridgingPlanSchema, ...changeErrors },
        },
      },
      async (request, reply) => {
        const p = await complications.recordBridgingPlan(
          apiActor(request),
          request.params.pumpId,
          request.body,
        );
        return reply.status(201).send({ ...p });
      },
    );

    app.get(
      '/pumps/:pumpId/complications',
      {
        config: read,
        schema: {
          tags,
          summary: 'The complications linked to the pump and its bridging plans, newest first',
          params: pumpParams,
          response: { 200: patientRegisterSchema, ...apiErrors },
        },
      },
      async (request) => {
        const r = await complications.forPump(apiActor(request), request.params.pumpId);
        return {
          complications: r.complications.map((c) => ({ ...c })),
          bridgingPlans: r.plans.map((p) => ({ ...p })),
        };
      },
    );
  };
}
