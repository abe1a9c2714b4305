/**
 * The tables of a pump's end and its pauses (migration 2026-12-06-003-pump-lifecycle), kept
 * beside database.ts, which lists them in `Database`.
 */

/** A request to end a pump (explant, death, transfer) or to correct a mistaken end. */
export interface PumpEndRequestsTable {
  id: string;
  pump_id: string;
  patient_id: string;
  /** END_REQUEST_KINDS: 'explant', 'death', 'transfer', 'replacement' or 'correction'. */
  kind: string;
  /** The date the pump ended; null for a correction. */
  ended_on: string | null;
  reason: string;
  /** For a correction: the ended state and date it reverses. */
  previous_state: string | null;
  previous_ended_on: string | null;
  /** For a replacement: the new pump registered in the old one's place; null otherwise. */
  replacement_pump_id: string | null;
  /** 'pending' until a second clinician confirms or rejects it. */
  state: string;
  requested_at: string;
  requested_by: string;
  decided_at: string | null;
  decided_by: string | null;
  decision_note: string | null;
}

/** A pump paused (emptied or stopped) with a date to resume; resumed_on null while open. */
export interface PumpPausesTable {
  id: string;
  pump_id: string;
  patient_id: string;
  /** PAUSE_REASONS: 'mri', 'surgery' or 'other'. */
  reason: string;
  note: string | null;
  /** 1 when the reservoir was emptied, 0 when the pump was only stopped with its drug inside. */
  emptied: number;
  paused_on: string;
  resume_by: string;
  recorded_at: string;
  recorded_by: string;
  resumed_on: string | null;
  resume_note: string | null;
  resumed_at: string | null;
  resumed_by: string | null;
}
