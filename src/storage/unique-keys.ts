/**
 * Every unique constraint and unique index the migrations create, other than primary keys, by
 * its PostgreSQL name with the table and columns SQLite names instead ("UNIQUE constraint
 * failed: pumps.model_id, pumps.serial_number"). A refused write is traced to its key here, so
 * the service can answer the conflict that key means (src/services/unique-conflicts.ts).
 * unique-keys.int.test.ts reads both databases' catalogues and fails when a migration adds a key
 * that is not listed.
 *
 * Primary keys are left out: every one is a generated id (randomUUID), a hash of a random token,
 * the audit sequence (a database sequence; on SQLite the next number, its writers taking turns),
 * a place in the audit chain (given by the one sealer holding the head), or a key only written with
 * ON CONFLICT (settings, job_runs, mailbox_cursors), so no client input can collide on one.
 */
export const UNIQUE_KEYS = {
  users_username_key: { table: 'users', columns: ['username'] },
  patients_nhs_number_key: { table: 'patients', columns: ['nhs_number'] },
  api_tokens_token_hash_key: { table: 'api_tokens', columns: ['token_hash'] },
  intake_items_dedupe_key_key: { table: 'intake_items', columns: ['dedupe_key'] },
  referrals_ubrn_key: { table: 'referrals', columns: ['ubrn'] },
  referrals_intake_item_id_key: { table: 'referrals', columns: ['intake_item_id'] },
  first_appointment_outcomes_appointment_id_key: {
    table: 'first_appointment_outcomes',
    columns: ['appointment_id'],
  },
  selection_protocols_code_version_uq: { table: 'selection_protocols', columns: ['code', 'version'] },
  pumps_serial_uq: { table: 'pumps', columns: ['model_id', 'serial_number'] },
  // The two partial indexes on prescriptions(pump_id) look alike to SQLite, which names only the
  // columns; both mean "someone changed this pump's prescription at the same moment".
  prescriptions_one_pending_uq: { table: 'prescriptions', columns: ['pump_id'] },
  prescriptions_one_active_uq: { table: 'prescriptions', columns: ['pump_id'] },
  refills_one_unsigned_uq: { table: 'refills', columns: ['pump_id'] },
  refill_amendments_one_pending_uq: { table: 'refill_amendments', columns: ['refill_id'] },
  pump_end_requests_one_pending_uq: { table: 'pump_end_requests', columns: ['pump_id'] },
  pump_pauses_one_open_uq: { table: 'pump_pauses', columns: ['pump_id'] },
  mri_scans_one_open_uq: { table: 'mri_scans', columns: ['pump_id'] },
  test_dose_episodes_open_uq: { table: 'test_dose_episodes', columns: ['patient_id'] },
  test_dose_boluses_sequence_uq: { table: 'test_dose_boluses', columns: ['episode_id', 'sequence'] },
  test_dose_observations_hour_uq: { table: 'test_dose_observations', columns: ['bolus_id', 'hour'] },
  test_dose_overrides_available_uq: { table: 'test_dose_overrides', columns: ['patient_id'] },
  test_dose_overrides_episode_uq: { table: 'test_dose_overrides', columns: ['episode_id'] },
  life_events_one_death_uq: { table: 'life_events', columns: ['patient_id'] },
  life_event_actions_code_uq: { table: 'life_event_actions', columns: ['event_id', 'code'] },
  outbound_emails_dedupe_key_uq: { table: 'outbound_emails', columns: ['dedupe_key'] },
  audit_seals_event_seq_key: { table: 'audit_seals', columns: ['event_seq'] },
} as const satisfies Record<string, { readonly table: string; readonly columns: readonly string[] }>;

export type UniqueKeyName = keyof typeof UNIQUE_KEYS;

const NAMES = Object.keys(UNIQUE_KEYS) as UniqueKeyName[];

export function isUniqueKeyName(name: string): name is UniqueKeyName {
  return Object.hasOwn(UNIQUE_KEYS, name);
}

/** The first key on exactly these columns of this table (SQLite's message names no index). */
export function uniqueKeyOnColumns(table: string, columns: readonly string[]): UniqueKeyName | null {
  const wanted = [...columns].sort().join(',');
  return (
    NAMES.find((name) => {
      const key = UNIQUE_KEYS[name];
      return key.table === table && [...key.columns].sort().join(',') === wanted;
    }) ?? null
  );
}
