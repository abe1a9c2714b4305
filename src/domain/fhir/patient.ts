import type {
  Address,
  ContactPoint,
  Organization,
  Patient as FhirPatient,
  PatientContact,
  Reference,
} from '@medplum/fhirtypes';
import {
  NHS_NUMBER_NOT_TRACED,
  NHS_NUMBER_SYSTEM,
  NHS_NUMBER_VERIFICATION_EXTENSION,
  ukCoreProfile,
} from './codes.ts';

/** What the Patient mapper reads: the register's record as held. */
export interface PatientFacts {
  readonly id: string;
  readonly nhsNumber: string;
  readonly hospitalNumber?: string | null;
  readonly givenName: string;
  readonly familyName: string;
  readonly dateOfBirth: string;
  readonly sex: 'female' | 'male' | 'other' | 'unknown';
  readonly addressLine1: string | null;
  readonly addressLine2: string | null;
  readonly town: string | null;
  readonly postcode: string | null;
  readonly phone: string | null;
  readonly gpPracticeName?: string | null;
  readonly gpPracticeOds?: string | null;
  readonly nextOfKinName?: string | null;
  readonly nextOfKinRelationship?: string | null;
  readonly nextOfKinPhone?: string | null;
  readonly updatedAt: string;
}

/** The ODS identifier system, as the UK Core examples identify organisations. */
const ODS_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code';

function address(p: PatientFacts): Address[] {
  const line = [p.addressLine1, p.addressLine2].filter((v): v is string => v !== null && v !== '');
  if (line.length === 0 && !p.town && !p.postcode) {
    return [];
  }
  return [
    {
      use: 'home',
      ...(line.length > 0 ? { line } : {}),
      ...(p.town ? { city: p.town } : {}),
      ...(p.postcode ? { postalCode: p.postcode } : {}),
      country: 'GB',
    },
  ];
}

function telecom(p: PatientFacts): ContactPoint[] {
  return p.phone ? [{ system: 'phone', value: p.phone }] : [];
}

/** The GP practice by its ODS code (and name), as a reference by identifier: the register holds
 * no Organization records. */
function generalPractitioner(p: PatientFacts): Reference<Organization>[] {
  if (!p.gpPracticeOds && !p.gpPracticeName) {
    return [];
  }
  return [
    {
      ...(p.gpPracticeOds ? { identifier: { system: ODS_SYSTEM, value: p.gpPracticeOds } } : {}),
      ...(p.gpPracticeName ? { display: p.gpPracticeName } : {}),
    },
  ];
}

/** The carer or next of kin as held: the relationship as text (no code is recorded). */
function contact(p: PatientFacts): PatientContact[] {
  if (!p.nextOfKinName && !p.nextOfKinPhone) {
    return [];
  }
  return [
    {
      ...(p.nextOfKinRelationship ? { relationship: [{ text: p.nextOfKinRelationship }] } : {}),
      ...(p.nextOfKinName ? { name: { text: p.nextOfKinName } } : {}),
      ...(p.nextOfKinPhone ? { telecom: [{ system: 'phone', value: p.nextOfKinPhone }] } : {}),
    },
  ];
}

/**
 * UK Core Patient (https://simplifier.net/hl7fhirukcorer4/ukcore-patient, 2.6.1): the NHS number
 * in identifier:nhsNumber with its fixed system, with the verification-status extension saying
 * the number is present but not traced (the register checks the check digit only). The
 * register's "sex" is FHIR's administrative gender (the same four codes).
 */
export function toFhirPatient(p: PatientFacts): FhirPatient {
  const addresses = address(p);
  const phones = telecom(p);
  const gp = generalPractitioner(p);
  const contacts = contact(p);
  return {
    resourceType: 'Patient',
    id: p.id,
    meta: { profile: [ukCoreProfile('Patient')], lastUpdated: p.updatedAt },
    identifier: [
      {
        extension: [
          {
            url: NHS_NUMBER_VERIFICATION_EXTENSION,
            valueCodeableConcept: { coding: [NHS_NUMBER_NOT_TRACED] },
          },
        ],
        system: NHS_NUMBER_SYSTEM,
        value: p.nhsNumber,
      },
    ],
    name: [{ use: 'official', family: p.familyName, given: [p.givenName] }],
    gender: p.sex,
    birthDate: p.dateOfBirth,
    ...(phones.length > 0 ? { telecom: phones } : {}),
    ...(addresses.length > 0 ? { address: addresses } : {}),
    ...(contacts.length > 0 ? { contact: contacts } : {}),
    ...(gp.length > 0 ? { generalPractitioner: gp } : {}),
  };
}
