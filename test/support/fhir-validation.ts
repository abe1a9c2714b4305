import { OperationOutcomeError, validateResource } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import { isFhirExportType } from '../../src/domain/fhir/fhir-types.ts';
import { fhirErrors as exportedResourceErrors, loadFhirDefinitions } from './fhir-validator.ts';

/** What @medplum/core's validateResource (FHIR R4 StructureDefinitions) finds, as lines. */
function r4Errors(resource: Resource): string[] {
  try {
    return validateResource(resource)
      .filter((i) => i.severity === 'error' || i.severity === 'fatal')
      .map((i) => `medplum: ${i.details?.text ?? ''} at ${(i.expression ?? []).join(', ')}`);
  } catch (err) {
    if (err instanceof OperationOutcomeError) {
      return err.outcome.issue.map(
        (i) => `medplum: ${i.details?.text ?? ''} at ${(i.expression ?? []).join(', ')}`,
      );
    }
    throw err;
  }
}

/**
 * Every FHIR answer a test receives, checked by the independent validator (@medplum/core
 * against the R4 definitions); the exported resources, on their own or in a Bundle's entries,
 * also against the UK Core rules (checkUkCore, through fhir-validator.ts). OperationOutcomes,
 * Bundles and the CapabilityStatement claim no UK Core profile, so they get the R4 check only.
 */
export function fhirErrors(body: unknown): string[] {
  loadFhirDefinitions();
  const resource = body as Resource;
  if (isFhirExportType(resource.resourceType)) {
    return exportedResourceErrors(resource);
  }
  const entries = resource.resourceType === 'Bundle' ? (resource.entry ?? []) : [];
  return [
    ...r4Errors(resource),
    ...entries.flatMap((e) =>
      e.resource && isFhirExportType(e.resource.resourceType) ? exportedResourceErrors(e.resource) : [],
    ),
  ];
}
