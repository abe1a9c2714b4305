/** Emergency events and advice-line calls (migration 2026-12-08-020). */

export interface EmergencyEventsTable {
  id: string;
  patient_id: string;
  pump_id: string | null;
  /** 'overdose', 'withdrawal', 'critical-alarm' or 'pump-stall'. */
  kind: string;
  onset_at: string;
  /** JSON list of checklist values. */
  signs: string;
  signs_note: string | null;
  actions_taken: string;
  advice_call_id: string | null;
  /** 'open' or 'closed'. */
  state: string;
  recorded_at: string;
  recorded_by: string;
  closed_at: string | null;
  closed_by: string | null;
  outcome: string | null;
  outcome_note: string | null;
}

export interface AdviceCallsTable {
  id: string;
  called_at: string;
  patient_id: string | null;
  caller_kind: string;
  caller_name: string | null;
  caller_identity: string | null;
  reason: string;
  details: string | null;
  overdose_signs: string;
  withdrawal_signs: string;
  advice_given: string;
  follow_up: string;
  appointment_id: string | null;
  follow_up_note: string | null;
  recorded_at: string;
  recorded_by: string;
}
