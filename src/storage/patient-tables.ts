/**
 * The patients table, kept beside database.ts, which lists it in `Database` (its conventions:
 * times ISO 8601 UTC text, dates YYYY-MM-DD text, booleans 0/1 integers).
 */

export interface PatientsTable {
  id: string;
  nhs_number: string;
  hospital_number: string | null;
  given_name: string;
  family_name: string;
  date_of_birth: string;
  sex: string;
  address_line1: string | null;
  address_line2: string | null;
  town: string | null;
  postcode: string | null;
  phone: string | null;
  gp_practice_name: string | null;
  gp_practice_ods: string | null;
  next_of_kin_name: string | null;
  next_of_kin_relationship: string | null;
  next_of_kin_phone: string | null;
  communication_needs: string | null;
  /** The hospital number as it is searched: capitals, no spaces (patient-search-key.ts). */
  hospital_number_key: string | null;
  allergies: string | null;
  alerts: string | null;
  /** Conditions a doctor who has never met the patient must know (emergency summary). */
  relevant_conditions: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  version: number;
}

/** Every term a patient's names are found by (patient-search-key.ts), written with the patient. */
export interface PatientSearchTermsTable {
  patient_id: string;
  /** 'given' or 'family'. */
  part: string;
  term: string;
}
