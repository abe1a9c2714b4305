/**
 * The tables of prescriptions, refills and refill amendments, kept beside database.ts, which lists
 * them in `Database` (its conventions: times ISO 8601 UTC text, dates YYYY-MM-DD text, booleans 0/1
 * integers).
 */

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
  /**
   * The previous refill of the same pump (the latest earlier one not voided): its date and the due
   * date it set. Derived, kept by figure-facts.repository.ts whenever a refill of the pump is
   * written; optional so the many row builders need not name them.
   */
  prev_performed_on?: string | null;
  prev_due_by?: string | null;
}

/**
 * The refill figures' counts for the refills performed on one day (summed by month in
 * refillMonthCounts, figures/clinical-refills.repository.ts), kept by figure-facts.repository.ts
 * in the transaction that writes, signs, voids or corrects a refill or records a pause.
 */
export interface RefillFigureDaysTable {
  /** 'YYYY-MM-DD'. */
  day: string;
  refills: number;
  with_due: number;
  on_time: number;
  after_alarm: number;
  discrepancy: number;
  signed_in_day: number;
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
