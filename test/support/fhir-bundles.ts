/** Builders for the Patient bundles the import tests send (synthetic people, valid NHS numbers). */

export interface PersonFixture {
  readonly nhsNumber: string;
  readonly given: string;
  readonly family: string;
  readonly birthDate: string;
  readonly gender?: string;
}

export const NHS_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';

/** Valid NHS numbers (check digits verified by nhs-number.ts's tests and by these imports). */
export const ANN: PersonFixture = {
  nhsNumber: '4857773457',
  given: 'Ann',
  family: 'Smith',
  birthDate: '1961-03-14',
  gender: 'female',
};
export const BOB: PersonFixture = {
  nhsNumber: '9434765919',
  given: 'Bob',
  family: 'Jones',
  birthDate: '1975-07-01',
  gender: 'male',
};
export const CAT: PersonFixture = {
  nhsNumber: '9434765870',
  given: 'Cat',
  family: 'Brown',
  birthDate: '1990-12-25',
  gender: 'female',
};

export function patientResource(p: PersonFixture): Record<string, unknown> {
  return {
    resourceType: 'Patient',
    identifier: [{ system: NHS_SYSTEM, value: p.nhsNumber }],
    name: [{ use: 'official', family: p.family, given: [p.given] }],
    gender: p.gender ?? 'unknown',
    birthDate: p.birthDate,
    address: [{ use: 'home', line: ['1 Park Row'], city: 'Leeds', postalCode: 'LS1 5AB' }],
  };
}

export function patientEntry(resource: Record<string, unknown>, index: number): Record<string, unknown> {
  return {
    fullUrl: `urn:uuid:00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    resource,
    request: { method: 'POST', url: 'Patient' },
  };
}

export function patientBundle(
  people: readonly (PersonFixture | Record<string, unknown>)[],
  type: 'transaction' | 'batch' = 'transaction',
): Record<string, unknown> {
  return {
    resourceType: 'Bundle',
    type,
    entry: people.map((p, i) =>
      patientEntry('resourceType' in p ? p : patientResource(p as PersonFixture), i),
    ),
  };
}
