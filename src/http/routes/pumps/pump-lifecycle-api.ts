import { z } from 'zod';
import {
  apiActor,
  changeErrors,
  idParams,
  pumpParams,
  pumpToApi,
  serviceChecksBody,
  type PumpServices,
  type ZodApp,
} from './pump-api-support.ts';
import {
  endConfirmBodySchema,
  endCorrectionBodySchema,
  endRejectBodySchema,
  endRequestBodySchema,
  endRequestSchema,
  pauseBodySchema,
  pauseSchema,
  resumeBodySchema,
} from './pump-lifecycle-schemas.ts';
import { pumpSchema } from './pump-schemas.ts';

const manage = { permission: 'pump:manage' } as const;

/**
 * A pump's end (explant, death, transfer of care; a replacement, asked for by registering the
 * new pump) and its correction, each asked for by one clinician and confirmed by a different
 * one; pauses and resumes. An explant posted as a plain
 * event to /pumps/{pumpId}/events is refused with a 400 naming `kind` that points here, rather
 * than turned into a request behind the caller's back: the caller learns the pump has not ended.
 */
export function addPumpLifecycleApiRoutes(app: ZodApp, pumps: PumpServices): void {
  app.post(
    '/pumps/:pumpId/end-requests',
    {
      config: { access: manage },
      validatorCompiler: serviceChecksBody,
      schema: {
        tags: ['pumps'],
        summary:
          'Ask to end the pump (explant, death, transfer of care): it stays implanted and on the worklist until a different clinician confirms (409 while another request is waiting)',
        params: pumpParams,
        body: endRequestBodySchema,
        response: { 201: endRequestSchema, ...changeErrors },
      },
    },
    async (request, reply) => {
      const r = await pumps.requestEnd(apiActor(request), request.params.pumpId, request.body);
      return reply.status(201).send({ ...r });
    },
  );

  app.post(
    '/pumps/:pumpId/end-corrections',
    {
      config: { access: manage },
      validatorCompiler: serviceChecksBody,
      schema: {
        tags: ['pumps'],
        summary:
          'Ask to reverse a mistaken explant, death or transfer: confirmed by a different clinician, it puts the pump back on the worklist',
        params: pumpParams,
        body: endCorrectionBodySchema,
        response: { 201: endRequestSchema, ...changeErrors },
      },
    },
    async (request, reply) => {
      const r = await pumps.requestEndCorrection(apiActor(request), request.params.pumpId, request.body);
      return reply.status(201).send({ ...r });
    },
  );

  app.post(
    '/pump-end-requests/:id/confirm',
    {
      config: { access: manage },
      validatorCompiler: serviceChecksBody,
      schema: {
        tags: ['pumps'],
        summary:
          'Confirm a request to end a pump (explant, death, transfer, replacement) or correct its end, as a clinician other than the one who asked (400 naming checkedBy otherwise; 409 for a replacement whose new pump has ended)',
        params: idParams,
        body: endConfirmBodySchema,
        response: { 200: z.object({ request: endRequestSchema, pump: pumpSchema }), ...changeErrors },
      },
    },
    async (request) => {
      const done = await pumps.confirmEnd(apiActor(request), request.params.id, request.body);
      return { request: { ...done.request }, pump: pumpToApi(done.pump) };
    },
  );

  app.post(
    '/pump-end-requests/:id/reject',
    {
      config: { access: manage },
      validatorCompiler: serviceChecksBody,
      schema: {
        tags: ['pumps'],
        summary:
          'Reject a request with a reason (or withdraw your own): the pump stays as it is (a rejected replacement leaves the new pump registered)',
        params: idParams,
        body: endRejectBodySchema,
        response: { 200: endRequestSchema, ...changeErrors },
      },
    },
    async (request) => ({
      ...(await pumps.rejectEnd(apiActor(request), request.params.id, request.body)),
    }),
  );

  app.post(
    '/pumps/:pumpId/pause',
    {
      config: { access: manage },
      validatorCompiler: serviceChecksBody,
      schema: {
        tags: ['pumps'],
        summary:
          'Mark the pump paused with a date to resume, saying whether the reservoir was emptied or the pump only stopped (emptied): it stays on the worklist as paused, escalated once the resume date is reached',
        params: pumpParams,
        body: pauseBodySchema,
        response: { 201: pauseSchema, ...changeErrors },
      },
    },
    async (request, reply) => {
      const p = await pumps.pause(apiActor(request), request.params.pumpId, request.body);
      return reply.status(201).send({ ...p });
    },
  );

  app.post(
    '/pumps/:pumpId/resume',
    {
      config: { access: manage },
      validatorCompiler: serviceChecksBody,
      schema: {
        tags: ['pumps'],
        summary:
          'End the pause: the refill plan comes from a refill done on or after the pause date, or the pump has no plan until one is recorded',
        params: pumpParams,
        body: resumeBodySchema,
        response: { 200: pauseSchema, ...changeErrors },
      },
    },
    async (request) => ({
      ...(await pumps.resume(apiActor(request), request.params.pumpId, request.body)),
    }),
  );
}
