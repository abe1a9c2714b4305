import type { Medication } from '@medplum/fhirtypes';
import { BACLOFEN_SUBSTANCE, textOnly } from './codes.ts';
import { ucum } from './fhir-values.ts';

/** The id of the contained Medication in a MedicationRequest or MedicationAdministration. */
export const CONTAINED_MEDICATION_ID = 'baclofen';

/**
 * Intrathecal baclofen at one concentration, contained in the resource that uses it (R4
 * "contained resources", https://hl7.org/fhir/R4/references.html#contained). The product code
 * (a dm+d VMP/AMP) is a GAP, so the medication is text plus its ingredient: baclofen (SNOMED CT
 * substance) at the concentration in micrograms per mL.
 */
export function baclofenMedication(concentrationMcgPerMl: number): Medication {
  return {
    resourceType: 'Medication',
    id: CONTAINED_MEDICATION_ID,
    code: textOnly(`Baclofen intrathecal ${concentrationMcgPerMl} micrograms/mL`),
    ingredient: [
      {
        itemCodeableConcept: { coding: [BACLOFEN_SUBSTANCE], text: 'Baclofen' },
        isActive: true,
        strength: {
          numerator: ucum(concentrationMcgPerMl, 'ug', 'microgram'),
          denominator: ucum(1, 'mL', 'mL'),
        },
      },
    ],
  };
}
