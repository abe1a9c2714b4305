/**
 * The tables of referrals: intake items, referrals, triage decisions, appointments and documents,
 * kept beside database.ts, which lists them in `Database` (its conventions: times ISO 8601 UTC
 * text, dates YYYY-MM-DD text, booleans 0/1 integers).
 */

export interface IntakeItemsTable {
  id: string;
  dedupe_key: string;
  message_id: string | null;
  /** 'imap' (read from the service mailbox) or 'upload' (an .eml file from a person or the CLI). */
  origin: string;
  from_address: string | null;
  from_name: string | null;
  subject: string | null;
  sent_at: string | null;
  received_at: string;
  body_text: string | null;
  /** JSON array of the valid NHS numbers found in the subject, body and sender. */
  nhs_numbers: string;
  /** 'parsed' or 'unparseable' (kept and shown, never dropped). */
  parse_state: string;
  parse_problem: string | null;
  /** 'new', 'converted' (to a referral) or 'closed' (not a referral, with a reason). */
  state: string;
  referral_id: string | null;
  closed_reason: string | null;
  closed_by: string | null;
  closed_at: string | null;
  version: number;
}

export interface ReferralsTable {
  id: string;
  patient_id: string;
  source: string;
  ubrn: string | null;
  intake_item_id: string | null;
  received_on: string;
  referrer_name: string;
  referrer_role: string;
  referrer_organisation: string;
  referrer_ods_code: string | null;
  referrer_email: string | null;
  referrer_phone: string | null;
  reason: string;
  /** JSON array of conditions. */
  conditions: string;
  origin: string;
  aetiology: string;
  aetiology_other: string | null;
  /** JSON array of treatments tried. */
  treatments_tried: string;
  treatments_note: string | null;
  /** 'awaiting-triage', 'accepted', 'not-accepted' or 'redirected'. */
  state: string;
  priority: string | null;
  accepted_on: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  version: number;
  /** The referrer's grade (referral.ts REFERRER_GRADES); null on referrals recorded before it. */
  referrer_grade: string | null;
  /** e-RS referrals: the e-RS service it was made to. */
  ers_service_name: string | null;
  /** Why a consultant must check the referral (referral-check.ts); null when no mark was made. */
  check_reason: string | null;
  check_cleared_at: string | null;
  check_cleared_by: string | null;
  check_cleared_note: string | null;
  /**
   * Derived (figure-facts.repository.ts, kept by the triage and appointment writers): the date of
   * the first triage decision, of the first attended appointment and of the earliest appointment
   * still booked. Optional so row builders need not name them.
   */
  first_triaged_on?: string | null;
  first_seen_on?: string | null;
  first_booked_on?: string | null;
}

export interface TriageDecisionsTable {
  id: string;
  referral_id: string;
  outcome: string;
  priority: string | null;
  advice: string | null;
  redirect_to: string | null;
  /** 1 sent on to redirect_to, 0 only advised; null unless redirected (or recorded before). */
  redirect_sent: number | null;
  /** e-rs, email or post; null unless sent on. */
  redirect_method: string | null;
  change_reason: string | null;
  decided_by: string;
  decided_at: string;
  /** The calendar date of the decision in the service's time zone. */
  decided_on: string;
}

export interface AppointmentsTable {
  id: string;
  referral_id: string;
  appointment_date: string;
  appointment_time: string;
  clinic: string;
  clinician: string;
  /** 'booked', 'cancelled' or 'attended'. */
  state: string;
  rebooked_from: string | null;
  cancel_reason: string | null;
  cancel_note: string | null;
  cancelled_at: string | null;
  cancelled_by: string | null;
  outcome_note: string | null;
  outcome_at: string | null;
  outcome_by: string | null;
  created_at: string;
  created_by: string;
  version: number;
  /** The referral's target date the booker confirmed booking beyond; null within the target. */
  beyond_target_date: string | null;
}

export interface DocumentsTable {
  id: string;
  referral_id: string | null;
  intake_item_id: string | null;
  kind: string;
  filename: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  content: Uint8Array;
  created_at: string;
  created_by: string | null;
}
