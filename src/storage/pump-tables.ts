/**
 * The tables of implanted pumps: pumps, their events and their refill and review appointments, kept
 * beside database.ts, which lists them in `Database` (its conventions: times ISO 8601 UTC text,
 * dates YYYY-MM-DD text, booleans 0/1 integers).
 */

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
