import type { Kysely, Transaction } from 'kysely';

/**
 * Row types. Times are ISO 8601 UTC text and calendar dates YYYY-MM-DD text in both SQLite and
 * PostgreSQL, so one set of queries serves both; booleans are 0/1 integers.
 */
export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  role: string;
  password_hash: string;
  totp_secret: string | null;
  /** The last TOTP time step accepted, so a code is never accepted twice. */
  totp_last_step: number | null;
  must_change_password: number;
  disabled_at: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  /** 'full', 'mfa-pending' (password right, code not yet given) or 'mfa-enrol'. */
  stage: string;
  created_at: string;
  last_seen_at: string;
  ip: string;
}

export interface SignInFailuresTable {
  id: string;
  throttle_key: string;
  failed_at: string;
}

export interface PatientsTable {
  id: string;
  nhs_number: string;
  hospital_number: string | null;
  given_name: string;
  family_name: string;
  date_of_birth: string;
  sex: string;
  address_line1: string | null;
  address_line2: string | null;
  town: string | null;
  postcode: string | null;
  phone: string | null;
  gp_practice_name: string | null;
  gp_practice_ods: string | null;
  next_of_kin_name: string | null;
  next_of_kin_relationship: string | null;
  next_of_kin_phone: string | null;
  communication_needs: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  version: number;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface AuditEventsTable {
  seq: number;
  occurred_at: string;
  request_id: string | null;
  user_id: string | null;
  username: string | null;
  role: string | null;
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  patient_id: string | null;
  outcome: string;
  details: string;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface SetupTokensTable {
  token_hash: string;
  expires_at: string;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  sign_in_failures: SignInFailuresTable;
  patients: PatientsTable;
  api_tokens: ApiTokensTable;
  audit_events: AuditEventsTable;
  audit_head: AuditHeadTable;
  setup_tokens: SetupTokensTable;
  settings: SettingsTable;
}

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;
export type DbOrTrx = Db | Trx;
