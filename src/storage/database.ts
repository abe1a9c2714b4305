import type { Kysely, Transaction } from 'kysely';
import type {
  UsersTable,
  SessionsTable,
  SignInFailuresTable,
  ApiTokensTable,
  SetupTokensTable,
  SignInThrottleKeysTable,
  TotpEnrolmentsTable,
  KeptFormsTable,
  RecoveryCodesTable,
  RecoveryCodeDisplaysTable,
} from './account-tables.ts';
import type {
  AuditEventsTable,
  AuditHeadTable,
  AuditPendingTable,
  AuditSealsTable,
  SettingsTable,
  JobRunsTable,
} from './system-tables.ts';
import type { PatientsTable, PatientSearchTermsTable } from './patient-tables.ts';
import type { BreakGlassGrantsTable } from './emergency-access-tables.ts';
import type {
  IntakeItemsTable,
  ReferralsTable,
  TriageDecisionsTable,
  AppointmentsTable,
  DocumentsTable,
} from './referral-tables.ts';
import type { FirstAppointmentOutcomesTable } from './first-appointment-outcome-tables.ts';
import type { PumpEndRequestsTable, PumpPausesTable } from './pump-lifecycle-tables.ts';
import type { LifeEventActionsTable, LifeEventsTable } from './life-event-tables.ts';
import type { CaseloadImportRecordsTable, CaseloadImportsTable } from './caseload-import-tables.ts';
import type { MriScansTable } from './mri-tables.ts';
import type { EmergencyCardsTable } from './emergency-card-tables.ts';
import type { ComplicationsTable, BridgingPlansTable } from './complication-tables.ts';
import type { OutboundEmailsTable, MailboxCursorsTable } from './mail-tables.ts';
import type { PatientContactPreferencesTable } from './reminder-tables.ts';
import type {
  SelectionProtocolsTable,
  SelectionAssessmentsTable,
  SelectionDecisionsTable,
  OutcomeMeasureSetsTable,
} from './selection-tables.ts';
import type { PumpsTable, PumpEventsTable, PumpAppointmentsTable } from './pump-tables.ts';
import type {
  PrescriptionsTable,
  RefillFigureDaysTable,
  RefillsTable,
  RefillAmendmentsTable,
} from './refill-tables.ts';
import type {
  TestDoseEpisodesTable,
  TestDoseBolusesTable,
  TestDoseObservationsTable,
  TestDoseOverridesTable,
} from './test-dose-tables.ts';
import type { AdviceCallsTable, EmergencyEventsTable } from './emergency-tables.ts';

/**
 * The database's shape for Kysely. Row types: times are ISO 8601 UTC text and calendar dates
 * YYYY-MM-DD text in both SQLite and PostgreSQL, so one set of queries serves both; booleans are
 * 0/1 integers.
 *
 * The row types live beside this file, one file per feature (account-tables.ts, referral-tables.ts,
 * pump-tables.ts, …); they are re-exported here so every import of them stays as it was.
 */
export type {
  UsersTable,
  SessionsTable,
  SignInFailuresTable,
  ApiTokensTable,
  SetupTokensTable,
  SignInThrottleKeysTable,
  TotpEnrolmentsTable,
  KeptFormsTable,
  RecoveryCodesTable,
  RecoveryCodeDisplaysTable,
} from './account-tables.ts';
export type {
  AuditEventsTable,
  AuditHeadTable,
  AuditPendingTable,
  AuditSealsTable,
  SettingsTable,
  JobRunsTable,
} from './system-tables.ts';
export type { PatientsTable, PatientSearchTermsTable } from './patient-tables.ts';
export type { BreakGlassGrantsTable } from './emergency-access-tables.ts';
export type {
  IntakeItemsTable,
  ReferralsTable,
  TriageDecisionsTable,
  AppointmentsTable,
  DocumentsTable,
} from './referral-tables.ts';
export type { FirstAppointmentOutcomesTable } from './first-appointment-outcome-tables.ts';
export type { PumpEndRequestsTable, PumpPausesTable } from './pump-lifecycle-tables.ts';
export type { LifeEventActionsTable, LifeEventsTable } from './life-event-tables.ts';
export type { CaseloadImportRecordsTable, CaseloadImportsTable } from './caseload-import-tables.ts';
export type { MriScansTable } from './mri-tables.ts';
export type { EmergencyCardsTable } from './emergency-card-tables.ts';
export type { ComplicationsTable, BridgingPlansTable } from './complication-tables.ts';
export type { OutboundEmailsTable, MailboxCursorsTable } from './mail-tables.ts';
export type { PatientContactPreferencesTable } from './reminder-tables.ts';
export type {
  SelectionProtocolsTable,
  SelectionAssessmentsTable,
  SelectionDecisionsTable,
  OutcomeMeasureSetsTable,
} from './selection-tables.ts';
export type { PumpsTable, PumpEventsTable, PumpAppointmentsTable } from './pump-tables.ts';
export type { PrescriptionsTable, RefillsTable, RefillAmendmentsTable } from './refill-tables.ts';
export type {
  TestDoseEpisodesTable,
  TestDoseBolusesTable,
  TestDoseObservationsTable,
  TestDoseOverridesTable,
} from './test-dose-tables.ts';
export type { AdviceCallsTable, EmergencyEventsTable } from './emergency-tables.ts';

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  sign_in_failures: SignInFailuresTable;
  sign_in_throttle_keys: SignInThrottleKeysTable;
  totp_enrolments: TotpEnrolmentsTable;
  kept_forms: KeptFormsTable;
  recovery_codes: RecoveryCodesTable;
  recovery_code_displays: RecoveryCodeDisplaysTable;
  patients: PatientsTable;
  patient_search_terms: PatientSearchTermsTable;
  api_tokens: ApiTokensTable;
  audit_events: AuditEventsTable;
  audit_head: AuditHeadTable;
  audit_seals: AuditSealsTable;
  audit_pending: AuditPendingTable;
  setup_tokens: SetupTokensTable;
  settings: SettingsTable;
  intake_items: IntakeItemsTable;
  referrals: ReferralsTable;
  triage_decisions: TriageDecisionsTable;
  appointments: AppointmentsTable;
  first_appointment_outcomes: FirstAppointmentOutcomesTable;
  documents: DocumentsTable;
  outbound_emails: OutboundEmailsTable;
  patient_contact_preferences: PatientContactPreferencesTable;
  mailbox_cursors: MailboxCursorsTable;
  job_runs: JobRunsTable;
  selection_protocols: SelectionProtocolsTable;
  selection_assessments: SelectionAssessmentsTable;
  selection_decisions: SelectionDecisionsTable;
  outcome_measure_sets: OutcomeMeasureSetsTable;
  pumps: PumpsTable;
  pump_events: PumpEventsTable;
  prescriptions: PrescriptionsTable;
  refills: RefillsTable;
  refill_amendments: RefillAmendmentsTable;
  refill_figure_days: RefillFigureDaysTable;
  pump_appointments: PumpAppointmentsTable;
  pump_end_requests: PumpEndRequestsTable;
  pump_pauses: PumpPausesTable;
  life_events: LifeEventsTable;
  life_event_actions: LifeEventActionsTable;
  mri_scans: MriScansTable;
  complications: ComplicationsTable;
  bridging_plans: BridgingPlansTable;
  test_dose_episodes: TestDoseEpisodesTable;
  test_dose_boluses: TestDoseBolusesTable;
  test_dose_observations: TestDoseObservationsTable;
  test_dose_overrides: TestDoseOverridesTable;
  emergency_events: EmergencyEventsTable;
  advice_calls: AdviceCallsTable;
  emergency_cards: EmergencyCardsTable;
  break_glass_grants: BreakGlassGrantsTable;
  caseload_imports: CaseloadImportsTable;
  caseload_import_records: CaseloadImportRecordsTable;
}

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;
export type DbOrTrx = Db | Trx;
