import type { Flag } from '@medplum/fhirtypes';
import { EMERGENCY_KIND_LABELS } from '../emergency-events.ts';
import { FLAG_CATEGORY_CLINICAL, textOnly, ukCoreProfile } from './codes.ts';
import { ref } from './fhir-values.ts';

/** An open emergency event (suspected overdose or withdrawal, a critical alarm, a stall). */
export interface EmergencyFacts {
  readonly id: string;
  readonly patientId: string;
  readonly pumpId: string | null;
  readonly kind: string;
  readonly onsetAt: string;
  /** 'open' or 'closed'. */
  readonly state: string;
  readonly closedAt: string | null;
}

/** The patient's alerts text shares the patient's row, so the Flag's id is the patient's with a prefix. */
export const ALERTS_ID_PREFIX = 'alerts-';
export function alertsFlagId(patientId: string): string {
  return `${ALERTS_ID_PREFIX}${patientId}`;
}

/**
 * An emergency event as a UK Core Flag (https://simplifier.net/hl7fhirukcorer4/ukcore-flag):
 * active while open, inactive once closed, its period from onset to closing. No SNOMED CT code
 * is used for the kinds (text only: GAP).
 */
export function toFhirEmergencyFlag(e: EmergencyFacts): Flag {
  const labels: Readonly<Record<string, string | undefined>> = EMERGENCY_KIND_LABELS;
  const label = labels[e.kind] ?? e.kind;
  return {
    resourceType: 'Flag',
    id: e.id,
    meta: { profile: [ukCoreProfile('Flag')] },
    status: e.state === 'open' ? 'active' : 'inactive',
    category: [FLAG_CATEGORY_CLINICAL],
    code: textOnly(`Intrathecal baclofen emergency: ${label}`),
    subject: ref('Patient', e.patientId),
    period: { start: e.onsetAt, ...(e.closedAt ? { end: e.closedAt } : {}) },
  };
}

/** The alerts written on the patient's record (shown in the banner on every page), as one Flag. */
export function toFhirAlertsFlag(p: { readonly id: string; readonly alerts: string }): Flag {
  return {
    resourceType: 'Flag',
    id: alertsFlagId(p.id),
    meta: { profile: [ukCoreProfile('Flag')] },
    status: 'active',
    category: [FLAG_CATEGORY_CLINICAL],
    code: textOnly(p.alerts),
    subject: ref('Patient', p.id),
  };
}
