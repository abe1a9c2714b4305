import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteDeps } from '../../../compose.ts';
import { AppError } from '../../../services/app-error.ts';
import type { PatientRef } from '../../../services/referral-service.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorSchema } from '../api/error-schema.ts';
import { appointmentToApi, detailToApi, referralToApi, waitingListToApi } from './referral-api-views.ts';
import {
  appointmentBodySchema,
  appointmentSchema,
  clearCheckBodySchema,
  referralBodySchema,
  referralDetailSchema,
  referralListQuerySchema,
  referralListSchema,
  referralSchema,
  triageBodySchema,
  waitingListSchema,
} from './referral-schemas.ts';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema };
const params = z.object({ id: z.string() });

/** Who a referral posted to the API is for: by patientId or NHS number. */
function patientOf(body: { patientId?: string | undefined; nhsNumber?: string | undefined }): PatientRef {
  if (body.patientId !== undefined) {
    return { patientId: body.patientId };
  }
  if (body.nhsNumber !== undefined) {
    return { nhsNumber: body.nhsNumber };
  }
  throw new AppError('VALIDATION_FAILED', 'Name the patient', {
    fieldErrors: [{ field: 'nhsNumber', message: 'Give the patient by patientId or nhsNumber' }],
  });
}

export function referralApiRoutes(deps: RouteDeps): FastifyPluginAsync {
  const referrals = deps.services.referrals;
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.post(
      '/referrals',
      {
        config: { access: { permission: 'referral:write' } },
        schema: {
          tags: ['referrals'],
          summary: 'Record a referral (e-RS or consultant email) for a registered patient',
          body: referralBodySchema,
          response: { 201: referralSchema, ...errors, 409: errorSchema },
        },
      },
      async (request, reply) => {
        const { patientId, nhsNumber, ...fields } = request.body;
        const patient = patientOf({ patientId, nhsNumber });
        // The shape was checked by the route schema; the service checks the meaning again
        // (the rules between fields and today's date), as it does for the pages.
        const referral = await referrals.create(actorFor(requireAuth(request), request.id), patient, fields);
        return reply.status(201).send(referralToApi(referral));
      },
    );

    app.get(
      '/referrals',
      {
        config: { access: { permission: 'referral:read' } },
        schema: {
          tags: ['referrals'],
          summary:
            'Referrals a page at a time, most recently received first, in one state or all, searched by patient name, NHS number, UBRN or referrer (audited)',
          querystring: referralListQuerySchema,
          response: { 200: referralListSchema, ...errors },
        },
      },
      async (request) => {
        const { state, q, page, pageSize } = request.query;
        const list = await referrals.list(actorFor(requireAuth(request), request.id), {
          state: state ?? null,
          q: q ?? null,
          page,
          pageSize,
        });
        return {
          items: list.rows.map((r) => ({
            ...referralToApi(r.referral),
            patientName: r.patientName,
            nhsNumber: r.nhsNumber,
          })),
          total: list.total,
          page: list.page,
          pageSize: list.pageSize,
          pages: list.pages,
        };
      },
    );

    app.get(
      '/referrals/:id',
      {
        config: { access: { permission: 'referral:read' } },
        schema: {
          tags: ['referrals'],
          summary: 'A referral with its decisions, appointments, documents and wait (audited)',
          params,
          response: { 200: referralDetailSchema, ...errors, 404: errorSchema },
        },
      },
      async (request) =>
        detailToApi(await referrals.view(actorFor(requireAuth(request), request.id), request.params.id)),
    );

    app.post(
      '/referrals/:id/triage',
      {
        config: { access: { permission: 'referral:triage' } },
        schema: {
          tags: ['referrals'],
          summary: 'Record a triage decision (consultants only); the letter it calls for is made',
          params,
          body: triageBodySchema,
          response: { 201: referralDetailSchema, ...errors, 404: errorSchema, 409: errorSchema },
        },
      },
      async (request, reply) => {
        const actor = actorFor(requireAuth(request), request.id);
        const { version, ...decision } = request.body;
        await referrals.triage(actor, request.params.id, version ?? null, decision);
        return reply.status(201).send(detailToApi(await referrals.view(actor, request.params.id)));
      },
    );

    app.post(
      '/referrals/:id/check/clear',
      {
        config: { access: { permission: 'referral:triage' } },
        schema: {
          tags: ['referrals'],
          summary:
            'Clear the "needs checking" mark on a referral not from a consultant (consultants only), saying why it can stand (audited)',
          params,
          body: clearCheckBodySchema,
          response: { 200: referralDetailSchema, ...errors, 404: errorSchema, 409: errorSchema },
        },
      },
      async (request) => {
        const actor = actorFor(requireAuth(request), request.id);
        await referrals.clearCheck(actor, request.params.id, request.body.version ?? null, request.body.note);
        return detailToApi(await referrals.view(actor, request.params.id));
      },
    );

    app.post(
      '/referrals/:id/appointments',
      {
        config: { access: { permission: 'appointment:manage' } },
        schema: {
          tags: ['referrals'],
          summary: 'Book the first appointment of an accepted referral; the appointment letter is made',
          params,
          body: appointmentBodySchema,
          response: { 201: appointmentSchema, ...errors, 404: errorSchema, 409: errorSchema },
        },
      },
      async (request, reply) => {
        const a = await referrals.book(
          actorFor(requireAuth(request), request.id),
          request.params.id,
          request.body,
        );
        return reply.status(201).send(appointmentToApi(a));
      },
    );

    app.get(
      '/waiting-list',
      {
        config: { access: { permission: 'referral:read' } },
        schema: {
          tags: ['referrals'],
          summary: 'Accepted referrals waiting for their first appointment, most at risk first (audited)',
          response: { 200: waitingListSchema, ...errors },
        },
      },
      async (request) =>
        waitingListToApi(await referrals.waitingList(actorFor(requireAuth(request), request.id), 'api')),
    );
  };
}
