import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteDeps } from '../../../compose.ts';
import { searchFromFields } from '../../../domain/patient-search.ts';
import { validationError } from '../../../services/app-error.ts';
import type { Patient } from '../../../storage/patients.repository.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorSchema } from '../api/error-schema.ts';
import {
  patientBodySchema,
  patientSchema,
  patientSearchQuerySchema,
  patientUpdateBodySchema,
} from './patient-schemas.ts';

function toApi(p: Patient): z.infer<typeof patientSchema> {
  return {
    id: p.id,
    nhsNumber: p.nhsNumber,
    hospitalNumber: p.hospitalNumber,
    givenName: p.givenName,
    familyName: p.familyName,
    dateOfBirth: p.dateOfBirth,
    sex: p.sex,
    addressLine1: p.addressLine1,
    addressLine2: p.addressLine2,
    town: p.town,
    postcode: p.postcode,
    phone: p.phone,
    gpPracticeName: p.gpPracticeName,
    gpPracticeOds: p.gpPracticeOds,
    nextOfKinName: p.nextOfKinName,
    nextOfKinRelationship: p.nextOfKinRelationship,
    nextOfKinPhone: p.nextOfKinPhone,
    communicationNeeds: p.communicationNeeds,
    allergies: p.allergies,
    alerts: p.alerts,
    relevantConditions: p.relevantConditions,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    version: p.version,
  };
}

export function patientApiRoutes(deps: RouteDeps): FastifyPluginAsync {
  const patients = deps.services.patients;
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    const read = { permission: 'patient:read' } as const;
    const write = { permission: 'patient:write' } as const;
    const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema };

    app.post(
      '/patients',
      {
        config: { access: write },
        schema: {
          tags: ['patients'],
          summary: 'Register a patient',
          body: patientBodySchema,
          response: { 201: patientSchema, ...errors, 409: errorSchema },
          description:
            'Refused 409 DUPLICATE_NHS_NUMBER when the NHS number is registered, and 409 INVALID_STATE LIKELY_DUPLICATE_PATIENT when someone born on the same day with a similar name is, unless confirmNotDuplicate is true.',
        },
      },
      async (request, reply) => {
        const { confirmNotDuplicate, ...fields } = request.body;
        const patient = await patients.create(actorFor(requireAuth(request), request.id), fields, {
          confirmNotDuplicate: confirmNotDuplicate === true,
        });
        return reply.status(201).send(toApi(patient));
      },
    );

    app.get(
      '/patients',
      {
        config: { access: read },
        schema: {
          tags: ['patients'],
          summary: 'Find patients (audited)',
          querystring: patientSearchQuerySchema,
          response: { 200: z.object({ patients: z.array(patientSchema) }), ...errors },
        },
      },
      async (request) => {
        const search = searchFromFields(request.query);
        if (!search.ok) {
          throw validationError([{ field: 'q', message: search.message }]);
        }
        const found = await patients.find(actorFor(requireAuth(request), request.id), search.criteria);
        return { patients: found.map(toApi) };
      },
    );

    app.get(
      '/patients/:id',
      {
        config: { access: read },
        schema: {
          tags: ['patients'],
          summary: 'Read a patient record (audited)',
          params: z.object({ id: z.string() }),
          response: { 200: patientSchema, ...errors, 404: errorSchema },
        },
      },
      async (request) =>
        toApi(await patients.view(actorFor(requireAuth(request), request.id), request.params.id)),
    );

    app.put(
      '/patients/:id',
      {
        config: { access: write },
        schema: {
          tags: ['patients'],
          summary: "Replace a patient's details; refused with 409 if the version is not the latest",
          params: z.object({ id: z.string() }),
          body: patientUpdateBodySchema,
          response: { 200: patientSchema, ...errors, 404: errorSchema, 409: errorSchema },
        },
      },
      async (request) => {
        const { version, ...fields } = request.body;
        return toApi(
          await patients.update(
            actorFor(requireAuth(request), request.id),
            request.params.id,
            version,
            fields,
          ),
        );
      },
    );
  };
}
