/**
 * The FHIR R4 resource types this service exports (the HTTP endpoints, the $everything bundle and
 * the bulk NDJSON export all work from this list). Order is the order of a patient's bundle and
 * of the bulk export: the Patient first, so every reference points back to a resource already seen.
 */
export const FHIR_EXPORT_TYPES = [
  'Patient',
  'Device',
  'MedicationRequest',
  'MedicationAdministration',
  'Procedure',
  'ServiceRequest',
  'Appointment',
  'Observation',
  'Flag',
] as const;

export type FhirExportType = (typeof FHIR_EXPORT_TYPES)[number];

export function isFhirExportType(value: string): value is FhirExportType {
  return (FHIR_EXPORT_TYPES as readonly string[]).includes(value);
}

/**
 * FHIR's rule for a logical id (R4 datatypes, "id": [A-Za-z0-9\-\.]{1,64},
 * https://hl7.org/fhir/R4/datatypes.html#id). Our ids are UUIDs, some with a prefix where one
 * table gives two resource types (a pump and its catheter).
 */
export const FHIR_ID_PATTERN = /^[A-Za-z0-9\-.]{1,64}$/;
