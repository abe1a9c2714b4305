import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteDeps } from '../../../compose.ts';
import { normaliseNhsNumber } from '../../../domain/nhs-number.ts';
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
        },
      },
      async (request, reply) => {
        const patient = await patients.create(actorFor(requireAuth(request), request.id), request.body);
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
        const q = request.query;
        const found = await patients.find(actorFor(requireAuth(request), request.id), {
          ...(q.nhsNumber ? { nhsNumber: normaliseNhsNumber(q.nhsNumber) } : {}),
          ...(q.familyName ? { familyName: q.familyName } : {}),
          ...(q.givenName ? { givenName: q.givenName } : {}),
          ...(q.dateOfBirth ? { dateOfBirth: q.dateOfBirth } : {}),
        });
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
