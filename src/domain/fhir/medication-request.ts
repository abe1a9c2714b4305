import type { MedicationRequest } from '@medplum/fhirtypes';
import { describeProgramme, type DoseProgramme } from '../dose-programme.ts';
import { ROUTE_INTRATHECAL, ukCoreProfile } from './codes.ts';
import { microgramsPerDay, ref } from './fhir-values.ts';
import { baclofenMedication, CONTAINED_MEDICATION_ID } from './medication.ts';

/** What the MedicationRequest mapper reads: one prescription (dose programme) for a pump. */
export interface PrescriptionFacts {
  readonly id: string;
  readonly patientId: string;
  readonly pumpId: string;
  readonly previousId: string | null;
  readonly concentrationMcgPerMl: number;
  readonly programme: DoseProgramme;
  readonly doseMcgPerDay: number;
  /** 'pending', 'active', 'superseded' or 'rejected'. */
  readonly state: string;
  readonly proposedAt: string;
  readonly decidedAt: string | null;
}

/**
 * R4 MedicationRequest.status for the prescription's state: a confirmed programme is 'active'; one
 * replaced by a later programme 'completed' (it ran its course, not stopped for harm); a proposal
 * awaiting the second clinician 'draft'; a rejected proposal 'cancelled'
 * (https://hl7.org/fhir/R4/valueset-medicationrequest-status.html).
 */
const STATUS: Readonly<Record<string, MedicationRequest['status']>> = {
  active: 'active',
  superseded: 'completed',
  pending: 'draft',
  rejected: 'cancelled',
};

/**
 * The prescription as a UK Core MedicationRequest
 * (https://simplifier.net/hl7fhirukcorer4/ukcore-medicationrequest): baclofen at the concentration,
 * route intrathecal, the continuous dose in micrograms per day as the rate, and the programme
 * (simple or flex steps, boluses) in the dosage text, and the pump that delivers it as supporting
 * information. UK Core makes substitution 1..1: it is sent as not allowed, because the programme's
 * arithmetic rests on this exact concentration and any change of product is a new prescription.
 */
export function toFhirMedicationRequest(p: PrescriptionFacts): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    id: p.id,
    meta: { profile: [ukCoreProfile('MedicationRequest')] },
    contained: [baclofenMedication(p.concentrationMcgPerMl)],
    status: STATUS[p.state] ?? 'unknown',
    intent: 'order',
    medicationReference: { reference: `#${CONTAINED_MEDICATION_ID}` },
    subject: ref('Patient', p.patientId),
    authoredOn: p.decidedAt ?? p.proposedAt,
    ...(p.previousId ? { priorPrescription: ref('MedicationRequest', p.previousId) } : {}),
    supportingInformation: [ref('Device', p.pumpId, 'The implanted pump that delivers it')],
    dosageInstruction: [
      {
        text: describeProgramme(p.programme),
        route: ROUTE_INTRATHECAL,
        timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd' } },
        doseAndRate: [{ rateQuantity: microgramsPerDay(p.doseMcgPerDay) }],
      },
    ],
    substitution: { allowedBoolean: false },
  };
}
