import { classifyDatabaseError } from '../storage/database-errors.ts';
import type { UniqueKeyName } from '../storage/unique-keys.ts';
import { AppError, type ErrorCode } from './app-error.ts';
import type { RefusalReason } from './refusals/refusal-reasons.ts';

/**
 * The conflict each unique key means when a write is refused by it. A service checks before it
 * inserts, but on PostgreSQL (READ COMMITTED) two requests at the same moment both pass the check
 * and the index decides: the loser must get the same 409 the check would have given, never a
 * 500. Services that can add details (the existing record's id) catch their own key first; the
 * rest, and anything a service forgot, land here (the HTTP error handler asks too).
 */
interface Conflict {
  readonly code: Extract<
    ErrorCode,
    `DUPLICATE_${string}` | 'INVALID_STATE' | 'STALE_EDIT' | 'VALIDATION_FAILED'
  >;
  readonly message: string;
  /** The form field the clashing value came from, when there is one. */
  readonly field?: string;
  /** For INVALID_STATE: the refusal the service's own check gives for the same clash. */
  readonly reason?: RefusalReason;
}

const AT_THE_SAME_MOMENT = 'Someone else did this at the same moment; nothing was saved. Reload the page.';

export const UNIQUE_CONFLICTS: Readonly<Record<UniqueKeyName, Conflict>> = {
  users_username_key: {
    code: 'DUPLICATE_USERNAME',
    message: 'This username is already taken',
    field: 'username',
  },
  patients_nhs_number_key: {
    code: 'DUPLICATE_NHS_NUMBER',
    message: 'A patient with this NHS number is already registered',
    field: 'nhsNumber',
  },
  // 256 random bits hashed: a clash is not a thing a user can cause; asking again makes a new one.
  api_tokens_token_hash_key: { code: 'INVALID_STATE', message: AT_THE_SAME_MOMENT },
  // Two mailbox polls reading one message: the intake service reads the stored one instead.
  intake_items_dedupe_key_key: {
    code: 'INVALID_STATE',
    message: 'This email has just been stored by another mailbox check',
  },
  referrals_ubrn_key: {
    code: 'DUPLICATE_UBRN',
    message: 'A referral with this UBRN is already recorded',
    field: 'ubrn',
  },
  referrals_intake_item_id_key: {
    code: 'INVALID_STATE',
    reason: 'INTAKE_EMAIL_CONVERTED',
    message: 'This email has already been made into a referral',
  },
  first_appointment_outcomes_appointment_id_key: {
    code: 'INVALID_STATE',
    reason: 'FIRST_APPOINTMENT_NEXT_STEP_RECORDED',
    message:
      'Someone recorded this appointment’s next step at the same moment: it is kept as they recorded it',
  },
  selection_protocols_code_version_uq: {
    code: 'INVALID_STATE',
    reason: 'PROTOCOL_VERSION_STORED_CONCURRENTLY',
    message: 'Someone stored this protocol version at the same moment; try again',
    field: 'version',
  },
  pumps_serial_uq: {
    code: 'DUPLICATE_PUMP_SERIAL',
    message: 'A pump of this model with this serial number is already registered',
    field: 'serialNumber',
  },
  prescriptions_one_pending_uq: {
    code: 'INVALID_STATE',
    reason: 'PRESCRIPTION_CHANGE_PENDING',
    message:
      'Someone else changed this pump’s prescription at the same moment. Reload the page and check it again.',
  },
  prescriptions_one_active_uq: {
    code: 'INVALID_STATE',
    reason: 'PUMP_CHANGED_CONCURRENTLY',
    message:
      'Someone else changed this pump’s prescription at the same moment. Reload the page and check it again.',
  },
  refills_one_unsigned_uq: {
    code: 'INVALID_STATE',
    reason: 'PREVIOUS_REFILL_UNSIGNED',
    message:
      'Someone else recorded a refill of this pump at the same moment. Reload the page and check it again.',
  },
  refill_amendments_one_pending_uq: {
    code: 'INVALID_STATE',
    reason: 'VOLUME_CORRECTION_PENDING',
    message: 'A correction to this refill is already waiting for its check. Reload the page.',
  },
  pump_end_requests_one_pending_uq: {
    code: 'INVALID_STATE',
    reason: 'END_REQUEST_PENDING',
    message:
      'Someone else asked to end or correct this pump at the same moment. Reload the page to see their request.',
  },
  pump_pauses_one_open_uq: {
    code: 'INVALID_STATE',
    reason: 'PUMP_ALREADY_PAUSED',
    message: 'Someone else paused this pump at the same moment. Reload the page.',
  },
  mri_scans_one_open_uq: {
    code: 'INVALID_STATE',
    reason: 'MRI_PLAN_OPEN',
    message: 'Someone else planned an MRI for this pump at the same moment. Reload the page.',
  },
  test_dose_episodes_open_uq: {
    code: 'INVALID_STATE',
    reason: 'EPISODE_ALREADY_OPEN',
    message:
      'This patient already has a test dose in progress: continue it, or abandon it before starting another',
  },
  test_dose_boluses_sequence_uq: {
    code: 'STALE_EDIT',
    message:
      'Someone else changed this test dose while you were working on it; nothing was saved. Reload it and try again.',
  },
  // A 400 naming the field, as the check before the insert answers an hour already recorded.
  test_dose_observations_hour_uq: {
    code: 'VALIDATION_FAILED',
    message: 'This observation time has just been recorded for this bolus by someone else',
    field: 'hour',
  },
  test_dose_overrides_available_uq: {
    code: 'INVALID_STATE',
    reason: 'OVERRIDE_ALREADY_WAITING',
    message: 'This patient already has an override waiting to be used: withdraw it before recording another',
  },
  test_dose_overrides_episode_uq: {
    code: 'STALE_EDIT',
    message: 'Someone else used or withdrew the override a moment ago; nothing was saved. Reload the page.',
  },
  life_events_one_death_uq: {
    code: 'INVALID_STATE',
    reason: 'DEATH_ALREADY_RECORDED',
    message: 'Someone else recorded this patient’s death at the same moment. Reload the page.',
  },
  // Written once with its event, from a list with one of each code: a clash is a bug, not input.
  life_event_actions_code_uq: { code: 'STALE_EDIT', message: AT_THE_SAME_MOMENT },
  // Written only by the reminder job with ON CONFLICT DO NOTHING: no client input reaches it.
  outbound_emails_dedupe_key_uq: { code: 'INVALID_STATE', message: AT_THE_SAME_MOMENT },
  // Only the sealer writes seals, one at a time under its claim on the head: never client input.
  audit_seals_event_seq_key: { code: 'INVALID_STATE', message: AT_THE_SAME_MOMENT },
};

/** The key a unique violation hit (null when not a unique violation, or an unlisted key). */
export function uniqueViolationKey(err: unknown): UniqueKeyName | null {
  const failure = classifyDatabaseError(err);
  return failure?.kind === 'unique' ? failure.key : null;
}

/**
 * The conflict a unique violation means (a 409, but for one 400 that matches its check), or null
 * for any other error. An unlisted key (a primary key, which no input can reach) still answers
 * 409 rather than 500.
 */
export function uniqueConflict(err: unknown): AppError | null {
  const failure = classifyDatabaseError(err);
  if (failure?.kind !== 'unique') {
    return null;
  }
  const conflict: Conflict = failure.key
    ? UNIQUE_CONFLICTS[failure.key]
    : {
        code: 'INVALID_STATE',
        message: AT_THE_SAME_MOMENT,
      };
  return new AppError(conflict.code, conflict.message, {
    fieldErrors: conflict.field ? [{ field: conflict.field, message: conflict.message }] : [],
    cause: err,
    ...(conflict.reason ? { reason: conflict.reason } : {}),
  });
}
