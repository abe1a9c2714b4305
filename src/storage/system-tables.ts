/**
 * The service's own tables: the audit chain and its head, settings and the scheduled jobs' runs,
 * kept beside database.ts, which lists them in `Database` (its conventions: times ISO 8601 UTC
 * text, dates YYYY-MM-DD text, booleans 0/1 integers).
 */

import type { Generated } from 'kysely';

/** One audited action. `seq` is its place in the trail's reading order, given by the database
 * on INSERT; its place in the hash chain is in `audit_seals` once the sealer has sealed it. */
export interface AuditEventsTable {
  seq: Generated<number>;
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
}

/** An audit row's place in the hash chain, written by the sealer (append-only). */
export interface AuditSealsTable {
  chain_seq: number;
  event_seq: number;
  prev_hash: string;
  hash: string;
  sealed_at: string;
}

/** Audit rows waiting for the sealer (a queue: the sealer deletes what it seals). */
export interface AuditPendingTable {
  seq: number;
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
