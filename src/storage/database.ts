import type { Kysely, Transaction } from 'kysely';
import type { PumpEndRequestsTable, PumpPausesTable } from './pump-lifecycle-tables.ts';

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
}

export interface TriageDecisionsTable {
  id: string;
  referral_id: string;
  outcome: string;
  priority: string | null;
  advice: string | null;
  redirect_to: string | null;
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

export interface JobRunsTable {
  job: string;
  run_key: string;
  instance: string;
  started_at: string;
  finished_at: string | null;
  outcome: string | null;
  summary: string | null;
}

export interface SelectionProtocolsTable {
  id: string;
  code: string;
  version: number;
  title: string;
  population: string;
  /** The protocol as JSON (see domain/selection-protocol.ts); never changed once stored. */
  definition: string;
  definition_hash: string;
  created_at: string;
  /** Null for the built-in default protocol. */
  created_by: string | null;
}

export interface SelectionAssessmentsTable {
  id: string;
  patient_id: string;
  referral_id: string | null;
  protocol_id: string;
  /** Answers to the questions the protocol showed, as JSON; hidden ones are never stored. */
  answers: string;
  /** 'in-progress', 'awaiting-mdt' or 'decided'. */
  state: string;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  version: number;
}

export interface SelectionDecisionsTable {
  id: string;
  assessment_id: string;
  /** 'clinician' or 'mdt'. */
  kind: string;
  decision: string;
  /** The suggestion (outcome and reasons) as JSON, as it stood when the decision was made. */
  suggestion: string;
  agrees: number;
  reason: string | null;
  note: string | null;
  meeting_on: string | null;
  attendees: string | null;
  decided_at: string;
  decided_by: string;
}

export interface OutcomeMeasureSetsTable {
  id: string;
  patient_id: string;
  /** The calendar date the measures were taken. */
  recorded_on: string;
  /** 'assessment', 'test-dose', 'review' or 'other'. */
  occasion: string;
  assessment_id: string | null;
  /** JSON array of { muscleGroup, side, grade } with grades as text ('1+'), never decimals. */
  mas: string;
  penn_frequency: number | null;
  penn_severity: number | null;
  /** JSON array of { text, weight, baseline, achieved }. */
  gas_goals: string;
  gmfcs_level: string | null;
  pain_nrs: number | null;
  note: string | null;
  created_at: string;
  created_by: string;
}

/** An implanted pump (volumes in mL, doses in mcg, dates YYYY-MM-DD). */
export interface PumpsTable {
  id: string;
  patient_id: string;
  /** An id from PUMP_MODELS (pump-device.ts). */
  model_id: string;
  reservoir_ml: number;
  serial_number: string;
  implanted_on: string;
  surgeon: string;
  /** The low-reservoir alarm volume read off the programmer for this pump. */
  alarm_ml: number;
  catheter_model: string | null;
  catheter_tip_level: string | null;
  /** 'spinal' or 'cerebral' (dose-change.ts). */
  origin: string;
  /** PUMP_STATES (pump-lifecycle.ts): 'implanted', 'explanted', 'replaced', 'deceased' or 'transferred'. */
  state: string;
  /** The date the elective replacement indicator went off. */
  eri_on: string | null;
  ended_on: string | null;
  replaces_pump_id: string | null;
  /** The latest signed refill and its plan (alarm and due dates), set when a refill is signed. */
  last_refill_id: string | null;
  alarm_on: string | null;
  refill_due_by: string | null;
  /** Review appointments attended since the implant: the review schedule's position. */
  reviews_held: number;
  /** refill_due_by moved to a working day; with the two below, kept by pumpSchedule for the worklist. */
  refill_due_on: string | null;
  next_review_on: string;
  replace_by: string;
  /** The earliest refill appointment in state booked (any date); kept by refreshBookedRefill. */
  refill_booked_on: string | null;
  /**
   * The open pause's start and resume dates (pump_pauses), both null while the pump runs. Optional
   * here because a row written without them is not paused (the columns default to null).
   */
  paused_on?: string | null;
  resume_by?: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  version: number;
}

export interface PumpEventsTable {
  id: string;
  pump_id: string;
  /** PUMP_EVENT_KINDS: revision, catheter-revision, eri, mri, explant, replacement, other, and the lifecycle's own. */
  kind: string;
  occurred_on: string;
  note: string | null;
  recorded_at: string;
  recorded_by: string;
}

export interface PrescriptionsTable {
  id: string;
  pump_id: string;
  patient_id: string;
  /** The active prescription this one replaces (old values shown beside the new). */
  previous_id: string | null;
  drug: string;
  concentration_mcg_per_ml: number;
  /** JSON DoseProgramme (dose-programme.ts). */
  programme: string;
  /** The largest continuous daily dose (boluses not included). */
  dose_mcg_per_day: number;
  /** Continuous dose plus every permitted bolus: what refill planning uses. */
  planning_dose_mcg_per_day: number;
  /** 'titration' or 'maintenance'. */
  phase: string;
  /** The confirmed dose in effect 24 h before the proposal, that the change was compared with. */
  compared_dose_mcg_per_day: number | null;
  change_percent: number | null;
  limit_percent: number | null;
  within_limit: number | null;
  /** Required when the change is beyond the limit. */
  reason: string | null;
  /** 'pending', 'active', 'superseded' or 'rejected'. */
  state: string;
  /** Set when the change was made at a refill and is confirmed by the refill's signature. */
  refill_id: string | null;
  proposed_at: string;
  proposed_by: string;
  /** When the second clinician confirmed or rejected it; the prescription counts from then. */
  decided_at: string | null;
  decided_by: string | null;
  decision_note: string | null;
  version: number;
  /**
   * The day the pump was programmed with it (a change at a refill: the refill's date); the plan
   * and the expected residual count it from then. Null until a change outside a refill is
   * confirmed; optional here so a proposal's row is written without it.
   */
  programmed_on?: string | null;
  /** JSON ClinicalWarning[] (clinical-warning.ts) the prescription was accepted with, reason given; '[]' when none. */
  warnings: string;
  /** 'titration' or 'maintenance': whose limits the change was held to (the pump's history); null against the test dose or before it was recorded. */
  limit_phase: string | null;
}

export interface RefillsTable {
  id: string;
  pump_id: string;
  patient_id: string;
  performed_on: string;
  /** The residual the pump's programmer expected. */
  expected_residual_ml: number;
  withdrawn_ml: number;
  /** withdrawn − expected. */
  discrepancy_ml: number;
  discrepancy_percent: number | null;
  threshold_ml: number;
  flagged: number;
  review_note: string | null;
  reviewed_at: string | null;
  reviewed_by: string | null;
  drug: string;
  concentration_mcg_per_ml: number;
  batch: string;
  expires_on: string;
  instilled_ml: number;
  /** The programme running after the refill (active, or pending until this refill is signed). */
  prescription_id: string;
  alarm_ml: number;
  daily_volume_ml: number;
  alarm_on: string;
  due_by: string;
  /** 'alarm' or 'stability'. */
  limited_by: string;
  /** JSON array of REFILL_COMPLICATIONS ids. */
  complications: string;
  complication_note: string | null;
  /** The clinician's note for the patient, also appended to the summary. */
  patient_note: string | null;
  patient_summary: string | null;
  /** 'recorded' (awaiting review or check), 'signed', or 'voided' (rejected by the checker). */
  state: string;
  recorded_at: string;
  performed_by: string;
  signed_at: string | null;
  checked_by: string | null;
  version: number;
  /** JSON array of { code, message } (clinical-warning.ts): what the refill found; '[]' when nothing. */
  flags: string;
  /** The day the pump ran dry (or may have, every bolus taken) before this refill. */
  ran_dry_on: string | null;
  /** The software's expected residual from the last signed fill (continuous; with every bolus). */
  software_expected_ml: number | null;
  software_expected_with_boluses_ml: number | null;
  /** 1 when the review recorded that the patient was checked for signs of withdrawal. */
  withdrawal_signs_checked: number | null;
  withdrawal_signs_found: string | null;
  /** Set when the checker rejected the refill (state 'voided'). */
  voided_at: string | null;
  voided_by: string | null;
  void_reason: string | null;
}

export interface RefillAmendmentsTable {
  id: string;
  refill_id: string;
  reason: string;
  /** JSON array of { field, old, new }. */
  changes: string;
  amended_at: string;
  amended_by: string;
  /** 'applied' at once, or a volume correction 'pending' until 'confirmed' or 'rejected'. */
  state: string;
  decided_at: string | null;
  decided_by: string | null;
  decision_note: string | null;
}

export interface PumpAppointmentsTable {
  id: string;
  pump_id: string;
  patient_id: string;
  /** 'refill', 'review' or 'replacement'. */
  kind: string;
  on_date: string;
  /** 'booked', 'attended', 'missed' or 'cancelled'. */
  state: string;
  note: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  version: number;
}

/** A test-dose (screening) episode and its pre-checks (1 yes, 0 no, null not yet answered). */
export interface TestDoseEpisodesTable {
  id: string;
  patient_id: string;
  assessment_id: string | null;
  /** 'open', 'positive', 'not-for-implant' or 'abandoned'; only 'open' may change. */
  state: string;
  no_infection: number | null;
  infection_note: string | null;
  anticoagulants_reviewed: number | null;
  anticoagulant_note: string | null;
  recent_botulinum_toxin: number | null;
  botulinum_toxin_on: string | null;
  botulinum_toxin_note: string | null;
  oral_antispasmodic_plan: string | null;
  goals: string;
  /** The bolus whose result closed the episode (positive or not for implant). */
  outcome_bolus_id: string | null;
  abandon_reason: string | null;
  closed_at: string | null;
  /** The calendar date it closed, in the service's time zone. */
  closed_on: string | null;
  closed_by: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  version: number;
}

/** One intrathecal test bolus (doses in mcg, volumes in mL, given_at a UTC instant) and its result. */
export interface TestDoseBolusesTable {
  id: string;
  episode_id: string;
  patient_id: string;
  /** 1 for the episode's first bolus, then 2, 3. */
  sequence: number;
  dose_mcg: number;
  concentration_mcg_per_ml: number;
  concentration_reason: string | null;
  /** dose ÷ concentration, unrounded. */
  volume_ml: number;
  /** The ladder's next rung when it was given (null beyond the ladder). */
  ladder_dose_mcg: number | null;
  off_ladder_reason: string | null;
  /** 'lumbar-puncture' or 'catheter'. */
  route: string;
  given_at: string;
  given_by: string;
  checked_by: string | null;
  note: string | null;
  recorded_at: string;
  /** 'positive' or 'negative' once confirmed; null until then. */
  result: string | null;
  /** The suggestion (JSON) as it stood when the result was confirmed. */
  suggestion: string | null;
  result_reason: string | null;
  effect_hours: number | null;
  adverse_reactions: number | null;
  adverse_note: string | null;
  result_note: string | null;
  decided_at: string | null;
  decided_on: string | null;
  decided_by: string | null;
  /** JSON array of the clinical warnings when it was recorded (BOLUS_OFF_LADDER); null before 2026-12-06. */
  warnings: string | null;
}

/** An observation at a configured hour after a bolus (0 = baseline). */
export interface TestDoseObservationsTable {
  id: string;
  bolus_id: string;
  hour: number;
  /** JSON array of { muscleGroup, side, grade } with grades as text ('1+'). */
  mas: string;
  penn_frequency: number | null;
  heart_rate_bpm: number | null;
  systolic_mmhg: number | null;
  diastolic_mmhg: number | null;
  respiratory_rate_per_min: number | null;
  spo2_percent: number | null;
  /** JSON array of SIDE_EFFECTS ids (test-dose.ts). */
  side_effects: string;
  side_effect_note: string | null;
  note: string | null;
  recorded_at: string;
  recorded_by: string;
}

/** A consultant's override of the test-dose gate (test-dose-gate.ts), used by at most one episode. */
export interface TestDoseOverridesTable {
  id: string;
  patient_id: string;
  reason: string;
  /** 'available', 'used' or 'withdrawn'. */
  state: string;
  created_at: string;
  created_by: string;
  episode_id: string | null;
  used_at: string | null;
  used_by: string | null;
  withdrawn_at: string | null;
  withdrawn_by: string | null;
  withdraw_reason: string | null;
  version: number;
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
  intake_items: IntakeItemsTable;
  referrals: ReferralsTable;
  triage_decisions: TriageDecisionsTable;
  appointments: AppointmentsTable;
  documents: DocumentsTable;
  outbound_emails: OutboundEmailsTable;
  mailbox_cursors: MailboxCursorsTable;
  job_runs: JobRunsTable;
  selection_protocols: SelectionProtocolsTable;
  selection_assessments: SelectionAssessmentsTable;
  selection_decisions: SelectionDecisionsTable;
  outcome_measure_sets: OutcomeMeasureSetsTable;
  pumps: PumpsTable;
  pump_events: PumpEventsTable;
  prescriptions: PrescriptionsTable;
  refills: RefillsTable;
  refill_amendments: RefillAmendmentsTable;
  pump_appointments: PumpAppointmentsTable;
  pump_end_requests: PumpEndRequestsTable;
  pump_pauses: PumpPausesTable;
  test_dose_episodes: TestDoseEpisodesTable;
  test_dose_boluses: TestDoseBolusesTable;
  test_dose_observations: TestDoseObservationsTable;
  test_dose_overrides: TestDoseOverridesTable;
}

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;
export type DbOrTrx = Db | Trx;
