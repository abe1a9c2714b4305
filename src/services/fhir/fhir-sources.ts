import type { Resource } from '@medplum/fhirtypes';
import { toFhirFirstAppointment, toFhirPumpAppointment } from '../../domain/fhir/appointment.ts';
import { CATHETER_ID_PREFIX, toFhirCatheterDevice, toFhirPumpDevice } from '../../domain/fhir/device.ts';
import type { FhirExportType } from '../../domain/fhir/fhir-types.ts';
import { ALERTS_ID_PREFIX, toFhirAlertsFlag, toFhirEmergencyFlag } from '../../domain/fhir/flag.ts';
import { toFhirTestDose } from '../../domain/fhir/medication-administration.ts';
import { toFhirMedicationRequest } from '../../domain/fhir/medication-request.ts';
import { OBSERVATION_KINDS, toFhirObservations } from '../../domain/fhir/observation.ts';
import { toFhirPatient } from '../../domain/fhir/patient.ts';
import {
  IMPLANT_ID_PREFIX,
  toFhirImplantProcedure,
  toFhirRefillProcedure,
} from '../../domain/fhir/procedure.ts';
import { toFhirServiceRequest } from '../../domain/fhir/service-request.ts';
import type { FactsOf, FhirSource } from '../../storage/fhir-export.repository.ts';

/**
 * Where each exported type comes from: the sources (tables) it is read from, in order, and how
 * one row becomes its resources of that type. One table can give two types (a pump: its Device,
 * its catheter's Device and its implant Procedure), and one row several resources (a measure set:
 * up to four Observations); `idOf` says which row a logical id names, so a read goes to one row.
 */
export interface SourceOfType<S extends FhirSource = FhirSource> {
  readonly source: S;
  readonly toResources: (facts: FactsOf[S], timeZone: string) => Resource[];
  /** How many resources each row gives (for the export's total); null when it varies (counted in SQL). */
  readonly perRow: number | null;
  /** The row id a logical id names, or null when the id is not this source's. */
  readonly idOf: (logicalId: string) => string | null;
}

function source<S extends FhirSource>(s: SourceOfType<S>): SourceOfType {
  return s as unknown as SourceOfType;
}

/** The prefixes that mark a derived id (a row giving a second resource); a plain id has none. */
const PREFIXES = [
  CATHETER_ID_PREFIX,
  IMPLANT_ID_PREFIX,
  ALERTS_ID_PREFIX,
  ...OBSERVATION_KINDS.map((k) => `${k}-`),
];
const plain = (id: string) => (PREFIXES.some((p) => id.startsWith(p)) ? null : id);
const prefixed = (prefix: string) => (id: string) => (id.startsWith(prefix) ? id.slice(prefix.length) : null);

export const SOURCES_OF_TYPE: Readonly<Record<FhirExportType, readonly SourceOfType[]>> = {
  Patient: [source({ source: 'patients', toResources: (p) => [toFhirPatient(p)], perRow: 1, idOf: plain })],
  Device: [
    source({
      source: 'pumps',
      toResources: (p) => [toFhirPumpDevice(p), toFhirCatheterDevice(p)],
      perRow: 2,
      idOf: (id) => prefixed(CATHETER_ID_PREFIX)(id) ?? plain(id),
    }),
  ],
  MedicationRequest: [
    source({
      source: 'prescriptions',
      toResources: (p) => [toFhirMedicationRequest(p)],
      perRow: 1,
      idOf: (id) => id,
    }),
  ],
  MedicationAdministration: [
    source({
      source: 'test_dose_boluses',
      toResources: (t) => [toFhirTestDose(t)],
      perRow: 1,
      idOf: (id) => id,
    }),
  ],
  Procedure: [
    source({
      source: 'pumps',
      toResources: (p) => [toFhirImplantProcedure(p)],
      perRow: 1,
      idOf: prefixed(IMPLANT_ID_PREFIX),
    }),
    source({ source: 'refills', toResources: (r) => [toFhirRefillProcedure(r)], perRow: 1, idOf: plain }),
  ],
  ServiceRequest: [
    source({
      source: 'referrals',
      toResources: (r) => [toFhirServiceRequest(r)],
      perRow: 1,
      idOf: (id) => id,
    }),
  ],
  Appointment: [
    source({
      source: 'appointments',
      toResources: (a, tz) => [toFhirFirstAppointment(a, tz)],
      perRow: 1,
      idOf: (id) => id,
    }),
    source({
      source: 'pump_appointments',
      toResources: (a, tz) => [toFhirPumpAppointment(a, tz)],
      perRow: 1,
      idOf: (id) => id,
    }),
  ],
  Observation: [
    source({
      source: 'outcome_measure_sets',
      toResources: (s) => toFhirObservations(s),
      perRow: null,
      idOf: (id) => {
        const kind = OBSERVATION_KINDS.find((k) => id.startsWith(`${k}-`));
        return kind ? id.slice(kind.length + 1) : null;
      },
    }),
  ],
  Flag: [
    source({
      source: 'emergency_events',
      toResources: (e) => [toFhirEmergencyFlag(e)],
      perRow: 1,
      idOf: plain,
    }),
    source({
      source: 'patient_alerts',
      toResources: (p) => (p.alerts ? [toFhirAlertsFlag({ id: p.id, alerts: p.alerts })] : []),
      perRow: 1,
      idOf: prefixed(ALERTS_ID_PREFIX),
    }),
  ],
};
