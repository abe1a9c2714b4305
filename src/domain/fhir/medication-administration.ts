import type { MedicationAdministration } from '@medplum/fhirtypes';
import { BOLUS_ROUTE_LABELS } from '../test-dose-bolus.ts';
import { ROUTE_INTRATHECAL, TEXT_ONLY, textOnly, ukCoreProfile } from './codes.ts';
import { micrograms, ref } from './fhir-values.ts';
import { baclofenMedication, CONTAINED_MEDICATION_ID } from './medication.ts';

/** What the MedicationAdministration mapper reads: one intrathecal test bolus. */
export interface TestDoseFacts {
  readonly id: string;
  readonly patientId: string;
  readonly episodeId: string;
  readonly sequence: number;
  readonly doseMcg: number;
  readonly concentrationMcgPerMl: number;
  readonly route: string;
  /** UTC instant. */
  readonly givenAt: string;
  /** 'positive' or 'negative' once confirmed; null until then. */
  readonly result: string | null;
  readonly effectHours: number | null;
  readonly adverseNote: string | null;
}

/**
 * A test dose is a drug given to the patient, so it is a UK Core MedicationAdministration
 * (https://simplifier.net/hl7fhirukcorer4/ukcore-medicationadministration): R4 scopes the resource
 * to "the event of a patient consuming or otherwise being administered a medication"
 * (https://hl7.org/fhir/R4/medicationadministration.html#scope). A refill, by contrast, fills the
 * pump's reservoir rather than dosing the patient, and is a Procedure (procedure.ts).
 */
export function toFhirTestDose(t: TestDoseFacts): MedicationAdministration {
  const labels: Readonly<Record<string, string | undefined>> = BOLUS_ROUTE_LABELS;
  const how = labels[t.route] ?? t.route;
  const result =
    t.result === null
      ? 'Result not yet confirmed.'
      : `Result: ${t.result}` + (t.effectHours === null ? '.' : `, effect lasted ${t.effectHours} hours.`);
  return {
    resourceType: 'MedicationAdministration',
    id: t.id,
    meta: { profile: [ukCoreProfile('MedicationAdministration')] },
    contained: [baclofenMedication(t.concentrationMcgPerMl)],
    status: 'completed',
    category: textOnly(`${TEXT_ONLY.testDose}, bolus ${t.sequence}`),
    medicationReference: { reference: `#${CONTAINED_MEDICATION_ID}` },
    subject: ref('Patient', t.patientId),
    effectiveDateTime: t.givenAt,
    note: [
      {
        text: [result, t.adverseNote ? `Adverse effects: ${t.adverseNote}` : null].filter(Boolean).join(' '),
      },
    ],
    dosage: {
      text: `${t.doseMcg} micrograms intrathecal bolus by ${how.toLowerCase()}`,
      route: ROUTE_INTRATHECAL,
      method: textOnly(how),
      dose: micrograms(t.doseMcg),
    },
  };
}
