import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlainDate } from '../calendar-date.ts';
import {
  decideEntry,
  MAX_IMPORT_ENTRIES,
  parsePatientBundle,
  type RegisteredPerson,
} from './patient-bundle.ts';
import { NHS_NUMBER_SYSTEM } from './patient-entry.ts';

const TODAY = '2026-12-09' as PlainDate;

function patient(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    resourceType: 'Patient',
    identifier: [{ system: NHS_NUMBER_SYSTEM, value: '4857773457' }],
    name: [{ use: 'official', family: 'Smith', given: ['Ann'] }],
    gender: 'female',
    birthDate: '1961-03-14',
    ...overrides,
  };
}

function bundle(resources: unknown[], type = 'transaction'): Record<string, unknown> {
  return {
    resourceType: 'Bundle',
    type,
    entry: resources.map((resource) => ({ resource, request: { method: 'POST', url: 'Patient' } })),
  };
}

/** Each example: one Patient as sent, and the element paths the import names (none: it is clean). */
const ENTRY_EXAMPLES: readonly [string, Record<string, unknown>, string[]][] = [
  ['a UK Core Patient with an NHS number', patient(), []],
  [
    'a spaced NHS number is read as its digits',
    patient({ identifier: [{ system: NHS_NUMBER_SYSTEM, value: '485 777 3457' }] }),
    [],
  ],
  ['no identifier', patient({ identifier: undefined }), ['Bundle.entry[0].resource.identifier']],
  [
    'an NHS number under another system only',
    patient({ identifier: [{ system: 'https://example.org/mrn', value: '4857773457' }] }),
    ['Bundle.entry[0].resource.identifier'],
  ],
  [
    'a failing check digit',
    patient({ identifier: [{ system: NHS_NUMBER_SYSTEM, value: '4857773456' }] }),
    ['Bundle.entry[0].resource.identifier'],
  ],
  [
    'two different NHS numbers',
    patient({
      identifier: [
        { system: NHS_NUMBER_SYSTEM, value: '4857773457' },
        { system: NHS_NUMBER_SYSTEM, value: '9434765919' },
      ],
    }),
    ['Bundle.entry[0].resource.identifier'],
  ],
  ['no name', patient({ name: undefined }), ['Bundle.entry[0].resource.name']],
  ['no family name', patient({ name: [{ given: ['Ann'] }] }), ['Bundle.entry[0].resource.name[0].family']],
  ['a year of birth only', patient({ birthDate: '1961' }), ['Bundle.entry[0].resource.birthDate']],
  ['no date of birth', patient({ birthDate: undefined }), ['Bundle.entry[0].resource.birthDate']],
  [
    'a date of birth in the future',
    patient({ birthDate: '2027-01-01' }),
    ['Bundle.entry[0].resource.birthDate'],
  ],
  [
    'a gender outside FHIR AdministrativeGender',
    patient({ gender: 'f' }),
    ['Bundle.entry[0].resource.gender'],
  ],
  [
    'a postcode that is not one',
    patient({ address: [{ use: 'home', postalCode: 'NOT A CODE' }] }),
    ['Bundle.entry[0].resource.address[0].postalCode'],
  ],
  [
    'a GP practice code that is not an ODS code',
    patient({
      generalPractitioner: [
        { identifier: { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'B8-6016' } },
      ],
    }),
    ['Bundle.entry[0].resource.generalPractitioner[0].identifier.value'],
  ],
  ['not a Patient', { resourceType: 'Observation' }, ['Bundle.entry[0].resource.resourceType']],
];

describe('parsePatientBundle', () => {
  for (const [what, resource, paths] of ENTRY_EXAMPLES) {
    it(`${what}: ${paths.length === 0 ? 'clean' : paths.join(', ')}`, () => {
      const parsed = parsePatientBundle(bundle([resource]), TODAY);
      assert.deepEqual(
        parsed.issues.map((i) => i.path),
        paths,
      );
      assert.equal(parsed.candidates.length, paths.length === 0 ? 1 : 0);
    });
  }

  it('maps the official name, home address and phone to the register', () => {
    const parsed = parsePatientBundle(
      bundle([
        patient({
          name: [
            { use: 'nickname', family: 'X', given: ['Y'] },
            { use: 'official', family: 'Smith', given: ['Ann', 'Mary'] },
          ],
          address: [
            { use: 'work', line: ['Office'], city: 'York' },
            { use: 'home', line: ['1 Park Row', 'Flat 2'], city: 'Leeds', postalCode: 'ls15ab' },
          ],
          telecom: [
            { system: 'email', value: 'a@example.org' },
            { system: 'phone', value: '0113 000 0000' },
          ],
          generalPractitioner: [
            {
              identifier: { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'b86016' },
              display: 'Park Surgery',
            },
          ],
        }),
      ]),
      TODAY,
    );
    assert.deepEqual(parsed.issues, []);
    const input = parsed.candidates[0]?.input;
    assert.equal(input?.givenName, 'Ann');
    assert.equal(input.familyName, 'Smith');
    assert.equal(input.addressLine1, '1 Park Row');
    assert.equal(input.addressLine2, 'Flat 2');
    assert.equal(input.town, 'Leeds');
    assert.equal(input.postcode, 'LS1 5AB');
    assert.equal(input.phone, '0113 000 0000');
    assert.equal(input.gpPracticeOds, 'B86016');
    assert.equal(input.gpPracticeName, 'Park Surgery');
  });

  it('reports the second entry with an NHS number already in the bundle', () => {
    const parsed = parsePatientBundle(
      bundle([patient(), patient({ name: [{ family: 'Other', given: ['Person'] }] })]),
      TODAY,
    );
    assert.deepEqual(
      parsed.issues.map((i) => [i.code, i.path]),
      [['duplicate', 'Bundle.entry[1].resource.identifier']],
    );
    assert.equal(parsed.candidates.length, 1);
  });

  it('needs request.method on each entry (bdl-3)', () => {
    const parsed = parsePatientBundle(
      { resourceType: 'Bundle', type: 'batch', entry: [{ resource: patient() }] },
      TODAY,
    );
    assert.deepEqual(
      parsed.issues.map((i) => i.path),
      ['Bundle.entry[0].request.method'],
    );
  });

  const BUNDLE_EXAMPLES: readonly [string, unknown, string][] = [
    ['not an object', [1, 2], 'Bundle'],
    ['not a Bundle', patient(), 'Bundle.resourceType'],
    ['a collection', { ...bundle([patient()]), type: 'collection' }, 'Bundle.type'],
    ['no entries', { resourceType: 'Bundle', type: 'transaction', entry: [] }, 'Bundle.entry'],
    [
      'too many entries',
      bundle(Array.from({ length: MAX_IMPORT_ENTRIES + 1 }, () => patient())),
      'Bundle.entry',
    ],
  ];
  for (const [what, raw, path] of BUNDLE_EXAMPLES) {
    it(`refuses ${what} at ${path}`, () => {
      const parsed = parsePatientBundle(raw, TODAY);
      assert.equal(parsed.bundleType, null);
      assert.deepEqual(
        parsed.issues.map((i) => [i.index, i.path]),
        [[null, path]],
      );
    });
  }
});

describe('decideEntry', () => {
  const [candidate] = parsePatientBundle(bundle([patient()]), TODAY).candidates;
  assert.ok(candidate);
  const held = (overrides: Partial<RegisteredPerson> = {}): RegisteredPerson => ({
    id: 'p1',
    nhsNumber: '4857773457',
    givenName: 'Ann',
    familyName: 'Smith',
    dateOfBirth: '1961-03-14',
    ...overrides,
  });
  const EXAMPLES: readonly [string, RegisteredPerson | undefined, RegisteredPerson[], string, string[]][] = [
    ['nobody holds the number and nobody alike', undefined, [], 'create', []],
    ['the same person', held(), [], 'matched', []],
    [
      'the same person, spelt Anne',
      held({ givenName: 'Anne' }),
      [],
      'matched',
      ['warning Bundle.entry[0].resource.name'],
    ],
    [
      'the number held with another date of birth',
      held({ dateOfBirth: '1962-03-14' }),
      [],
      'conflict',
      ['error Bundle.entry[0].resource.birthDate'],
    ],
    [
      'the number held under another name',
      held({ givenName: 'Zed', familyName: 'Quinn' }),
      [],
      'conflict',
      ['error Bundle.entry[0].resource.name'],
    ],
    [
      'both differ',
      held({ givenName: 'Zed', familyName: 'Quinn', dateOfBirth: '1962-03-14' }),
      [],
      'conflict',
      ['error Bundle.entry[0].resource.birthDate', 'error Bundle.entry[0].resource.name'],
    ],
    [
      'someone alike born the same day under another number',
      undefined,
      [held({ nhsNumber: '9434765919', givenName: 'Anne' })],
      'conflict',
      ['error Bundle.entry[0].resource'],
    ],
    [
      'someone else born the same day',
      undefined,
      [held({ nhsNumber: '9434765919', givenName: 'Bob', familyName: 'Jones' })],
      'create',
      [],
    ],
  ];
  for (const [what, registered, sameDay, kind, issues] of EXAMPLES) {
    it(`${what}: ${kind}`, () => {
      const d = decideEntry(candidate, registered, sameDay);
      assert.equal(d.kind, kind);
      const found = d.kind === 'conflict' ? d.issues : d.kind === 'matched' ? d.warnings : [];
      assert.deepEqual(
        found.map((i) => `${i.severity} ${i.path}`),
        issues,
      );
    });
  }
});
