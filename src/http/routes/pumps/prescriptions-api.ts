import { decisionBodySchema, prescriptionBodySchema, prescriptionSchema } from './prescription-schemas.ts';
import {
  apiActor,
  changeErrors,
  idParams,
  prescriptionToApi,
  pumpParams,
  serviceChecksBody,
  type PumpServices,
  type ZodApp,
} from './pump-api-support.ts';

/** Prescriptions under /api/v1: propose, then confirm or reject as the second clinician. */
export function addPrescriptionApiRoutes(app: ZodApp, pumps: PumpServices): void {
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
      const p = await pumps.proposePrescription(apiActor(request), request.params.pumpId, request.body);
      return reply.status(201).send(prescriptionToApi(p));
    },
  );

  const decision = (path: string, summary: string, decide: PumpServices['confirmPrescription']) =>
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
      async (request) => prescriptionToApi(await decide(apiActor(request), request.params.id, request.body)),
    );
  decision(
    '/prescriptions/:id/confirm',
    'Confirm a pending change as the second clinician (never the proposer: 400 naming checkedBy)',
    pumps.confirmPrescription,
  );
  decision(
    '/prescriptions/:id/reject',
    'Reject (or withdraw) a pending change, with a note; the active prescription stays',
    pumps.rejectPrescription,
  );
}
