import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Resource } from '@medplum/fhirtypes';
import { fhirErrors, loadFhirDefinitions } from '../../../test/support/fhir-validator.ts';
import { toFhirMedicationRequest } from './medication-request.ts';
import { toFhirPatient } from './patient.ts';
import { checkUkCore } from './uk-core-rules.ts';

loadFhirDefinitions();

const patient = toFhirPatient({
  id: 'p1',
  nhsNumber: '4857773457',
  givenName: 'Ada',
  familyName: 'Lovelace',
  dateOfBirth: '1985-12-10',
  sex: 'female',
  addressLine1: null,
  addressLine2: null,
  town: null,
  postcode: null,
  phone: null,
  updatedAt: '2026-01-02T10:00:00.000Z',
});

const request = toFhirMedicationRequest({
  id: 'm1',
  patientId: 'p1',
  pumpId: 'd1',
  previousId: null,
  concentrationMcgPerMl: 500,
  programme: { mode: 'simple', doseMcgPerDay: 100, schedules: [], bolus: null },
  doseMcgPerDay: 100,
  state: 'active',
  proposedAt: '2026-01-01T10:00:00.000Z',
  decidedAt: null,
});

const nhs = patient.identifier?.[0];

describe('UK Core rules (each broken on purpose gives its rule and element path)', () => {
  const cases: [string, Resource, string, string][] = [
    ['an id with a space', { ...patient, id: 'p 1' }, 'fhir-id', 'Patient.id'],
    ['an id of 65 characters', { ...patient, id: 'a'.repeat(65) }, 'fhir-id', 'Patient.id'],
    ['no UK Core profile', { ...patient, meta: {} }, 'ukcore-meta-profile', 'Patient.meta.profile'],
    [
      'no NHS number',
      { ...patient, identifier: [] },
      'ukcore-patient-nhs-number',
      'Patient.identifier:nhsNumber',
    ],
    [
      'two NHS numbers',
      { ...patient, identifier: [nhs!, nhs!] },
      'ukcore-patient-nhs-number',
      'Patient.identifier:nhsNumber',
    ],
    [
      'a wrong check digit (485 777 3456)',
      { ...patient, identifier: [{ ...nhs, value: '4857773456' }] },
      'ukcore-patient-nhs-number-check-digit',
      'Patient.identifier:nhsNumber.value',
    ],
    [
      'a verification status code 09',
      {
        ...patient,
        identifier: [
          {
            ...nhs,
            extension: [
              {
                url: 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus',
                valueCodeableConcept: {
                  coding: [
                    {
                      system: 'https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland',
                      code: '09',
                    },
                  ],
                },
              },
            ],
          },
        ],
      },
      'ukcore-patient-nhs-number-verification',
      'Patient.identifier:nhsNumber.extension:nhsNumberVerificationStatus',
    ],
    [
      'an 11-digit UBRN',
      {
        resourceType: 'ServiceRequest',
        id: 's1',
        meta: { profile: ['https://fhir.hl7.org.uk/StructureDefinition/UKCore-ServiceRequest'] },
        identifier: [{ system: 'https://fhir.nhs.uk/Id/UBRN', value: '12345678901' }],
        status: 'active',
        intent: 'order',
        subject: { reference: 'Patient/p1' },
      },
      'ers-ubrn',
      'ServiceRequest.identifier',
    ],
    [
      'no substitution on a MedicationRequest',
      { ...request, substitution: undefined },
      'ukcore-medicationrequest-substitution',
      'MedicationRequest.substitution',
    ],
    [
      'a subject that is not a Patient',
      { ...request, subject: { reference: 'Group/g1' } },
      'patient-reference',
      'MedicationRequest.subject',
    ],
    [
      'a route coded outside SNOMED CT',
      {
        ...request,
        dosageInstruction: [{ route: { coding: [{ system: 'http://example.org/routes', code: 'IT' }] } }],
      },
      'ukcore-route-snomed',
      'MedicationRequest.dosageInstruction[0].route',
    ],
  ];
  for (const [name, resource, rule, path] of cases) {
    it(`${name} → ${rule}`, () => {
      assert.deepEqual(
        checkUkCore(resource).map((i) => [i.rule, i.path]),
        [[rule, path]],
      );
      assert.ok(checkUkCore(resource).every((i) => i.message.startsWith(`${i.path}: `)));
    });
  }

  it('passes the mapped resources', () => {
    assert.deepEqual(checkUkCore(patient), []);
    assert.deepEqual(checkUkCore(request), []);
  });

  it('the independent validator is really checking: a booked Appointment without a start fails app-3', () => {
    const errors = fhirErrors({
      resourceType: 'Appointment',
      id: 'a1',
      meta: { profile: ['https://fhir.hl7.org.uk/StructureDefinition/UKCore-Appointment'] },
      status: 'booked',
      participant: [{ actor: { reference: 'Patient/p1' }, status: 'accepted' }],
    });
    assert.ok(
      errors.some((e) => e.includes('app-3')),
      errors.join('\n'),
    );
  });
});
