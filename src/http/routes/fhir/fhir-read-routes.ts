import type { Bundle, Resource } from '@medplum/fhirtypes';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteDeps } from '../../../compose.ts';
import { AppError } from '../../../services/app-error.ts';
import { FHIR_ID_PATTERN, isFhirExportType } from '../../../services/fhir/fhir-types.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { NHS_NUMBER_SYSTEM } from '../../../domain/fhir-import/patient-entry.ts';
import { capabilityStatement } from './capability-statement.ts';
import { bundleSchema, fhirErrors, fhirResourceSchema, searchQuerySchema } from './fhir-schemas.ts';
import { parseFhirSearch } from './search-params.ts';

function notServed(type: string): AppError {
  return new AppError('NOT_FOUND', `Resource type ${type} is not served here: see /fhir/R4/metadata`);
}

function checkedId(id: string): string {
  if (!FHIR_ID_PATTERN.test(id)) {
    throw new AppError('VALIDATION_FAILED', 'id: a FHIR id is 1 to 64 letters, digits, - and .', {
      fieldErrors: [{ field: 'id', message: 'A FHIR id is 1 to 64 letters, digits, - and .' }],
    });
  }
  return id;
}

/** A searchset Bundle with absolute fullUrls and the self link (https://hl7.org/fhir/R4/bundle.html). */
export function searchset(base: string, self: string, resources: readonly Resource[]): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: resources.length,
    link: [{ relation: 'self', url: self }],
    entry: resources.map((resource) => ({
      fullUrl: `${base}/${resource.resourceType}/${resource.id ?? ''}`,
      resource,
      search: { mode: 'match' },
    })),
  };
}

/** The NHS number a UK Core Patient carries. */
function nhsNumberOf(patient: Resource): string | null {
  const ids = patient.resourceType === 'Patient' ? (patient.identifier ?? []) : [];
  return ids.find((i) => i.system === NHS_NUMBER_SYSTEM)?.value ?? null;
}

/**
 * GET /fhir/R4/metadata, read, search by patient and $everything: each read and search
 * audited by the FHIR service (services.fhir), as reads of the patient's record.
 */
export function fhirReadRoutes(deps: RouteDeps): FastifyPluginAsync {
  const fhir = deps.services.fhir;
  const base = `${deps.config.publicUrl}/fhir/R4`;
  return async (plain) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();
    const read = { permission: 'patient:read' } as const;

    // Public, as FHIR servers serve it (SMART App Launch asks that the CapabilityStatement be
    // readable without authorisation so a client can learn how to authenticate): it holds no
    // patient data, only what this endpoint does.
    app.get(
      '/metadata',
      {
        config: { access: 'public' },
        schema: {
          tags: ['fhir'],
          produces: ['application/fhir+json'],
          summary: 'The CapabilityStatement: what this FHIR R4 endpoint does (no token needed)',
          response: { 200: fhirResourceSchema },
        },
      },
      async () => capabilityStatement(base),
    );

    app.get(
      '/:type',
      {
        config: { access: read },
        schema: {
          tags: ['fhir'],
          produces: ['application/fhir+json'],
          summary: "Search one type of a patient's resources by NHS number (audited)",
          description:
            'Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|{nhs}; any other type ?patient.identifier=…|{nhs} or ?patient=Patient/{id}. Answers a searchset Bundle; a bad NHS number is a 400 OperationOutcome naming the parameter.',
          params: z.object({ type: z.string() }),
          querystring: searchQuerySchema,
          response: { 200: bundleSchema, ...fhirErrors },
        },
      },
      async (request) => {
        const type = request.params.type;
        if (!isFhirExportType(type)) {
          throw notServed(type);
        }
        const query = request.query as Record<string, string | undefined>;
        const parsed = parseFhirSearch(type, query);
        if (!parsed.ok) {
          throw new AppError('VALIDATION_FAILED', parsed.message, {
            fieldErrors: [{ field: parsed.param, message: parsed.message }],
          });
        }
        const { criterion } = parsed;
        const self = `${base}/${type}?${new URLSearchParams({ [criterion.param]: criterion.value }).toString()}`;
        const actor = actorFor(requireAuth(request), request.id);
        let nhsNumber: string | null = criterion.by === 'nhsNumber' ? criterion.nhsNumber : null;
        if (criterion.by === 'id') {
          // A reference search: the Patient is read (and that read audited) for its NHS number.
          const patient = await fhir.read(actor, 'Patient', criterion.id);
          nhsNumber = patient ? nhsNumberOf(patient) : null;
        }
        const found = nhsNumber === null ? [] : await fhir.search(actor, type, { nhsNumber });
        return searchset(base, self, found);
      },
    );

    app.get(
      '/:type/:id',
      {
        config: { access: read },
        schema: {
          tags: ['fhir'],
          produces: ['application/fhir+json'],
          summary: 'Read one resource by type and id (audited)',
          params: z.object({ type: z.string(), id: z.string() }),
          response: { 200: fhirResourceSchema, ...fhirErrors },
        },
      },
      async (request) => {
        const { type, id } = request.params;
        if (!isFhirExportType(type)) {
          throw notServed(type);
        }
        const resource = await fhir.read(actorFor(requireAuth(request), request.id), type, checkedId(id));
        if (!resource) {
          throw new AppError('NOT_FOUND', `No ${type} with id ${id}`);
        }
        return resource;
      },
    );

    app.get(
      '/Patient/:id/$everything',
      {
        config: { access: read },
        schema: {
          tags: ['fhir'],
          produces: ['application/fhir+json'],
          summary: "A patient's whole record as one Bundle (Patient $everything, audited)",
          params: z.object({ id: z.string() }),
          response: { 200: bundleSchema, ...fhirErrors },
        },
      },
      async (request) => {
        const id = checkedId(request.params.id);
        const bundle = await fhir.everything(actorFor(requireAuth(request), request.id), id);
        if (!bundle) {
          throw new AppError('NOT_FOUND', `No Patient with id ${id}`);
        }
        const resources = (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
        return {
          ...searchset(base, `${base}/Patient/${id}/$everything`, resources),
          type: bundle.type,
        };
      },
    );
  };
}
