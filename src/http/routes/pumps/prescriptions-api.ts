import type { RefillServiceDeps } from '../../../services/refill-service.ts';
import {
  confirmPrescription,
  proposePrescription,
  rejectPrescription,
} from '../../../services/prescription-service.ts';
import { findPrescriptionById } from '../../../storage/pumps.repository.ts';
import { decisionBodySchema, prescriptionBodySchema, prescriptionSchema } from './pump-schemas.ts';
import {
  apiActor,
  changeErrors,
  idParams,
  prescriptionToApi,
  pumpParams,
  serviceChecksBody,
  type ZodApp,
} from './pump-api-support.ts';

/** Prescriptions under /api/v1: propose, then confirm or reject as the second clinician. */
export function addPrescriptionApiRoutes(app: ZodApp, svc: RefillServiceDeps): void {
  // ------------------------------------------------------------ prescriptions

  app.post(
    '/pumps/:pumpId/prescriptions',
    {
      config: { access: { permission: 'dose:prescribe' } },
      validatorCompiler: serviceChecksBody,
      schema: {
        tags: ['prescriptions'],
        summary:
          'Propose a prescription or a change; it counts once a second clinician confirms it (409 while another is pending)',
        description:
          'A hard limit (a dose outside 1–3000 mcg/day, a tenfold change, a strength the service does not stock, a volume the pump cannot deliver) is refused as a 400 naming the field. A warning (outside the usual range, a programme limit, beyond the titration limit) is refused as a 400 naming `reason`, with the warnings in `error.details.warnings`, until a reason is given; the 201 then returns them in `warnings`.',
        params: pumpParams,
        body: prescriptionBodySchema,
        response: { 201: prescriptionSchema, ...changeErrors },
      },
    },
    async (request, reply) => {
      const p = await proposePrescription(svc, apiActor(request), request.params.pumpId, request.body);
      return reply.status(201).send(prescriptionToApi(p));
    },
  );

  const decision = (path: string, summary: string, decide: typeof confirmPrescription) =>
    app.post(
      path,
      {
        config: { access: { permission: 'dose:check' } },
        validatorCompiler: serviceChecksBody,
        schema: {
          tags: ['prescriptions'],
          summary,
          params: idParams,
          body: decisionBodySchema,
          response: { 200: prescriptionSchema, ...changeErrors },
        },
      },
      async (request) => {
        const decided = await decide(svc, apiActor(request), request.params.id, request.body);
        // Read back: rejectPrescription returns its input with the state changed but not decidedAt.
        return prescriptionToApi((await findPrescriptionById(svc.db, decided.id)) ?? decided);
      },
    );
  decision(
    '/prescriptions/:id/confirm',
    'Confirm a pending change as the second clinician (never the proposer: 400 naming checkedBy)',
    confirmPrescription,
  );
  decision(
    '/prescriptions/:id/reject',
    'Reject (or withdraw) a pending change, with a note; the active prescription stays',
    rejectPrescription,
  );
}
