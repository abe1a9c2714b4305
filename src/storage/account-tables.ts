/**
 * The tables of user accounts and signing in: users, sessions, failed sign-ins, API tokens and the
 * first-run setup token, kept beside database.ts, which lists them in `Database` (its conventions:
 * times ISO 8601 UTC text, dates YYYY-MM-DD text, booleans 0/1 integers).
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
  /** When the account first finished signing in; null while it is only invited. */
  first_signed_in_at: string | null;
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

/**
 * One row per throttle key, written first in each sign-in attempt's admission transaction: the
 * write serialises concurrent attempts for the key (a row lock on PostgreSQL, the write lock on
 * SQLite), so each counts the attempts before it.
 */
export interface SignInThrottleKeysTable {
  throttle_key: string;
  last_attempt_at: string;
}

/** Why a token was ended before its expiry; the API's refusal says so. */
export type TokenEndReason = 'revoked' | 'password-changed' | 'password-reset' | 'account-disabled';

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  /** Null only for rows written before expiry existed and not yet migrated; treated as expired. */
  expires_at: string | null;
  /** Set with revoked_at. */
  end_reason: string | null;
}

/** An authenticator set-up in progress: the secret the server generated, kept with the session. */
export interface TotpEnrolmentsTable {
  session_id_hash: string;
  user_id: string;
  secret: string;
  created_at: string;
}

export interface SetupTokensTable {
  token_hash: string;
  expires_at: string;
}

/**
 * A form posted after its session ended, kept for the same user in the same browser until it is
 * shown again or expires. The fields are sealed with AES-256-GCM under a key derived from the
 * browser's kept-form cookie, which only the browser holds (the row keeps its SHA-256).
 */
export interface KeptFormsTable {
  id: string;
  browser_hash: string;
  user_id: string;
  /** The path the form was posted to, and the page that shows the form again. */
  action_path: string;
  page_path: string;
  /** base64 of the 12-byte nonce, and of the ciphertext followed by the 16-byte tag. */
  iv: string;
  sealed: string;
  created_at: string;
  expires_at: string;
}

/** A one-time recovery code for the second factor, stored only as a hash; used_at once spent. */
export interface RecoveryCodesTable {
  id: string;
  user_id: string;
  code_hash: string;
  created_at: string;
  used_at: string | null;
}

/** A new set of recovery codes waiting to be shown once, sealed for the session's cookie. */
export interface RecoveryCodeDisplaysTable {
  session_id_hash: string;
  iv: string;
  sealed: string;
  created_at: string;
}
