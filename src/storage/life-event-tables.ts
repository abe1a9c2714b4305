/**
 * The tables of life events and their actions (migration 2026-12-08-060-life-events), kept
 * beside database.ts, which lists them in `Database`.
 */

/** A pregnancy, surgery elsewhere, death or transfer of care recorded for a patient. */
export interface LifeEventsTable {
  id: string;
  patient_id: string;
  /** LIFE_EVENT_KINDS. */
  kind: string;
  /** The date the event is filed under (delivery, surgery, death, transfer). */
  event_on: string;
  /** The kind's validated input as JSON. */
  details: string;
  /** LIFE_EVENT_STATES: 'open', 'completed' or 'ended'. */
  state: string;
  recorded_at: string;
  recorded_by: string;
  closed_at: string | null;
  closed_by: string | null;
  end_reason: string | null;
}

/** One action of an event's checklist; done_at null while open. */
export interface LifeEventActionsTable {
  id: string;
  event_id: string;
  position: number;
  /** ACTION_CODES. */
  code: string;
  label: string;
  detail: string;
  due_on: string | null;
  done_at: string | null;
  done_by: string | null;
  done_note: string | null;
}
