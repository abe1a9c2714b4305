/**
 * The table of issued emergency cards (migration 2026-12-08-030-emergency-cards), kept beside
 * database.ts, which lists it in `Database`.
 */
export interface EmergencyCardsTable {
  id: string;
  patient_id: string;
  pump_id: string;
  issued_at: string;
  issued_on: string;
  issued_by: string;
  /** JSON of EmergencyCardFacts: what the card printed. */
  facts: string;
}
