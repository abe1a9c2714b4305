/**
 * The tables of test-dose (screening) episodes: episodes, boluses, observations and gate overrides,
 * kept beside database.ts, which lists them in `Database` (its conventions: times ISO 8601 UTC
 * text, dates YYYY-MM-DD text, booleans 0/1 integers).
 */

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
  /** When the screening started (UTC instant); null on episodes stored before it was kept: created_at. */
  started_at: string | null;
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
  /** JSON array of the clinical warnings when it was recorded (BOLUS_OFF_LADDER); null on boluses recorded before warnings were stored. */
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
  /** The clock time it was taken (UTC instant); null on observations stored before it was kept. */
  observed_at: string | null;
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
