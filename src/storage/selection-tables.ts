/**
 * The tables of patient selection: protocols, assessments, decisions and outcome measures, kept
 * beside database.ts, which lists them in `Database` (its conventions: times ISO 8601 UTC text,
 * dates YYYY-MM-DD text, booleans 0/1 integers).
 */

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
