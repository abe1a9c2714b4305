import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteDeps } from '../../../compose.ts';
import type { LifeEventKind } from '../../../domain/life-events.ts';
import {
  apiActor,
  apiErrors,
  changeErrors,
  idParams,
  patientParams,
  readAccess,
  serviceChecksBody,
} from '../pumps/pump-api-support.ts';
import { attachmentDisposition } from '../referrals/referral-document-pages.ts';
import {
  actionDoneBodySchema,
  deathBodySchema,
  endEventBodySchema,
  lifeEventListSchema,
  lifeEventSchema,
  lifeEventToApi,
  pregnancyBodySchema,
  recordedSchema,
  surgeryBodySchema,
  transferBodySchema,
} from './life-event-schemas.ts';

const RECORDS = [
  {
    kind: 'pregnancy',
    path: 'pregnancy',
    body: pregnancyBodySchema,
    access: 'patient:write',
    summary:
      'Record a pregnancy: a checklist (consultant dose review, refills around the delivery, tell the obstetric and anaesthetic teams); the pump stays on the worklist',
  },
  {
    kind: 'surgery-elsewhere',
    path: 'surgery-elsewhere',
    body: surgeryBodySchema,
    access: 'patient:write',
    summary:
      'Record planned surgery at another hospital: a letter with the pump summary and what not to do, a refill before admission when one falls due during the stay, a post-operative check',
  },
  {
    kind: 'death',
    path: 'death',
    body: deathBodySchema,
    access: 'pump:manage',
    summary:
      "Record a death: asks for each implanted pump's end; bookings are cancelled only when a different clinician confirms (409 DEATH_ALREADY_RECORDED when recorded before)",
  },
  {
    kind: 'transfer',
    path: 'transfer',
    body: transferBodySchema,
    access: 'pump:manage',
    summary:
      'Record a transfer of care: the transfer letter, and the end of each pump asked for (from the transfer date); the pump stays on the worklist until a different clinician confirms',
  },
] as const;

/** Life events under /api/v1: record each kind, list a patient's, act on a checklist, the letter. */
export function lifeEventApiRoutes(deps: RouteDeps): FastifyPluginAsync {
  const lifeEvents = deps.services.lifeEvents;
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    for (const r of RECORDS) {
      app.post(
        `/patients/:patientId/life-events/${r.path}`,
        {
          config: { access: { permission: r.access } },
          validatorCompiler: serviceChecksBody,
          schema: {
            tags: ['life events'],
            summary: r.summary,
            params: patientParams,
            body: r.body,
            response: { 201: recordedSchema, ...changeErrors },
          },
        },
        async (request, reply) => {
          const kind: LifeEventKind = r.kind;
          const done = await lifeEvents.record(
            apiActor(request),
            request.params.patientId,
            kind,
            request.body,
          );
          return reply
            .status(201)
            .send({ event: lifeEventToApi(done.event), endRequestIds: [...done.endRequestIds] });
        },
      );
    }

    app.get(
      '/patients/:patientId/life-events',
      {
        config: { access: readAccess },
        schema: {
          tags: ['life events'],
          summary:
            "A patient's pregnancies, surgery elsewhere, death and transfers, newest first, with their checklists (audited)",
          params: patientParams,
          response: { 200: lifeEventListSchema, ...apiErrors },
        },
      },
      async (request) => {
        const events = await lifeEvents.listForPatient(apiActor(request), request.params.patientId);
        return { patientId: request.params.patientId, events: events.map(lifeEventToApi) };
      },
    );

    app.post(
      '/life-events/:id/actions/:code/done',
      {
        config: { access: { permission: 'pump:manage' } },
        validatorCompiler: serviceChecksBody,
        schema: {
          tags: ['life events'],
          summary:
            'Mark one action done (the dose review only by a consultant: 409 ACTION_NEEDS_CONSULTANT); the last one completes the event',
          params: z.object({ id: z.string(), code: z.string() }),
          body: actionDoneBodySchema,
          response: { 200: lifeEventSchema, ...changeErrors },
        },
      },
      async (request) =>
        lifeEventToApi(
          await lifeEvents.completeAction(
            apiActor(request),
            request.params.id,
            request.params.code,
            request.body,
          ),
        ),
    );

    app.post(
      '/life-events/:id/end',
      {
        config: { access: { permission: 'pump:manage' } },
        validatorCompiler: serviceChecksBody,
        schema: {
          tags: ['life events'],
          summary: 'End the checklist early with a reason; pumps and their end requests are not touched',
          params: idParams,
          body: endEventBodySchema,
          response: { 200: lifeEventSchema, ...changeErrors },
        },
      },
      async (request) =>
        lifeEventToApi(await lifeEvents.end(apiActor(request), request.params.id, request.body)),
    );

    app.get(
      '/life-events/:id/letter',
      {
        config: { access: readAccess },
        schema: {
          tags: ['life events'],
          summary:
            'The transfer letter, or the letter to the team operating elsewhere, as a PDF made from the pump record now (audited; 409 NO_LETTER_FOR_EVENT for other kinds)',
          params: idParams,
          response: {
            200: z.string().meta({ description: 'application/pdf', format: 'binary' }),
            ...changeErrors,
          },
        },
      },
      async (request, reply) => {
        const letter = await lifeEvents.letter(apiActor(request), request.params.id);
        return (
          reply
            .header('content-type', 'application/pdf')
            .header('content-disposition', attachmentDisposition(letter.filename))
            // Fastify sends a Buffer as it is, never through the serializer; the schema above
            // documents it as a binary string for the OpenAPI document.
            .send(letter.pdf as unknown as string)
        );
      },
    );
  };
}
