import type { Coding, Identifier, Reference, Resource } from '@medplum/fhirtypes';
import { checkNhsNumber } from '../nhs-number.ts';
import {
  NHS_NUMBER_SYSTEM,
  NHS_NUMBER_VERIFICATION_EXTENSION,
  NHS_NUMBER_VERIFICATION_SYSTEM,
  SNOMED,
  UBRN_SYSTEM,
  ukCoreProfile,
} from './codes.ts';
import { FHIR_ID_PATTERN } from './fhir-types.ts';

/** One broken rule: which rule, where (a FHIRPath-like element path) and what is wrong. */
export interface Issue {
  readonly rule: string;
  readonly path: string;
  readonly message: string;
}

type AnyResource = Resource & Record<string, unknown>;
type Rule = (r: AnyResource) => Issue[];

/** England's NHS number verification status codes, 01–08
 * (CodeSystem-UKCore-NHSNumberVerificationStatusEngland, https://simplifier.net/hl7fhirukcorer4). */
const VERIFICATION_CODES = ['01', '02', '03', '04', '05', '06', '07', '08'];

/** e-RS UBRNs are 12 digits (NHS England IG, ServiceRequest identifier; e-RS FHIR API, UBRN). */
const UBRN_PATTERN = /^\d{12}$/;

/** The element of each type that names the patient (R4: subject, or Device.patient). */
const SUBJECT_ELEMENT: Readonly<Record<string, string>> = {
  Device: 'patient',
  MedicationRequest: 'subject',
  MedicationAdministration: 'subject',
  Procedure: 'subject',
  ServiceRequest: 'subject',
  Observation: 'subject',
  Flag: 'subject',
};

/** Every message starts with the element path, so a reader finds the element without the rule id. */
function issue(rule: string, path: string, message: string): Issue {
  return { rule, path, message: `${path}: ${message}` };
}

/** R4 datatypes "id": [A-Za-z0-9\-.]{1,64} (https://hl7.org/fhir/R4/datatypes.html#id). */
const logicalId: Rule = (r) =>
  r.id !== undefined && FHIR_ID_PATTERN.test(r.id)
    ? []
    : [issue('fhir-id', `${r.resourceType}.id`, 'must match [A-Za-z0-9-.]{1,64}')];

/** Each resource claims its UK Core profile, https://fhir.hl7.org.uk/StructureDefinition/UKCore-<Type>
 * (UK Core IG, "Profiles and Extensions", https://simplifier.net/hl7fhirukcorer4). */
const metaProfile: Rule = (r) =>
  (r.meta?.profile ?? []).includes(ukCoreProfile(r.resourceType))
    ? []
    : [
        issue(
          'ukcore-meta-profile',
          `${r.resourceType}.meta.profile`,
          `must include ${ukCoreProfile(r.resourceType)}`,
        ),
      ];

/**
 * UK Core Patient identifier:nhsNumber (https://simplifier.net/hl7fhirukcorer4/ukcore-patient):
 * at most one, system fixed to https://fhir.nhs.uk/Id/nhs-number, value 1..1. This register
 * only holds patients with an NHS number, so it also requires one. The value must pass the NHS
 * number check digit (NHS Data Dictionary, "NHS Number"); the verification-status extension,
 * when present, must carry an England code 01–08.
 */
const patientNhsNumber: Rule = (r) => {
  if (r.resourceType !== 'Patient') {
    return [];
  }
  const ids = (r.identifier ?? []).filter((i) => i.system === NHS_NUMBER_SYSTEM);
  if (ids.length !== 1) {
    return [
      issue(
        'ukcore-patient-nhs-number',
        'Patient.identifier:nhsNumber',
        `exactly one NHS number with system ${NHS_NUMBER_SYSTEM} is required (found ${ids.length})`,
      ),
    ];
  }
  const id = ids[0] as Identifier;
  const found: Issue[] = [];
  if (id.value === undefined || !checkNhsNumber(id.value).ok || id.value !== id.value.trim()) {
    found.push(
      issue(
        'ukcore-patient-nhs-number-check-digit',
        'Patient.identifier:nhsNumber.value',
        'must be 10 digits with a valid check digit',
      ),
    );
  }
  const status = (id.extension ?? []).filter((e) => e.url === NHS_NUMBER_VERIFICATION_EXTENSION);
  const codings: Coding[] = status.flatMap((e) => e.valueCodeableConcept?.coding ?? []);
  if (
    status.length > 1 ||
    (status.length === 1 &&
      !codings.some(
        (c) => c.system === NHS_NUMBER_VERIFICATION_SYSTEM && VERIFICATION_CODES.includes(c.code ?? ''),
      ))
  ) {
    found.push(
      issue(
        'ukcore-patient-nhs-number-verification',
        'Patient.identifier:nhsNumber.extension:nhsNumberVerificationStatus',
        `must be one code 01–08 from ${NHS_NUMBER_VERIFICATION_SYSTEM}`,
      ),
    );
  }
  return found;
};

/** e-RS referrals: identifier system https://fhir.nhs.uk/Id/UBRN, value 12 digits. */
const serviceRequestUbrn: Rule = (r) => {
  if (r.resourceType !== 'ServiceRequest') {
    return [];
  }
  const ubrns = (r.identifier ?? []).filter((i) => i.system === UBRN_SYSTEM);
  return ubrns.every((i) => UBRN_PATTERN.test(i.value ?? '')) && ubrns.length <= 1
    ? []
    : [
        issue(
          'ers-ubrn',
          'ServiceRequest.identifier',
          `a UBRN (system ${UBRN_SYSTEM}) must be one 12-digit value`,
        ),
      ];
};

/** UK Core MedicationRequest makes substitution 1..1 (UKCore-MedicationRequest 2.5.0,
 * element MedicationRequest.substitution, https://simplifier.net/hl7fhirukcorer4/ukcore-medicationrequest). */
const medicationRequestSubstitution: Rule = (r) =>
  r.resourceType !== 'MedicationRequest' || r.substitution !== undefined
    ? []
    : [
        issue(
          'ukcore-medicationrequest-substitution',
          'MedicationRequest.substitution',
          'is required (1..1)',
        ),
      ];

/** The patient reference (subject, Device.patient; MustSupport in UK Core) must point at a Patient. */
const patientReference: Rule = (r) => {
  const element = SUBJECT_ELEMENT[r.resourceType];
  if (element === undefined) {
    return [];
  }
  const reference = (r[element] as Reference | undefined)?.reference ?? '';
  return /^Patient\/[A-Za-z0-9\-.]{1,64}$/.test(reference)
    ? []
    : [issue('patient-reference', `${r.resourceType}.${element}`, 'must reference Patient/<id>')];
};

/**
 * A coded route uses SNOMED CT: UK Core binds Dosage.route to
 * ValueSet-UKCore-SubstanceOrProductAdministrationRoute (SNOMED CT route concepts).
 */
const routeIsSnomed: Rule = (r) => {
  const dosages = [
    ...((r.dosageInstruction as { route?: { coding?: Coding[] } }[] | undefined) ?? []).map((d, i) => ({
      d,
      path: `${r.resourceType}.dosageInstruction[${i}].route`,
    })),
    ...(r.dosage
      ? [{ d: r.dosage as { route?: { coding?: Coding[] } }, path: `${r.resourceType}.dosage.route` }]
      : []),
  ];
  return dosages.flatMap(({ d, path }) =>
    (d.route?.coding ?? []).every((c) => c.system === SNOMED && /^\d{6,18}$/.test(c.code ?? ''))
      ? []
      : [issue('ukcore-route-snomed', path, 'must be coded in SNOMED CT')],
  );
};

const RULES: readonly Rule[] = [
  logicalId,
  metaProfile,
  patientNhsNumber,
  serviceRequestUbrn,
  medicationRequestSubstitution,
  patientReference,
  routeIsSnomed,
];

/** Every UK Core rule the export holds itself to, run on one resource: [] when it passes. */
export function checkUkCore(resource: Resource): Issue[] {
  return RULES.flatMap((rule) => rule(resource as AnyResource));
}
