import type { Patient as FhirPatient } from '@medplum/fhirtypes';

/** What the Patient mapper reads: the register's record as the domain sees it. */
export interface PatientFacts {
  readonly id: string;
  readonly nhsNumber: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly dateOfBirth: string;
  readonly sex: 'female' | 'male' | 'other' | 'unknown';
  readonly addressLine1: string | null;
  readonly addressLine2: string | null;
  readonly town: string | null;
  readonly postcode: string | null;
  readonly phone: string | null;
  readonly updatedAt: string;
}

/** Placeholder until the UK Core mapping lands (same signature). */
export function toFhirPatient(p: PatientFacts): FhirPatient {
  return {
    resourceType: 'Patient',
    id: p.id,
    identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: p.nhsNumber }],
    name: [{ use: 'official', family: p.familyName, given: [p.givenName] }],
    gender: p.sex,
    birthDate: p.dateOfBirth,
  };
}
