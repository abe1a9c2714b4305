/**
 * The tables of mail: outbound emails and the service mailbox's read position, kept beside
 * database.ts, which lists them in `Database` (its conventions: times ISO 8601 UTC text, dates
 * YYYY-MM-DD text, booleans 0/1 integers).
 */

export interface OutboundEmailsTable {
  id: string;
  referral_id: string | null;
  document_id: string | null;
  purpose: string;
  to_address: string;
  subject: string;
  body_text: string;
  /** 'pending', 'sent' or 'failed' (gave up after the configured attempts). */
  state: string;
  attempts: number;
  last_error: string | null;
  created_at: string;
  next_attempt_at: string;
  sent_at: string | null;
}

export interface MailboxCursorsTable {
  mailbox_key: string;
  uid_validity: string;
  last_uid: number;
  updated_at: string;
}
