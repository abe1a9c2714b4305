import type { Procedure } from '@medplum/fhirtypes';
import { TEXT_ONLY, textOnly, ukCoreProfile } from './codes.ts';
import { ref } from './fhir-values.ts';
import { baclofenMedication, CONTAINED_MEDICATION_ID } from './medication.ts';

/** What the refill Procedure mapper reads: one refill of a pump's reservoir. */
export interface RefillFacts {
  readonly id: string;
  readonly patientId: string;
  readonly pumpId: string;
  readonly performedOn: string;
  readonly expectedResidualMl: number;
  readonly withdrawnMl: number;
  readonly discrepancyMl: number;
  readonly flagged: boolean;
  readonly concentrationMcgPerMl: number;
  readonly batch: string;
  readonly instilledMl: number;
  readonly prescriptionId: string;
  readonly alarmOn: string;
  readonly dueBy: string;
  /** 'recorded', 'signed' or 'voided'. */
  readonly state: string;
}

/** The implant shares the pump's row, so its logical id is the pump's with a prefix. */
export const IMPLANT_ID_PREFIX = 'implant-';
export function implantProcedureId(pumpId: string): string {
  return `${IMPLANT_ID_PREFIX}${pumpId}`;
}

/**
 * A refill as a UK Core Procedure (https://simplifier.net/hl7fhirukcorer4/ukcore-procedure): the
 * reservoir is emptied and filled, which does not itself dose the patient (the pump does, under
 * the MedicationRequest), so MedicationAdministration, scoped to a medication given to a patient
 * (https://hl7.org/fhir/R4/medicationadministration.html#scope), does not fit. The pump is the
 * focal device (manipulated) and the drug at its concentration the medication used (contained);
 * the batch and volumes are in the note, because R4 Procedure has no element for them and no
 * published extension carries them (a GAP, docs/fhir.md). A
 * refill the checker rejected is 'entered-in-error'.
 */
export function toFhirRefillProcedure(r: RefillFacts): Procedure {
  const volumes =
    `Withdrawn ${r.withdrawnMl} mL (expected ${r.expectedResidualMl} mL, discrepancy ${r.discrepancyMl} mL` +
    (r.flagged ? ', flagged).' : ').');
  const drug = `Instilled ${r.instilledMl} mL of baclofen ${r.concentrationMcgPerMl} micrograms/mL, batch ${r.batch}.`;
  const plan = `Alarm expected ${r.alarmOn}; next refill due by ${r.dueBy}.`;
  const signed = r.state === 'recorded' ? ' Awaiting the second clinician’s signature.' : '';
  return {
    resourceType: 'Procedure',
    id: r.id,
    meta: { profile: [ukCoreProfile('Procedure')] },
    contained: [baclofenMedication(r.concentrationMcgPerMl)],
    status: r.state === 'voided' ? 'entered-in-error' : 'completed',
    code: textOnly(TEXT_ONLY.refillProcedure),
    subject: ref('Patient', r.patientId),
    performedDateTime: r.performedOn,
    focalDevice: [{ action: textOnly('Refilled'), manipulated: ref('Device', r.pumpId) }],
    usedReference: [{ reference: `#${CONTAINED_MEDICATION_ID}` }],
    note: [{ text: `${drug} ${volumes} ${plan} Programme: MedicationRequest/${r.prescriptionId}.${signed}` }],
  };
}

/** The pump's implant as a Procedure: R4 Device has no implant date, so it is said here. */
export function toFhirImplantProcedure(p: {
  readonly id: string;
  readonly patientId: string;
  readonly implantedOn: string;
}): Procedure {
  return {
    resourceType: 'Procedure',
    id: implantProcedureId(p.id),
    meta: { profile: [ukCoreProfile('Procedure')] },
    status: 'completed',
    code: textOnly(TEXT_ONLY.implantProcedure),
    subject: ref('Patient', p.patientId),
    performedDateTime: p.implantedOn,
    focalDevice: [{ action: textOnly('Implanted'), manipulated: ref('Device', p.id) }],
  };
}
