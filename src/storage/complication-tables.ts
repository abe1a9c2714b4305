/**
 * The tables of the complications register and bridging plans (migration
 * 2026-12-08-050-complications), kept beside database.ts, which lists them in `Database`.
 */

export interface ComplicationsTable {
  id: string;
  patient_id: string;
  /** COMPLICATION_KINDS (complication.ts). */
  kind: string;
  onset_on: string;
  resolved_on: string | null;
  pump_id: string | null;
  /** DEVICE_LINKS: 'pump', 'catheter' or 'pump-and-catheter'; null without a pump. */
  device: string | null;
  catheter_model: string | null;
  catheter_tip_level: string | null;
  organism: string | null;
  details: string | null;
  actions: string | null;
  /** COMPLICATION_OUTCOMES. */
  outcome: string;
  /** The emergency event this entry follows up; null until the two are linked. */
  emergency_event_id: string | null;
  recorded_at: string;
  recorded_by: string;
  updated_at: string;
  updated_by: string;
  version: number;
}

export interface BridgingPlansTable {
  id: string;
  pump_id: string;
  patient_id: string;
  complication_id: string | null;
  /** BRIDGING_PURPOSES: 'explant', 'replacement' or 'revision'. */
  purpose: string;
  /** BRIDGING_KINDS: 'oral-cover', 'taper' or 'taper-and-oral-cover'. */
  kind: string;
  drug: string;
  dose: string;
  frequency: string;
  start_on: string;
  review_on: string;
  responsible: string;
  details: string | null;
  recorded_at: string;
  recorded_by: string;
}
