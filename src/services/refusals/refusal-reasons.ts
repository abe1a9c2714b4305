import { ACCOUNT_REFUSALS } from './accounts.ts';
import { ASSESSMENT_REFUSALS } from './assessments.ts';
import { EMERGENCY_REFUSALS } from './emergencies.ts';
import { COMPLICATION_REFUSALS } from './complications.ts';
import { CASELOAD_IMPORT_REFUSALS } from './caseload-imports.ts';
import { FIRST_APPOINTMENT_OUTCOME_REFUSALS } from './first-appointment-outcomes.ts';
import { DOCUMENT_REFUSALS } from './documents.ts';
import { LETTER_REFUSALS } from './letters.ts';
import { LIFE_EVENT_REFUSALS } from './life-events.ts';
import { PATIENT_REFUSALS } from './patients.ts';
import { MRI_REFUSALS } from './mri.ts';
import { PUMP_REFUSALS } from './pumps.ts';
import { REFERRAL_REFUSALS } from './referrals.ts';
import { REFILL_REFUSALS } from './refills.ts';
import { TEST_DOSE_REFUSALS } from './test-doses.ts';

/**
 * Why a request was refused because the record is not in a state that allows it. Each refusal
 * keeps the stable HTTP-level code `INVALID_STATE` (409), so existing API clients go on working,
 * and adds its own reason, so callers and tests tell refusals apart by code, never by message.
 * Each feature lists its reasons in its own file in this folder, each with the meaning
 * docs/ERRORS.md shows.
 */
export const REFUSAL_REASONS = {
  ...PATIENT_REFUSALS,
  ...ACCOUNT_REFUSALS,
  ...REFERRAL_REFUSALS,
  ...LETTER_REFUSALS,
  ...FIRST_APPOINTMENT_OUTCOME_REFUSALS,
  ...ASSESSMENT_REFUSALS,
  ...PUMP_REFUSALS,
  ...MRI_REFUSALS,
  ...REFILL_REFUSALS,
  ...TEST_DOSE_REFUSALS,
  ...LIFE_EVENT_REFUSALS,
  ...EMERGENCY_REFUSALS,
  ...DOCUMENT_REFUSALS,
  ...COMPLICATION_REFUSALS,
  ...CASELOAD_IMPORT_REFUSALS,
} as const;

export type RefusalReason = keyof typeof REFUSAL_REASONS;
