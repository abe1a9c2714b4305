import type { CapabilityStatement, CapabilityStatementRestResource } from '@medplum/fhirtypes';
import { FHIR_EXPORT_TYPES, type FhirExportType } from '../../../services/fhir/fhir-types.ts';
import { MAX_IMPORT_ENTRIES } from '../../../domain/fhir-import/patient-bundle.ts';
import { ukCoreProfile } from '../../../domain/fhir/codes.ts';

/** When this statement last changed (CapabilityStatement.date): change it with the interface. */
export const CAPABILITY_DATE = '2026-12-09';

const NHS_NUMBER_SEARCH =
  'The NHS number as a token, system|value: identifier=https://fhir.nhs.uk/Id/nhs-number|9000000009';

function resource(type: FhirExportType): CapabilityStatementRestResource {
  const patient = type === 'Patient';
  return {
    type,
    profile: ukCoreProfile(type),
    interaction: [{ code: 'read' }, { code: 'search-type' }],
    searchParam: patient
      ? [
          {
            name: 'identifier',
            definition: 'http://hl7.org/fhir/SearchParameter/Patient-identifier',
            type: 'token',
            documentation: `${NHS_NUMBER_SEARCH}. Required: the only Patient search.`,
          },
        ]
      : [
          {
            name: 'patient',
            type: 'reference',
            documentation:
              'The patient, as Patient/{id}, or chained by NHS number: patient.identifier=https://fhir.nhs.uk/Id/nhs-number|9000000009 (patient:identifier is accepted as the same). Required.',
          },
        ],
    ...(patient
      ? {
          operation: [
            {
              name: 'everything',
              definition: 'http://hl7.org/fhir/OperationDefinition/Patient-everything',
              documentation:
                "GET Patient/{id}/$everything: every resource of the patient's record as a searchset Bundle.",
            },
          ],
        }
      : {}),
  };
}

/**
 * What the /fhir/R4 endpoint does (https://hl7.org/fhir/R4/capabilitystatement.html), served at
 * GET /fhir/R4/metadata: the exported types read and searched by patient, $everything, and
 * the Patient import as a transaction or batch Bundle.
 */
export function capabilityStatement(baseUrl: string): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: CAPABILITY_DATE,
    publisher: 'ITB service',
    kind: 'instance',
    software: { name: 'ITB service' },
    implementation: {
      description: 'Intrathecal baclofen pump service: FHIR R4 (UK Core) export and Patient import',
      url: baseUrl,
    },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        documentation:
          'Every interaction but this statement needs an API token of the service (Authorization: Bearer <token>, made by `itb token create` or on the account page). Reads and searches need the role permission patient:read and are audited; the import needs patient:write.',
        security: {
          cors: false,
          // No code in restful-security-service names a plain bearer token (it lists OAuth,
          // SMART-on-FHIR, Basic …; https://hl7.org/fhir/R4/valueset-restful-security-service.html).
          service: [{ text: 'Bearer token (RFC 6750)' }],
          description: 'A personal API token as a bearer token (RFC 6750).',
        },
        resource: FHIR_EXPORT_TYPES.map(resource),
        interaction: [
          {
            code: 'transaction',
            documentation: `POST a transaction Bundle of up to ${String(MAX_IMPORT_ENTRIES)} Patient entries: each registered or matched by NHS number; any problem saves nothing and the OperationOutcome lists every one.`,
          },
          {
            code: 'batch',
            documentation:
              'POST a batch Bundle of Patient entries: the clean entries are saved and each problem is answered on its entry.',
          },
        ],
      },
    ],
  };
}
