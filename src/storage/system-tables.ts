/**
 * The service's own tables: the audit chain and its head, settings and the scheduled jobs' runs,
 * kept beside database.ts, which lists them in `Database` (its conventions: times ISO 8601 UTC
 * text, dates YYYY-MM-DD text, booleans 0/1 integers).
 */

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

export interface SettingsTable {
  key: string;
  value: string;
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
