/**
 * The break-glass grants table (migration 2026-12-08-010-emergency-access), kept beside
 * database.ts, which lists it in `Database`.
 */

/** A clinician outside the ITB team given access to one patient's emergency summary. */
export interface BreakGlassGrantsTable {
  id: string;
  user_id: string;
  patient_id: string;
  /** The reason the clinician stated, as typed (trimmed). */
  reason: string;
  granted_at: string;
  /** granted_at + BREAK_GLASS_HOURS: after this the summary is refused until a new reason is given. */
  expires_at: string;
}
