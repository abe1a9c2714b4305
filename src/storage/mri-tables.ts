/**
 * The MRI workflow's table (migration 2026-12-08-040-mri-scans), kept beside database.ts, which
 * lists it in `Database`.
 */

/** One planned scan of a pump: the plan, then the scan, then the post-scan check (or cancelled). */
export interface MriScansTable {
  id: string;
  pump_id: string;
  patient_id: string;
  /** MRI_PLAN_KINDS. */
  plan_kind: string;
  /** MRI_STATES: 'planned', 'scanned', 'checked' or 'cancelled'. */
  state: string;
  planned_on: string;
  scanner: string | null;
  field_strength_tesla: string | null;
  /** JSON array of the checklist's step ids. */
  confirmed_steps: string;
  plan_note: string | null;
  planned_at: string;
  planned_by: string;
  scanned_at: string | null;
  scan_note: string | null;
  scan_recorded_at: string | null;
  scan_recorded_by: string | null;
  check_due_at: string | null;
  checked_at: string | null;
  check_recorded_at: string | null;
  check_recorded_by: string | null;
  pump_running: number | null;
  rotor_check: string | null;
  logs_reviewed: number | null;
  reservoir_ml: string | null;
  refill_id: string | null;
  findings: string | null;
  cancelled_at: string | null;
  cancelled_by: string | null;
  cancel_reason: string | null;
}
