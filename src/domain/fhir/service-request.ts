import type { CodeableConcept, Identifier, ServiceRequest } from '@medplum/fhirtypes';
import { CONDITION_CODES, TEXT_ONLY, textOnly, UBRN_SYSTEM, ukCoreProfile } from './codes.ts';
import { ref } from './fhir-values.ts';

/** What the ServiceRequest mapper reads: one referral to the service. */
export interface ReferralFacts {
  readonly id: string;
  readonly patientId: string;
  /** 'e-rs' or 'email'. */
  readonly source: string;
  readonly ubrn: string | null;
  readonly receivedOn: string;
  readonly referrerName: string;
  readonly referrerOrganisation: string;
  /** ODS code; sent with the ODS identifier system used across UK Core examples. */
  readonly referrerOdsCode: string | null;
  readonly reason: string;
  readonly conditions: readonly string[];
  /** 'awaiting-triage', 'accepted', 'not-accepted' or 'redirected'. */
  readonly state: string;
  readonly priority: string | null;
  readonly updatedAt: string;
}

/**
 * R4 ServiceRequest.status (https://hl7.org/fhir/R4/valueset-request-status.html): a referral
 * waiting for or accepted at triage is 'active'; one not accepted or redirected elsewhere was
 * ended by the service before it was done, which R4 calls 'revoked'.
 */
const STATUS: Readonly<Record<string, ServiceRequest['status']>> = {
  'awaiting-triage': 'active',
  accepted: 'active',
  'not-accepted': 'revoked',
  redirected: 'revoked',
};

/** ServiceRequest.priority shares the two values triage records (routine, urgent). */
const PRIORITY: Readonly<Record<string, ServiceRequest['priority']>> = {
  routine: 'routine',
  urgent: 'urgent',
};

/**
 * A referral as a UK Core ServiceRequest (https://simplifier.net/hl7fhirukcorer4/ukcore-servicerequest):
 * e-RS referrals carry their UBRN as an identifier with the e-RS system; the conditions referred
 * for are SNOMED CT reason codes; the referrer is a display-only reference (the register holds
 * their name and organisation, not a Practitioner record).
 */
export function toFhirServiceRequest(r: ReferralFacts): ServiceRequest {
  const identifier: Identifier[] = r.ubrn ? [{ system: UBRN_SYSTEM, value: r.ubrn }] : [];
  const reasons = r.conditions.map((c): CodeableConcept => {
    const coding = CONDITION_CODES[c];
    return coding ? { coding: [coding], text: coding.display ?? c } : { text: c };
  });
  const priority = r.priority ? PRIORITY[r.priority] : undefined;
  return {
    resourceType: 'ServiceRequest',
    id: r.id,
    meta: { profile: [ukCoreProfile('ServiceRequest')], lastUpdated: r.updatedAt },
    ...(identifier.length > 0 ? { identifier } : {}),
    status: STATUS[r.state] ?? 'unknown',
    intent: 'order',
    ...(priority ? { priority } : {}),
    code: textOnly(TEXT_ONLY.referralCode),
    subject: ref('Patient', r.patientId),
    authoredOn: r.receivedOn,
    requester: {
      display: `${r.referrerName}, ${r.referrerOrganisation}`,
      ...(r.referrerOdsCode
        ? { identifier: { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: r.referrerOdsCode } }
        : {}),
    },
    ...(reasons.length > 0 ? { reasonCode: reasons } : {}),
    note: [{ text: `${r.source === 'e-rs' ? 'Received through e-RS' : 'Received by email'}. ${r.reason}` }],
  };
}
