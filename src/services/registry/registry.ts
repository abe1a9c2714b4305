import { caseloadImportServices } from './caseload-import.ts';
import type { AppConfig } from '../../config.ts';
import type { DatabaseHandle } from '../../storage/create-database.ts';
import type { Clock } from '../clock.ts';
import { accountServices } from './accounts.ts';
import { assessmentServices } from './assessments.ts';
import { auditServices } from './audit.ts';
import { documentServices } from './documents.ts';
import { complicationServices } from './complications.ts';
import { emergencySummaryServices } from './emergency-summary.ts';
import { serviceContext } from './bind.ts';
import { emergencyEventServices } from './emergencies.ts';
import { fhirServices } from './fhir.ts';
import { fhirImportServices } from './fhir-import.ts';
import { figureServices } from './figures.ts';
import { firstAppointmentOutcomeServices } from './first-appointment-outcomes.ts';
import { lifeEventServices } from './life-events.ts';
import { measureServices } from './measures.ts';
import { mriServices } from './mri.ts';
import { patientServices } from './patients.ts';
import { pumpServices } from './pumps.ts';
import { referralServices } from './referrals.ts';
import { refillServices } from './refills.ts';
import { reminderServices } from './reminders.ts';
import { systemServices } from './system.ts';
import { testDoseServices } from './test-doses.ts';

/**
 * Every service the web server, the CLI, the jobs and the demo call, bound once to the database,
 * clock and configuration by the composition root (compose.ts). Callers outside the services
 * never import storage: what they need to read or write is a service here.
 */
export function createServices(database: DatabaseHandle, clock: Clock, config: AppConfig) {
  const ctx = serviceContext(database, clock, config);
  return {
    system: systemServices(ctx),
    accounts: accountServices(ctx),
    audit: auditServices(ctx),
    patients: patientServices(ctx),
    fhirImport: fhirImportServices(ctx),
    referrals: referralServices(ctx),
    firstAppointmentOutcomes: firstAppointmentOutcomeServices(ctx),
    assessments: assessmentServices(ctx),
    measures: measureServices(ctx),
    pumps: pumpServices(ctx),
    refills: refillServices(ctx),
    mri: mriServices(ctx),
    testDoses: testDoseServices(ctx),
    lifeEvents: lifeEventServices(ctx),
    emergencies: emergencyEventServices(ctx),
    documents: documentServices(ctx),
    complications: complicationServices(ctx),
    emergencySummary: emergencySummaryServices(ctx),
    caseloadImport: caseloadImportServices(ctx),
    reminders: reminderServices(ctx),
    fhir: fhirServices(ctx),
    figures: figureServices(ctx),
  };
}

export type Services = ReturnType<typeof createServices>;
