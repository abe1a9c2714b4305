import { z } from 'zod';
import type { RouteDeps } from '../../../compose.ts';
import { warningsForOutput } from '../../../domain/clinical-warning.ts';
import type { RefillView } from '../../../services/refill-view-service.ts';
import type { RefillAmendment } from '../../../storage/refill-amendments.repository.ts';
import type { Refill } from '../../../storage/refills.repository.ts';
import {
  apiActor,
  apiErrors,
  changeErrors,
  idParams,
  prescriptionToApi,
  pumpParams,
  readAccess,
  serviceChecksBody,
  type ZodApp,
} from '../pumps/pump-api-support.ts';
import {
  amendBodySchema,
  amendmentDecisionBodySchema,
  amendmentSchema,
  refillBodySchema,
  refillSchema,
  refillViewSchema,
  rejectRefillBodySchema,
  reviewBodySchema,
  signBodySchema,
} from './refill-schemas.ts';

function refillToApi(r: Refill): z.infer<typeof refillSchema> {
  const flags = warningsForOutput(r.flags);
  return { ...r, complications: [...r.complications], flags, warnings: flags };
}

function amendmentToApi(a: RefillAmendment): z.infer<typeof amendmentSchema> {
  return { ...a, changes: a.changes.map((c) => ({ ...c })) };
}

function refillViewToApi(v: RefillView): z.infer<typeof refillViewSchema> {
  const name = (id: string | null) => (id === null ? null : (v.names.get(id) ?? null));
  return {
    refill: refillToApi(v.refill),
    prescription: v.prescription ? prescriptionToApi(v.prescription) : null,
    previousPrescription: v.previousPrescription ? prescriptionToApi(v.previousPrescription) : null,
    amendments: v.amendments.map((a) => ({
      ...amendmentToApi(a),
      amendedByName: name(a.amendedBy),
      decidedByName: name(a.decidedBy),
    })),
    pendingAmendment: v.pendingAmendment ? amendmentToApi(v.pendingAmendment) : null,
    effective: { ...v.effective },
    performedByName: name(v.refill.performedBy),
    reviewedByName: name(v.refill.reviewedBy),
    checkedByName: name(v.refill.checkedBy),
    voidedByName: name(v.refill.voidedBy),
    needsReview: v.needsReview,
    needsWithdrawalCheck: v.needsWithdrawalCheck,
    dueOn: v.dueOn,
  };
}

const amendmentParams = z.object({ id: z.string(), amendmentId: z.string() });

/** Refills under /api/v1: record, view, review, sign and amend. */
export function addRefillApiRoutes(app: ZodApp, deps: RouteDeps): void {
  const refills = deps.services.refills;

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
      const refill = await refills.record(apiActor(request), request.params.pumpId, request.body);
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
    async (request) => refillViewToApi(await refills.view(apiActor(request), request.params.id)),
  );

  app.post(
    '/refills/:id/review',
    {
      config: { access: { permission: 'refill:record' } },
      validatorCompiler: serviceChecksBody,
      schema: {
        tags: ['refills'],
        summary:
          'Record the review a flagged refill or a suspected pocket fill needs before signing: never by the person who did the refill (400 naming reviewedBy); after RAN_DRY or AFTER_ALARM with withdrawalSignsChecked and withdrawalSignsFound',
        params: idParams,
        body: reviewBodySchema,
        response: { 200: refillSchema, ...changeErrors },
      },
    },
    async (request) => refillToApi(await refills.review(apiActor(request), request.params.id, request.body)),
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
    async (request) => refillToApi(await refills.sign(apiActor(request), request.params.id, request.body)),
  );

  app.post(
    '/refills/:id/amend',
    {
      config: { access: { permission: 'refill:record' } },
      validatorCompiler: serviceChecksBody,
      schema: {
        tags: ['refills'],
        summary:
          'Correct a signed refill with a reason: batch, expiry and notes at once; alarmMl and instilledMl pending until a different clinician confirms',
        params: idParams,
        body: amendBodySchema,
        response: { 201: amendmentSchema, ...changeErrors },
      },
    },
    async (request, reply) => {
      const a = await refills.amend(apiActor(request), request.params.id, request.body);
      return reply.status(201).send(amendmentToApi(a));
    },
  );

  app.post(
    '/refills/:id/reject',
    {
      config: { access: { permission: 'dose:check' } },
      validatorCompiler: serviceChecksBody,
      schema: {
        tags: ['refills'],
        summary:
          'Reject a refill awaiting its check, with a reason (never by the person who did it): it is voided and kept, a programme change made with it is rejected, and the pump’s dates go back to the last signed refill’s plan',
        params: idParams,
        body: rejectRefillBodySchema,
        response: { 200: refillSchema, ...changeErrors },
      },
    },
    async (request) => refillToApi(await refills.reject(apiActor(request), request.params.id, request.body)),
  );

  const amendmentDecision = (
    path: string,
    summary: string,
    decide: typeof refills.confirmAmendment | typeof refills.rejectAmendment,
  ) =>
    app.post(
      path,
      {
        config: { access: { permission: 'dose:check' } },
        validatorCompiler: serviceChecksBody,
        schema: {
          tags: ['refills'],
          summary,
          params: amendmentParams,
          body: amendmentDecisionBodySchema,
          response: { 200: refillSchema, ...changeErrors },
        },
      },
      async (request) =>
        refillToApi(
          await decide(apiActor(request), request.params.id, request.params.amendmentId, request.body),
        ),
    );
  amendmentDecision(
    '/refills/:id/amendments/:amendmentId/confirm',
    'Confirm a volume correction as a different clinician from the one who made it (400 naming checkedBy); the refill’s plan, and the pump’s when it is the last signed refill, is worked out again',
    refills.confirmAmendment,
  );
  amendmentDecision(
    '/refills/:id/amendments/:amendmentId/reject',
    'Reject a volume correction, with a note; the refill stays as signed',
    refills.rejectAmendment,
  );
}
