import type { z } from 'zod';
import {
  amendRefill,
  recordRefill,
  refillView,
  reviewRefill,
  signRefill,
  type RefillServiceDeps,
  type RefillView,
} from '../../../services/refill-service.ts';
import {
  amendBodySchema,
  amendmentSchema,
  refillBodySchema,
  refillSchema,
  refillViewSchema,
  reviewBodySchema,
  signBodySchema,
} from './pump-schemas.ts';
import {
  apiActor,
  apiErrors,
  changeErrors,
  idParams,
  prescriptionToApi,
  pumpParams,
  readAccess,
  refillToApi,
  serviceChecksBody,
  type ZodApp,
} from './pump-api-support.ts';

function refillViewToApi(v: RefillView): z.infer<typeof refillViewSchema> {
  const name = (id: string | null) => (id === null ? null : (v.names.get(id) ?? null));
  return {
    refill: refillToApi(v.refill),
    prescription: v.prescription ? prescriptionToApi(v.prescription) : null,
    previousPrescription: v.previousPrescription ? prescriptionToApi(v.previousPrescription) : null,
    amendments: v.amendments.map((a) => ({
      ...a,
      changes: a.changes.map((c) => ({ ...c })),
      amendedByName: name(a.amendedBy),
    })),
    effective: { ...v.effective },
    performedByName: name(v.refill.performedBy),
    reviewedByName: name(v.refill.reviewedBy),
    checkedByName: name(v.refill.checkedBy),
    needsReview: v.needsReview,
    dueOn: v.dueOn,
  };
}

/** Refills under /api/v1: record, view, review, sign and amend. */
export function addRefillApiRoutes(app: ZodApp, svc: RefillServiceDeps): void {
  // ------------------------------------------------------------ refills

  app.post(
    '/pumps/:pumpId/refills',
    {
      config: { access: { permission: 'refill:record' } },
      validatorCompiler: serviceChecksBody,
      schema: {
        tags: ['refills'],
        summary:
          'Record a refill: residual check, new alarm and due dates, any programme change. It counts once signed.',
        params: pumpParams,
        body: refillBodySchema,
        response: { 201: refillSchema, ...changeErrors },
      },
    },
    async (request, reply) => {
      const refill = await recordRefill(svc, apiActor(request), request.params.pumpId, request.body);
      return reply.status(201).send(refillToApi(refill));
    },
  );

  app.get(
    '/refills/:id',
    {
      config: { access: readAccess },
      schema: {
        tags: ['refills'],
        summary: 'A refill with its prescription, amendments and who did, reviewed and checked it (audited)',
        params: idParams,
        response: { 200: refillViewSchema, ...apiErrors },
      },
    },
    async (request) => refillViewToApi(await refillView(svc, apiActor(request), request.params.id)),
  );

  app.post(
    '/refills/:id/review',
    {
      config: { access: { permission: 'refill:record' } },
      validatorCompiler: serviceChecksBody,
      schema: {
        tags: ['refills'],
        summary: 'Record the review a flagged discrepancy or a suspected pocket fill needs before signing',
        params: idParams,
        body: reviewBodySchema,
        response: { 200: refillSchema, ...changeErrors },
      },
    },
    async (request) =>
      refillToApi(await reviewRefill(svc, apiActor(request), request.params.id, request.body)),
  );

  app.post(
    '/refills/:id/sign',
    {
      config: { access: { permission: 'dose:check' } },
      validatorCompiler: serviceChecksBody,
      schema: {
        tags: ['refills'],
        summary:
          'Check and sign a refill as a second clinician (never the one who did it); the pump plan moves to it',
        params: idParams,
        body: signBodySchema,
        response: { 200: refillSchema, ...changeErrors },
      },
    },
    async (request) => refillToApi(await signRefill(svc, apiActor(request), request.params.id, request.body)),
  );

  app.post(
    '/refills/:id/amend',
    {
      config: { access: { permission: 'refill:record' } },
      validatorCompiler: serviceChecksBody,
      schema: {
        tags: ['refills'],
        summary: 'Correct a signed refill (batch, expiry, notes) with a reason; the record itself is kept',
        params: idParams,
        body: amendBodySchema,
        response: { 201: amendmentSchema, ...changeErrors },
      },
    },
    async (request, reply) => {
      const a = await amendRefill(svc, apiActor(request), request.params.id, request.body);
      return reply.status(201).send({ ...a, changes: a.changes.map((c) => ({ ...c })) });
    },
  );
}
