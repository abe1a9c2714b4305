import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteDeps } from '../../../compose.ts';
import { roundTo2 } from '../../../domain/gas.ts';
import type { ScoredMeasureSet } from '../../../services/measures-service.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { measureSetBodySchema, measureSetListSchema, measureSetSchema } from './measure-schemas.ts';
import { errorSchema } from '../api/error-schema.ts';

function setToApi(s: ScoredMeasureSet): z.infer<typeof measureSetSchema> {
  return {
    id: s.id,
    patientId: s.patientId,
    recordedOn: s.recordedOn,
    occasion: s.occasion,
    assessmentId: s.assessmentId,
    mas: s.mas.map((m) => ({ muscleGroup: m.muscleGroup, side: m.side, grade: m.grade })),
    pennFrequency: s.pennFrequency,
    pennSeverity: s.pennSeverity,
    gasGoals: s.gasGoals.map((g) => ({
      text: g.text,
      weight: g.weight,
      baseline: g.baseline,
      achieved: g.achieved,
    })),
    gmfcsLevel: s.gmfcsLevel,
    painNrs: s.painNrs,
    note: s.note,
    // Rounded only here, on the way out [GAS]; the service keeps them exact.
    baselineTScore: s.baselineTScore === null ? null : roundTo2(s.baselineTScore),
    achievedTScore: s.achievedTScore === null ? null : roundTo2(s.achievedTScore),
    painChange: s.painChange.change,
    painChangeMeaningful: s.painChange.meaningful,
    createdAt: s.createdAt,
    createdBy: s.createdBy,
  };
}

/** Outcome measures as JSON: record a set, and read a patient's sets with their T-scores. */
export function measureApiRoutes(deps: RouteDeps): FastifyPluginAsync {
  const measures = deps.services.measures;
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };
    const params = z.object({ patientId: z.string() });

    app.post(
      '/patients/:patientId/measures',
      {
        config: { access: { permission: 'measures:write' } },
        schema: {
          tags: ['outcome measures'],
          summary: 'Record a set of outcome measures (Ashworth, Penn, GAS, GMFCS, pain) for a patient',
          params,
          body: measureSetBodySchema,
          response: { 201: measureSetSchema, ...errors },
        },
      },
      async (request, reply) => {
        // The shape was checked by the route schema; the service checks it again with the rules
        // between fields, the patient's date of birth and today, as it does for the form.
        const set = await measures.record(
          actorFor(requireAuth(request), request.id),
          request.params.patientId,
          request.body,
        );
        return reply.status(201).send(setToApi(set));
      },
    );

    app.get(
      '/patients/:patientId/measures',
      {
        config: { access: { permission: 'patient:read' } },
        schema: {
          tags: ['outcome measures'],
          summary: "A patient's outcome measure sets, oldest first, with GAS T-scores (audited)",
          params,
          response: { 200: measureSetListSchema, ...errors },
        },
      },
      async (request) => {
        const { patient, sets } = await measures.forPatient(
          actorFor(requireAuth(request), request.id),
          request.params.patientId,
        );
        return { patientId: patient.id, sets: sets.map(setToApi) };
      },
    );
  };
}
