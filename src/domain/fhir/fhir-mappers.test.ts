import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Resource } from '@medplum/fhirtypes';
import { assertValidFhir, loadFhirDefinitions } from '../../../test/support/fhir-validator.ts';
import { toFhirFirstAppointment, toFhirPumpAppointment } from './appointment.ts';
import { toFhirCatheterDevice, toFhirPumpDevice, type PumpFacts } from './device.ts';
import { toFhirAlertsFlag, toFhirEmergencyFlag } from './flag.ts';
import { toFhirTestDose } from './medication-administration.ts';
import { toFhirMedicationRequest } from './medication-request.ts';
import { toFhirObservations } from './observation.ts';
import { toFhirPatient, type PatientFacts } from './patient.ts';
import { toFhirImplantProcedure, toFhirRefillProcedure } from './procedure.ts';
import { toFhirServiceRequest } from './service-request.ts';

loadFhirDefinitions();

const PID = '0b5c1b6e-2f55-4d3a-9d2c-5c8a9b1e7f01';
const PUMP = '7d0f6a3c-8e44-4b1e-a0d5-2f3c4b5a6d02';

const patient: PatientFacts = {
  id: PID,
  nhsNumber: '4857773457',
  givenName: 'Ada',
  familyName: 'Lovelace',
  dateOfBirth: '1985-12-10',
  sex: 'female',
  addressLine1: '1 Test Street',
  addressLine2: null,
  town: 'Leeds',
  postcode: 'LS1 3EX',
  phone: '0113 496 0000',
  gpPracticeName: 'Test Surgery',
  gpPracticeOds: 'B86016',
  nextOfKinName: 'Charles Babbage',
  nextOfKinRelationship: 'Friend',
  nextOfKinPhone: '0113 496 0001',
  updatedAt: '2026-01-02T10:00:00.000Z',
};

const pump: PumpFacts = {
  id: PUMP,
  patientId: PID,
  modelId: 'synchromed-ii',
  reservoirMl: 20,
  serialNumber: 'NGP123456H',
  implantedOn: '2024-03-05',
  alarmMl: 2,
  catheterModel: 'Ascenda 8780',
  catheterTipLevel: 'T10',
  state: 'implanted',
  endedOn: null,
  updatedAt: '2026-01-02T10:00:00.000Z',
};

function valid<T extends Resource>(r: T): T {
  assertValidFhir(r);
  return r;
}

describe('FHIR mappers (worked examples, each valid R4 and UK Core)', () => {
  it('Patient: NHS number with the UK Core system and "present but not traced"', () => {
    const p = valid(toFhirPatient(patient));
    const nhs = p.identifier?.find((i) => i.system === 'https://fhir.nhs.uk/Id/nhs-number');
    assert.equal(nhs?.value, '4857773457');
    assert.equal(
      JSON.stringify(nhs.extension),
      JSON.stringify([
        {
          url: 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus',
          valueCodeableConcept: {
            coding: [
              {
                system: 'https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland',
                code: '02',
                display: 'Number present but not traced',
              },
            ],
          },
        },
      ]),
    );
    assert.deepEqual(p.address, [
      { use: 'home', line: ['1 Test Street'], city: 'Leeds', postalCode: 'LS1 3EX', country: 'GB' },
    ]);
    assert.deepEqual(p.meta?.profile, ['https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient']);
    assert.deepEqual(p.generalPractitioner, [
      {
        identifier: { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'B86016' },
        display: 'Test Surgery',
      },
    ]);
    assert.deepEqual(p.contact, [
      {
        relationship: [{ text: 'Friend' }],
        name: { text: 'Charles Babbage' },
        telecom: [{ system: 'phone', value: '0113 496 0001' }],
      },
    ]);
  });

  it('Patient with no address, phone, GP or next of kin leaves them out', () => {
    const p = valid(
      toFhirPatient({ ...patient, addressLine1: null, town: null, postcode: null, phone: null }),
    );
    assert.equal(p.address, undefined);
    assert.equal(p.telecom, undefined);
  });

  it('Device: the pump and its catheter, the catheter a child of the pump', () => {
    const d = valid(toFhirPumpDevice(pump));
    assert.equal(d.serialNumber, 'NGP123456H');
    assert.equal(d.manufacturer, 'Medtronic');
    assert.equal(d.status, 'active');
    assert.equal(d.property?.[0]?.valueQuantity?.[0]?.value, 20);
    const c = valid(toFhirCatheterDevice(pump));
    assert.equal(c.id, `catheter-${PUMP}`);
    assert.equal(c.parent?.reference, `Device/${PUMP}`);
    assert.equal(
      valid(toFhirPumpDevice({ ...pump, state: 'explanted', endedOn: '2026-01-01' })).status,
      'inactive',
    );
  });

  const examples: [string, () => Resource, (r: Resource) => void][] = [
    [
      'MedicationRequest: 400 mcg/day intrathecal, superseded → completed',
      () =>
        toFhirMedicationRequest({
          id: 'a1b2c3d4-0000-4000-8000-000000000001',
          patientId: PID,
          pumpId: PUMP,
          previousId: null,
          concentrationMcgPerMl: 2000,
          programme: { mode: 'simple', doseMcgPerDay: 400, schedules: [], bolus: null },
          doseMcgPerDay: 400,
          state: 'superseded',
          proposedAt: '2025-01-01T10:00:00.000Z',
          decidedAt: '2025-01-01T11:00:00.000Z',
        }),
      (r) => {
        assert.equal((r as { status: string }).status, 'completed');
        assert.match(JSON.stringify(r), /"code":"72607000"/);
        assert.match(JSON.stringify(r), /"code":"ug\/d"/);
        assert.match(JSON.stringify(r), /Simple continuous, 400 mcg\/day/);
      },
    ],
    [
      'MedicationAdministration: a 50 mcg test bolus by lumbar puncture',
      () =>
        toFhirTestDose({
          id: 'a1b2c3d4-0000-4000-8000-000000000002',
          patientId: PID,
          episodeId: 'e',
          sequence: 1,
          doseMcg: 50,
          concentrationMcgPerMl: 50,
          route: 'lumbar-puncture',
          givenAt: '2024-01-10T09:30:00.000Z',
          result: 'positive',
          effectHours: 6,
          adverseNote: null,
        }),
      (r) => {
        assert.match(JSON.stringify(r), /"dose":\{"value":50,"unit":"microgram"/);
      },
    ],
    [
      'Procedure: a refill, the pump manipulated',
      () =>
        toFhirRefillProcedure({
          id: 'a1b2c3d4-0000-4000-8000-000000000003',
          patientId: PID,
          pumpId: PUMP,
          performedOn: '2026-01-02',
          expectedResidualMl: 2.5,
          withdrawnMl: 2.4,
          discrepancyMl: -0.1,
          flagged: false,
          concentrationMcgPerMl: 2000,
          batch: 'B123',
          instilledMl: 20,
          prescriptionId: 'a1b2c3d4-0000-4000-8000-000000000001',
          alarmOn: '2026-03-01',
          dueBy: '2026-02-20',
          state: 'voided',
        }),
      (r) => {
        assert.equal((r as { status: string }).status, 'entered-in-error');
        assert.match(JSON.stringify(r), /Instilled 20 mL of baclofen 2000 micrograms\/mL, batch B123/);
      },
    ],
    [
      'Procedure: the implant',
      () => toFhirImplantProcedure(pump),
      (r) => {
        assert.equal(r.id, `implant-${PUMP}`);
      },
    ],
    [
      'ServiceRequest: an e-RS referral with its UBRN and SNOMED CT reasons',
      () =>
        toFhirServiceRequest({
          id: 'a1b2c3d4-0000-4000-8000-000000000004',
          patientId: PID,
          source: 'e-rs',
          ubrn: '000012345678',
          receivedOn: '2023-11-01',
          referrerName: 'Dr A Smith',
          referrerOrganisation: 'Leeds General',
          referrerOdsCode: 'RR801',
          reason: 'Severe spasticity after spinal cord injury.',
          conditions: ['spasticity', 'dystonia'],
          state: 'not-accepted',
          priority: 'urgent',
          updatedAt: '2023-11-02T10:00:00.000Z',
        }),
      (r) => {
        assert.deepEqual((r as { identifier: unknown }).identifier, [
          { system: 'https://fhir.nhs.uk/Id/UBRN', value: '000012345678' },
        ]);
        assert.equal((r as { status: string }).status, 'revoked');
        assert.match(JSON.stringify(r), /"221360009".*"15802004"/);
      },
    ],
    [
      'Appointment: a first appointment at 09:30 in summer time is +01:00',
      () =>
        toFhirFirstAppointment(
          {
            id: 'a1b2c3d4-0000-4000-8000-000000000005',
            patientId: PID,
            referralId: 'a1b2c3d4-0000-4000-8000-000000000004',
            date: '2026-07-01',
            time: '09:30',
            clinic: 'Neuro clinic',
            clinician: 'Dr B',
            state: 'attended',
            createdAt: '2026-06-01T10:00:00.000Z',
          },
          'Europe/London',
        ),
      (r) => {
        assert.equal((r as { start: string }).start, '2026-07-01T09:30:00+01:00');
        assert.equal((r as { status: string }).status, 'fulfilled');
      },
    ],
    [
      'Appointment: a refill booked for a winter day spans that local day',
      () =>
        toFhirPumpAppointment(
          {
            id: 'a1b2c3d4-0000-4000-8000-000000000006',
            patientId: PID,
            pumpId: PUMP,
            kind: 'refill',
            date: '2026-01-15',
            state: 'missed',
            note: null,
            updatedAt: '2026-01-15T10:00:00.000Z',
          },
          'Europe/London',
        ),
      (r) => {
        assert.equal((r as { start: string }).start, '2026-01-15T00:00:00+00:00');
        assert.equal((r as { end: string }).end, '2026-01-16T00:00:00+00:00');
        assert.equal((r as { status: string }).status, 'noshow');
      },
    ],
    [
      'Flag: an open suspected withdrawal',
      () =>
        toFhirEmergencyFlag({
          id: 'a1b2c3d4-0000-4000-8000-000000000007',
          patientId: PID,
          pumpId: PUMP,
          kind: 'withdrawal',
          onsetAt: '2026-01-03T08:00:00.000Z',
          state: 'open',
          closedAt: null,
        }),
      (r) => {
        assert.equal((r as { status: string }).status, 'active');
        assert.match(JSON.stringify(r), /Suspected withdrawal/);
      },
    ],
    [
      "Flag: the record's alerts",
      () => toFhirAlertsFlag({ id: PID, alerts: 'Latex allergy; T4 spinal cord injury' }),
      (r) => {
        assert.equal(r.id, `alerts-${PID}`);
      },
    ],
  ];
  for (const [name, make, check] of examples) {
    it(name, () => {
      check(valid(make()));
    });
  }

  it('Observation: one set gives MAS, Penn, GAS and pain, each valid', () => {
    const obs = toFhirObservations({
      id: 'a1b2c3d4-0000-4000-8000-000000000008',
      patientId: PID,
      recordedOn: '2026-01-02',
      mas: [
        { muscleGroup: 'hip-adductors', side: 'left', grade: '1+' },
        { muscleGroup: 'hip-adductors', side: 'right', grade: '2' },
      ],
      pennFrequency: 3,
      pennSeverity: 2,
      gasGoals: [
        { text: 'Sit in wheelchair for 2 hours', weight: 6, baseline: -1, achieved: 0 },
        { text: 'Easier perineal care', weight: 4, baseline: -2, achieved: 1 },
      ],
      painNrs: 4,
    });
    obs.forEach(valid);
    assert.deepEqual(
      obs.map((o) => o.id?.split('-')[0]),
      ['mas', 'penn', 'gas', 'pain'],
    );
    const [mas, , gas, pain] = obs;
    assert.equal(mas?.component?.map((c) => c.valueString).join(' '), '1+ 2');
    assert.equal(pain?.valueInteger, 4);
    assert.equal(pain.code.coding?.map((c) => c.code).join(), '72514-3');
    // (10·(6·0 + 4·1)) / √(0.7·52 + 0.3·100) = 40/√66.4: T = 54.91
    assert.equal(gas?.valueQuantity?.value, 54.91);
  });

  it('Observation: a set with only a pain score gives one; unscored GAS goals are absent data', () => {
    const base = {
      id: 's',
      patientId: PID,
      recordedOn: '2026-01-02',
      mas: [],
      pennFrequency: null,
      pennSeverity: null,
    };
    assert.equal(toFhirObservations({ ...base, gasGoals: [], painNrs: 0 }).length, 1);
    const [gas] = toFhirObservations({
      ...base,
      gasGoals: [{ text: 'Walk 10 m', weight: 2, baseline: -1, achieved: null }],
      painNrs: null,
    });
    assert.ok(gas);
    valid(gas);
    assert.equal(gas.code.text, 'Goal Attainment Scaling T-score at baseline');
    assert.equal(gas.component?.map((c) => c.dataAbsentReason?.text).join(), 'Not yet scored');
  });
});
