/**
 * The patient's contact preferences for reminders, kept beside database.ts, which lists them in
 * `Database` (its conventions: times ISO 8601 UTC text, dates YYYY-MM-DD text, booleans 0/1).
 * The reminders themselves are rows of the outbox (mail-tables.ts, channel 'notify-*').
 */
export interface PatientContactPreferencesTable {
  patient_id: string;
  email: string | null;
  /** +447… */
  mobile: string | null;
  /** 'email', 'sms', 'email,sms' or '' (none). */
  channels: string;
  consent_given: number;
  consent_date: string;
  recorded_by: string;
  recorded_at: string;
  version: number;
}
