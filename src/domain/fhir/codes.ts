import type { CodeableConcept, Coding } from '@medplum/fhirtypes';

/**
 * Every code the FHIR export uses, with its display and where it comes from. docs/fhir.md lists
 * the same codes with their public sources and the gaps: where no code was found in a public
 * source we could check, the export sends text only and never a guessed code.
 */

export const SNOMED = 'http://snomed.info/sct';
export const LOINC = 'http://loinc.org';
export const UCUM = 'http://unitsofmeasure.org';

/** The NHS number identifier system, fixed by UK Core Patient identifier:nhsNumber.system
 * (https://simplifier.net/hl7fhirukcorer4/ukcore-patient). */
export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';

/** The e-RS Unique Booking Reference Number: the e-RS FHIR API's identifier system
 * (https://digital.nhs.uk/developer/api-catalogue/e-referral-service-fhir, identifiers/UBRN). */
export const UBRN_SYSTEM = 'https://fhir.nhs.uk/Id/UBRN';

/** UK Core extension and code system for the NHS number's verification status (England),
 * https://simplifier.net/hl7fhirukcorer4/extension-ukcore-nhsnumberverificationstatus. */
export const NHS_NUMBER_VERIFICATION_EXTENSION =
  'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus';
export const NHS_NUMBER_VERIFICATION_SYSTEM =
  'https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland';

/**
 * "02 Number present but not traced": the register checks the NHS number's check digit but does
 * not trace it against the Personal Demographics Service, so it never claims "01 present and
 * verified" (CodeSystem-UKCore-NHSNumberVerificationStatusEngland, codes 01–08).
 */
export const NHS_NUMBER_NOT_TRACED: Coding = {
  system: NHS_NUMBER_VERIFICATION_SYSTEM,
  code: '02',
  display: 'Number present but not traced',
};

/** The UK Core profile a resource type claims in meta.profile (https://simplifier.net/hl7fhirukcorer4). */
export function ukCoreProfile(type: string): string {
  return `https://fhir.hl7.org.uk/StructureDefinition/UKCore-${type}`;
}

/** Intrathecal route: SNOMED CT 72607000, in UK Core's ValueSet-UKCore-SubstanceOrProductAdministrationRoute. */
export const ROUTE_INTRATHECAL: CodeableConcept = {
  coding: [{ system: SNOMED, code: '72607000', display: 'Intrathecal' }],
  text: 'Intrathecal',
};

/** Baclofen (substance): SNOMED CT 387342009 (SNOMED CT UK Edition, termbrowser.nhs.uk). The
 * product (dm+d VMP/AMP for each intrathecal strength) is a GAP: text only. */
export const BACLOFEN_SUBSTANCE: Coding = { system: SNOMED, code: '387342009', display: 'Baclofen' };

/** Referral conditions (SNOMED CT UK Edition, termbrowser.nhs.uk). */
export const CONDITION_CODES: Readonly<Record<string, Coding>> = {
  spasticity: { system: SNOMED, code: '221360009', display: 'Spasticity' },
  dystonia: { system: SNOMED, code: '15802004', display: 'Dystonia' },
};

/** Pain NRS-11: LOINC 72514-3 (https://loinc.org/72514-3). */
export const PAIN_NRS: CodeableConcept = {
  coding: [
    {
      system: LOINC,
      code: '72514-3',
      display: 'Pain severity - 0-10 verbal numeric rating [Score] - Reported',
    },
  ],
  text: 'Pain score (numeric rating scale 0–10)',
};

/** Observation categories from FHIR's own code system
 * (http://terminology.hl7.org/CodeSystem/observation-category, https://hl7.org/fhir/R4/codesystem-observation-category.html). */
const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
export const CATEGORY_SURVEY: CodeableConcept = {
  coding: [{ system: OBSERVATION_CATEGORY, code: 'survey', display: 'Survey' }],
};
export const CATEGORY_EXAM: CodeableConcept = {
  coding: [{ system: OBSERVATION_CATEGORY, code: 'exam', display: 'Exam' }],
};

/** Flag category "clinical" (http://terminology.hl7.org/CodeSystem/flag-category,
 * https://hl7.org/fhir/R4/codesystem-flag-category.html). */
export const FLAG_CATEGORY_CLINICAL: CodeableConcept = {
  coding: [
    { system: 'http://terminology.hl7.org/CodeSystem/flag-category', code: 'clinical', display: 'Clinical' },
  ],
};

/**
 * GAPS: no code found in a public source we could check; each is sent as text only. The
 * service should ask its terminology team for SNOMED CT UK Edition codes before relying on them.
 */
export const TEXT_ONLY = {
  pumpDevice: 'Implanted intrathecal drug infusion pump',
  catheterDevice: 'Intrathecal catheter',
  refillProcedure: 'Refill of implanted intrathecal baclofen pump reservoir',
  implantProcedure: 'Implantation of intrathecal baclofen pump',
  referralCode: 'Referral to intrathecal baclofen service',
  modifiedAshworth: 'Modified Ashworth Scale',
  pennSpasm: 'Penn Spasm Frequency Scale',
  goalAttainment: 'Goal Attainment Scaling T-score',
  testDose: 'Intrathecal baclofen test dose',
} as const;

/** A code-less concept: what the gaps above become. */
export function textOnly(text: string): CodeableConcept {
  return { text };
}
