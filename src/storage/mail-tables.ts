/**
 * The tables of mail: outbound emails and the service mailbox's read position, kept beside
 * database.ts, which lists them in `Database` (its conventions: times ISO 8601 UTC text, dates
 * YYYY-MM-DD text, booleans 0/1 integers).
 */
import type { Generated } from 'kysely';

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
  /** 'smtp' (letters, digests), 'notify-email' or 'notify-sms' (patient reminders). */
  channel: Generated<string>;
  patient_id: string | null;
  appointment_id: string | null;
  days_before: number | null;
  appointment_on: string | null;
  template_id: string | null;
  /** JSON of the Notify template's personalisation. */
  personalisation: string | null;
  /** Unique: one reminder per appointment, reminder and channel. */
  dedupe_key: string | null;
  cancel_reason: string | null;
}

export interface MailboxCursorsTable {
  mailbox_key: string;
  uid_validity: string;
  last_uid: number;
  updated_at: string;
}
