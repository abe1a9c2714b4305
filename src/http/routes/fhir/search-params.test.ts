import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FhirExportType } from '../../../services/fhir/fhir-types.ts';
import { parseFhirSearch } from './search-params.ts';

const NHS = 'https://fhir.nhs.uk/Id/nhs-number';

/** Each example: the type, the query, and whose resources it asks for or the parameter refused. */
const EXAMPLES: readonly [FhirExportType, Record<string, string>, string][] = [
  ['Patient', { identifier: `${NHS}|4857773457` }, 'nhs 4857773457'],
  ['Patient', { identifier: '4857773457' }, 'nhs 4857773457'],
  ['Patient', { identifier: `|4857773457` }, 'nhs 4857773457'],
  ['Patient', { identifier: `${NHS}|485 777 3457` }, 'nhs 4857773457'],
  ['Patient', { identifier: `${NHS}|4857773456` }, 'refused identifier'],
  ['Patient', { identifier: 'https://example.org/mrn|4857773457' }, 'refused identifier'],
  ['Patient', {}, 'refused identifier'],
  ['Patient', { patient: 'Patient/abc' }, 'refused identifier'],
  ['Device', { 'patient.identifier': `${NHS}|4857773457` }, 'nhs 4857773457'],
  ['Device', { 'patient:identifier': `${NHS}|4857773457` }, 'nhs 4857773457'],
  ['Observation', { patient: 'Patient/abc-1.2' }, 'id abc-1.2'],
  ['Observation', { patient: 'https://example.org/fhir/R4/Patient/abc' }, 'id abc'],
  ['Observation', { patient: 'abc' }, 'id abc'],
  ['Observation', { patient: 'Patient/' }, 'refused patient'],
  ['Flag', { 'patient.identifier': `${NHS}|123` }, 'refused patient.identifier'],
  ['Flag', { patient: 'Patient/a', 'patient.identifier': `${NHS}|4857773457` }, 'refused patient'],
  ['Flag', { identifier: `${NHS}|4857773457` }, 'refused patient.identifier'],
];

describe('parseFhirSearch', () => {
  for (const [type, query, expected] of EXAMPLES) {
    it(`${type}?${new URLSearchParams(query).toString()} → ${expected}`, () => {
      const parsed = parseFhirSearch(type, query);
      const got = parsed.ok
        ? parsed.criterion.by === 'nhsNumber'
          ? `nhs ${parsed.criterion.nhsNumber}`
          : `id ${parsed.criterion.id}`
        : `refused ${parsed.param}`;
      assert.equal(got, expected);
      if (!parsed.ok) {
        assert.ok(parsed.message.length > 0);
      }
    });
  }
});
