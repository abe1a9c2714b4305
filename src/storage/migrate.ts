import type { Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationResultSet } from 'kysely/migration';
import type { DatabaseHandle } from './create-database.ts';
import type { SqlDialectName } from './dialect-name.ts';
import * as foundation from './migrations/2026-11-24-001-foundation.ts';
import * as referrals from './migrations/2026-11-25-001-referrals.ts';
import * as selection from './migrations/2026-11-25-002-selection-and-measures.ts';
import * as pumps from './migrations/2026-11-26-001-pumps-and-refills.ts';
import * as testDoses from './migrations/2026-11-26-002-test-doses.ts';
import * as prescriptionLimits from './migrations/2026-12-06-001-prescription-limits.ts';
import * as refillChecks from './migrations/2026-12-06-002-refill-checks.ts';
import * as pumpLifecycle from './migrations/2026-12-06-003-pump-lifecycle.ts';
import * as testDoseSafety from './migrations/2026-12-06-004-test-dose-safety.ts';
import * as referralChecks from './migrations/2026-12-06-005-referral-checks.ts';
import * as credentialSafety from './migrations/2026-12-07-001-credential-safety.ts';
import * as patientSearch from './migrations/2026-12-07-003-patient-search.ts';
import * as keptFormsAndRecovery from './migrations/2026-12-07-004-kept-forms-and-recovery.ts';
import * as letterFacts from './migrations/2026-12-07-005-letter-facts.ts';
import * as nextSteps from './migrations/2026-12-07-005-next-steps.ts';
import * as testDoseTimes from './migrations/2026-12-07-006-test-dose-times.ts';
import * as auditReading from './migrations/2026-12-07-007-audit-reading.ts';
import * as bookingBeyondTarget from './migrations/2026-12-07-008-booking-beyond-target.ts';
import * as emergencyAccess from './migrations/2026-12-08-010-emergency-access.ts';
import * as emergencyEvents from './migrations/2026-12-08-020-emergency-events.ts';
import * as emergencyCards from './migrations/2026-12-08-030-emergency-cards.ts';
import * as mriScans from './migrations/2026-12-08-040-mri-scans.ts';
import * as complications from './migrations/2026-12-08-050-complications.ts';
import * as lifeEvents from './migrations/2026-12-08-060-life-events.ts';
import * as patientReminders from './migrations/2026-12-08-070-patient-reminders.ts';
import * as figureIndexes from './migrations/2026-12-09-010-figure-indexes.ts';
import * as clinicalFigures from './migrations/2026-12-09-020-clinical-figures.ts';
import * as caseloadImports from './migrations/2026-12-09-050-caseload-imports.ts';
import * as figureFacts from './migrations/2026-12-10-010-figure-facts.ts';
import * as worklistCountIndexes from './migrations/2026-12-10-201-worklist-count-indexes.ts';
import * as auditSealer from './migrations/2026-12-10-300-audit-sealer.ts';
import * as importWritePath from './migrations/2026-12-11-100-import-write-path.ts';

type DialectMigration = { up(db: Kysely<unknown>, dialect: SqlDialectName): Promise<void> };

/** Every migration, in order. Names start with a date so they sort as they were written. */
const MIGRATIONS: Readonly<Record<string, DialectMigration>> = {
  '2026-11-24-001-foundation': foundation,
  '2026-11-25-001-referrals': referrals,
  '2026-11-25-002-selection-and-measures': selection,
  '2026-11-26-001-pumps-and-refills': pumps,
  '2026-11-26-002-test-doses': testDoses,
  '2026-12-06-001-prescription-limits': prescriptionLimits,
  '2026-12-06-002-refill-checks': refillChecks,
  '2026-12-06-003-pump-lifecycle': pumpLifecycle,
  '2026-12-06-004-test-dose-safety': testDoseSafety,
  '2026-12-06-005-referral-checks': referralChecks,
  '2026-12-07-001-credential-safety': credentialSafety,
  '2026-12-07-003-patient-search': patientSearch,
  '2026-12-07-004-kept-forms-and-recovery': keptFormsAndRecovery,
  '2026-12-07-005-letter-facts': letterFacts,
  '2026-12-07-005-next-steps': nextSteps,
  '2026-12-07-006-test-dose-times': testDoseTimes,
  '2026-12-07-007-audit-reading': auditReading,
  '2026-12-07-008-booking-beyond-target': bookingBeyondTarget,
  '2026-12-08-010-emergency-access': emergencyAccess,
  '2026-12-08-020-emergency-events': emergencyEvents,
  '2026-12-08-030-emergency-cards': emergencyCards,
  '2026-12-08-040-mri-scans': mriScans,
  '2026-12-08-050-complications': complications,
  '2026-12-08-060-life-events': lifeEvents,
  '2026-12-08-070-patient-reminders': patientReminders,
  '2026-12-09-010-figure-indexes': figureIndexes,
  '2026-12-09-020-clinical-figures': clinicalFigures,
  '2026-12-09-050-caseload-imports': caseloadImports,
  '2026-12-10-010-figure-facts': figureFacts,
  '2026-12-10-201-worklist-count-indexes': worklistCountIndexes,
  '2026-12-10-300-audit-sealer': auditSealer,
  '2026-12-11-100-import-write-path': importWritePath,
};

/**
 * Brings the schema up to date. Kysely's migrator takes a lock in the database (an advisory
 * lock on PostgreSQL), so several instances starting at once migrate once.
 */
export async function migrateToLatest(
  handle: DatabaseHandle,
  options: { readonly before?: string } = {},
): Promise<MigrationResultSet> {
  const migrations: Record<string, Migration> = {};
  for (const [name, m] of Object.entries(MIGRATIONS)) {
    // Tests of a migration stop before it, write rows as they were, then migrate the rest.
    if (options.before === undefined || name < options.before) {
      migrations[name] = { up: (db) => m.up(db, handle.dialect) };
    }
  }
  const migrator = new Migrator({
    db: handle.db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
    // Kysely looks for its own tables across all schemas; name ours so another schema's
    // migration tables are never mistaken for these.
    ...(handle.pgSchema ? { migrationTableSchema: handle.pgSchema } : {}),
  });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    throw result.error instanceof Error
      ? result.error
      : new Error('migration failed', { cause: result.error });
  }
  return result;
}
