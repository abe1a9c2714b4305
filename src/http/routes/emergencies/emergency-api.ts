import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteDeps } from '../../../compose.ts';
import {
  apiActor,
  changeErrors,
  apiErrors,
  patientParams,
  serviceChecksBody,
} from '../pumps/pump-api-support.ts';
import {
  adviceCallSchema,
  callToApi,
  closeEventBodySchema,
  emergencyEventSchema,
  eventToApi,
  logCallBodySchema,
  loggedCallSchema,
  recordEventBodySchema,
} from './emergency-schemas.ts';

const eventParams = z.object({ eventId: z.string() });

/**
 * Emergency events and advice-line calls as JSON: record an event (201), close it as a
 * consultant (403 for any other role, 409 EMERGENCY_EVENT_CLOSED when already closed), list a
 * patient's events and calls, and log a call (201, with the events it suggests opening).
 */
export function emergencyEventApiRoutes(deps: RouteDeps): FastifyPluginAsync {
  const emergencies = deps.services.emergencies;
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.post(
      '/patients/:patientId/emergency-events',
      {
        config: { access: { permission: 'emergency:record' } },
        validatorCompiler: serviceChecksBody,
        schema: {
          tags: ['emergencies'],
          summary:
            'Record a suspected overdose or withdrawal, a critical alarm or a pump stall: open until a consultant closes it, linked to the patient’s implanted pump',
          params: patientParams,
          body: recordEventBodySchema,
          response: { 201: emergencyEventSchema, ...changeErrors },
        },
      },
      async (request, reply) => {
        const event = await emergencies.record(apiActor(request), request.params.patientId, request.body);
        return reply.status(201).send(eventToApi(event));
      },
    );

    app.get(
      '/patients/:patientId/emergency-events',
      {
        config: { access: { permission: 'patient:read' } },
        schema: {
          tags: ['emergencies'],
          summary: "A patient's emergency events, open first, then newest first (audited)",
          params: patientParams,
          response: { 200: z.array(emergencyEventSchema), ...apiErrors },
        },
      },
      async (request) =>
        (await emergencies.forPatient(apiActor(request), request.params.patientId)).map(eventToApi),
    );

    app.post(
      '/emergency-events/:eventId/close',
      {
        config: { access: { permission: 'emergency:close' } },
        validatorCompiler: serviceChecksBody,
        schema: {
          tags: ['emergencies'],
          summary:
            'Close an open emergency event with its outcome (consultants only; 409 EMERGENCY_EVENT_CLOSED when already closed)',
          params: eventParams,
          body: closeEventBodySchema,
          response: { 200: emergencyEventSchema, ...changeErrors },
        },
      },
      async (request) =>
        eventToApi(await emergencies.close(apiActor(request), request.params.eventId, request.body)),
    );

    app.post(
      '/advice-calls',
      {
        config: { access: { permission: 'advice:log' } },
        validatorCompiler: serviceChecksBody,
        schema: {
          tags: ['emergencies'],
          summary:
            'Log a call to the advice line with the advice given and the follow-up; answers with the emergency events the call suggests opening',
          body: logCallBodySchema,
          response: { 201: loggedCallSchema, ...changeErrors },
        },
      },
      async (request, reply) => {
        const logged = await emergencies.logCall(apiActor(request), request.body);
        return reply
          .status(201)
          .send({ call: callToApi(logged.call), suggestedEvents: [...logged.suggestedEvents] });
      },
    );

    app.get(
      '/patients/:patientId/advice-calls',
      {
        config: { access: { permission: 'patient:read' } },
        schema: {
          tags: ['emergencies'],
          summary: "A patient's advice-line calls, newest first (audited)",
          params: patientParams,
          response: { 200: z.array(adviceCallSchema), ...apiErrors },
        },
      },
      async (request) =>
        (await emergencies.callsForPatient(apiActor(request), request.params.patientId)).map(callToApi),
    );
  };
}
