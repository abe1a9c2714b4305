/**
 * The caseload import tables (migration 2026-12-09-050), kept beside database.ts, which lists them
 * in `Database` (its conventions: times ISO 8601 UTC text, dates YYYY-MM-DD text, booleans 0/1).
 */

export interface CaseloadImportsTable {
  id: string;
  file_name: string;
  file_sha256: string;
  format: string;
  row_count: number;
  /** JSON string[]. */
  headers: string;
  /** JSON [{ rowNumber, cells }]. */
  rows: string;
  /** 'staged' or 'committed'. */
  status: string;
  uploaded_at: string;
  uploaded_by: string;
  expires_at: string;
  committed_at: string | null;
  committed_by: string | null;
  summary: string | null;
}

export interface CaseloadImportRecordsTable {
  import_id: string;
  row_number: number;
  patient_id: string;
  patient_created: number;
  pump_id: string;
  prescription_id: string;
  refill_id: string;
  appointment_id: string | null;
}
