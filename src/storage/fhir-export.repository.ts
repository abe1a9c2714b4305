import type { DoseProgramme } from '../domain/dose-programme.ts';
import type { FirstAppointmentFacts, PumpAppointmentFacts } from '../domain/fhir/appointment.ts';
import type { PumpFacts } from '../domain/fhir/device.ts';
import type { EmergencyFacts } from '../domain/fhir/flag.ts';
import type { TestDoseFacts } from '../domain/fhir/medication-administration.ts';
import type { PrescriptionFacts } from '../domain/fhir/medication-request.ts';
import type { MeasureSetFacts } from '../domain/fhir/observation.ts';
import type { PatientFacts } from '../domain/fhir/patient.ts';
import type { RefillFacts } from '../domain/fhir/procedure.ts';
import type { ReferralFacts } from '../domain/fhir/service-request.ts';
import type { GasGoal, MasEntry } from '../domain/outcome-measures.ts';
import type {
  AppointmentsTable,
  DbOrTrx,
  EmergencyEventsTable,
  OutcomeMeasureSetsTable,
  PatientsTable,
  PrescriptionsTable,
  PumpAppointmentsTable,
  PumpsTable,
  ReferralsTable,
  RefillsTable,
  TestDoseBolusesTable,
} from './database.ts';

/**
 * The rows the FHIR export reads, as the facts its pure mappers take (src/domain/fhir). Reads
 * only: one patient's whole record, one row by id, and keyset pages (id order, "after this id")
 * for the bulk export, so memory stays flat however large the register.
 */

export type PatientFactsWithAlerts = PatientFacts & { readonly alerts: string | null };

export function patientFacts(r: PatientsTable): PatientFactsWithAlerts {
  return {
    id: r.id,
    nhsNumber: r.nhs_number,
    hospitalNumber: r.hospital_number,
    givenName: r.given_name,
    familyName: r.family_name,
    dateOfBirth: r.date_of_birth,
    sex: r.sex as PatientFacts['sex'],
    addressLine1: r.address_line1,
    addressLine2: r.address_line2,
    town: r.town,
    postcode: r.postcode,
    phone: r.phone,
    gpPracticeName: r.gp_practice_name,
    gpPracticeOds: r.gp_practice_ods,
    nextOfKinName: r.next_of_kin_name,
    nextOfKinRelationship: r.next_of_kin_relationship,
    nextOfKinPhone: r.next_of_kin_phone,
    updatedAt: r.updated_at,
    alerts: r.alerts,
  };
}

export function pumpFacts(r: PumpsTable): PumpFacts {
  return {
    id: r.id,
    patientId: r.patient_id,
    modelId: r.model_id,
    reservoirMl: r.reservoir_ml,
    serialNumber: r.serial_number,
    implantedOn: r.implanted_on,
    alarmMl: r.alarm_ml,
    catheterModel: r.catheter_model,
    catheterTipLevel: r.catheter_tip_level,
    state: r.state,
    endedOn: r.ended_on,
    updatedAt: r.updated_at,
  };
}

export function prescriptionFacts(r: PrescriptionsTable): PrescriptionFacts {
  return {
    id: r.id,
    patientId: r.patient_id,
    pumpId: r.pump_id,
    previousId: r.previous_id,
    concentrationMcgPerMl: r.concentration_mcg_per_ml,
    // Only validated programmes are stored (doseProgrammeSchema runs before every write).
    programme: JSON.parse(r.programme) as DoseProgramme,
    doseMcgPerDay: r.dose_mcg_per_day,
    state: r.state,
    proposedAt: r.proposed_at,
    decidedAt: r.decided_at,
  };
}

export function testDoseFacts(r: TestDoseBolusesTable): TestDoseFacts {
  return {
    id: r.id,
    patientId: r.patient_id,
    episodeId: r.episode_id,
    sequence: r.sequence,
    doseMcg: r.dose_mcg,
    concentrationMcgPerMl: r.concentration_mcg_per_ml,
    route: r.route,
    givenAt: r.given_at,
    result: r.result,
    effectHours: r.effect_hours,
    adverseNote: r.adverse_note,
  };
}

export function refillFacts(r: RefillsTable): RefillFacts {
  return {
    id: r.id,
    patientId: r.patient_id,
    pumpId: r.pump_id,
    performedOn: r.performed_on,
    expectedResidualMl: r.expected_residual_ml,
    withdrawnMl: r.withdrawn_ml,
    discrepancyMl: r.discrepancy_ml,
    flagged: r.flagged === 1,
    concentrationMcgPerMl: r.concentration_mcg_per_ml,
    batch: r.batch,
    instilledMl: r.instilled_ml,
    prescriptionId: r.prescription_id,
    alarmOn: r.alarm_on,
    dueBy: r.due_by,
    state: r.state,
  };
}

export function referralFacts(r: ReferralsTable): ReferralFacts {
  return {
    id: r.id,
    patientId: r.patient_id,
    source: r.source,
    ubrn: r.ubrn,
    receivedOn: r.received_on,
    referrerName: r.referrer_name,
    referrerOrganisation: r.referrer_organisation,
    referrerOdsCode: r.referrer_ods_code,
    reason: r.reason,
    conditions: JSON.parse(r.conditions) as string[],
    state: r.state,
    priority: r.priority,
    updatedAt: r.updated_at,
  };
}

export function firstAppointmentFacts(r: AppointmentsTable & { patient_id: string }): FirstAppointmentFacts {
  return {
    id: r.id,
    patientId: r.patient_id,
    referralId: r.referral_id,
    date: r.appointment_date,
    time: r.appointment_time,
    clinic: r.clinic,
    clinician: r.clinician,
    state: r.state,
    createdAt: r.created_at,
  };
}

export function pumpAppointmentFacts(r: PumpAppointmentsTable): PumpAppointmentFacts {
  return {
    id: r.id,
    patientId: r.patient_id,
    pumpId: r.pump_id,
    kind: r.kind,
    date: r.on_date,
    state: r.state,
    note: r.note,
    updatedAt: r.updated_at,
  };
}

export function measureSetFacts(r: OutcomeMeasureSetsTable): MeasureSetFacts {
  return {
    id: r.id,
    patientId: r.patient_id,
    recordedOn: r.recorded_on,
    mas: JSON.parse(r.mas) as MasEntry[],
    pennFrequency: r.penn_frequency,
    pennSeverity: r.penn_severity,
    gasGoals: JSON.parse(r.gas_goals) as GasGoal[],
    painNrs: r.pain_nrs,
  };
}

export function emergencyFacts(r: EmergencyEventsTable): EmergencyFacts {
  return {
    id: r.id,
    patientId: r.patient_id,
    pumpId: r.pump_id,
    kind: r.kind,
    onsetAt: r.onset_at,
    state: r.state,
    closedAt: r.closed_at,
  };
}

/** What each source the bulk export pages through gives, as the mappers' facts. */
export interface FactsOf {
  patients: PatientFactsWithAlerts;
  /** Patients with alerts on their record (the Flag for the alerts). */
  patient_alerts: PatientFactsWithAlerts;
  pumps: PumpFacts;
  prescriptions: PrescriptionFacts;
  test_dose_boluses: TestDoseFacts;
  refills: RefillFacts;
  referrals: ReferralFacts;
  appointments: FirstAppointmentFacts;
  pump_appointments: PumpAppointmentFacts;
  outcome_measure_sets: MeasureSetFacts;
  /** Open events only: a Flag is a warning in force (closed events stay in the record). */
  emergency_events: EmergencyFacts;
}
export type FhirSource = keyof FactsOf;

/** A first appointment's row with its referral's patient (appointments hang off referrals). */
function firstAppointments(db: DbOrTrx) {
  return db
    .selectFrom('appointments')
    .innerJoin('referrals', 'referrals.id', 'appointments.referral_id')
    .selectAll('appointments')
    .select('referrals.patient_id');
}

/** One patient's rows from every source the export reads, keyed by source, each in id order. */
export async function loadPatientRecord(
  db: DbOrTrx,
  patient: PatientFactsWithAlerts,
): Promise<{ readonly [S in FhirSource]: readonly FactsOf[S][] }> {
  const id = patient.id;
  const [
    pumps,
    prescriptions,
    testDoses,
    refills,
    referrals,
    appointments,
    pumpAppointments,
    measures,
    emergencies,
  ] = await Promise.all([
    db.selectFrom('pumps').selectAll().where('patient_id', '=', id).orderBy('id').execute(),
    db.selectFrom('prescriptions').selectAll().where('patient_id', '=', id).orderBy('id').execute(),
    db.selectFrom('test_dose_boluses').selectAll().where('patient_id', '=', id).orderBy('id').execute(),
    db.selectFrom('refills').selectAll().where('patient_id', '=', id).orderBy('id').execute(),
    db.selectFrom('referrals').selectAll().where('patient_id', '=', id).orderBy('id').execute(),
    firstAppointments(db).where('referrals.patient_id', '=', id).orderBy('appointments.id').execute(),
    db.selectFrom('pump_appointments').selectAll().where('patient_id', '=', id).orderBy('id').execute(),
    db.selectFrom('outcome_measure_sets').selectAll().where('patient_id', '=', id).orderBy('id').execute(),
    db
      .selectFrom('emergency_events')
      .selectAll()
      .where('patient_id', '=', id)
      .where('state', '=', 'open')
      .orderBy('id')
      .execute(),
  ]);
  return {
    patients: [patient],
    patient_alerts: patient.alerts ? [patient] : [],
    pumps: pumps.map(pumpFacts),
    prescriptions: prescriptions.map(prescriptionFacts),
    test_dose_boluses: testDoses.map(testDoseFacts),
    refills: refills.map(refillFacts),
    referrals: referrals.map(referralFacts),
    appointments: appointments.map(firstAppointmentFacts),
    pump_appointments: pumpAppointments.map(pumpAppointmentFacts),
    outcome_measure_sets: measures.map(measureSetFacts),
    emergency_events: emergencies.map(emergencyFacts),
  };
}
export type PatientRecordRows = Awaited<ReturnType<typeof loadPatientRecord>>;

/** A patient by id or by NHS number, as facts. */
export async function findPatientFacts(
  db: DbOrTrx,
  by: { readonly id: string } | { readonly nhsNumber: string },
): Promise<PatientFactsWithAlerts | undefined> {
  const row = await (
    'id' in by
      ? db.selectFrom('patients').selectAll().where('id', '=', by.id)
      : db.selectFrom('patients').selectAll().where('nhs_number', '=', by.nhsNumber)
  ).executeTakeFirst();
  return row && patientFacts(row);
}

/** The facts of one source's rows, a keyset page at a time (ids after `afterId`, in id order). */
export async function pageOfSource<S extends FhirSource>(
  db: DbOrTrx,
  source: S,
  afterId: string,
  limit: number,
): Promise<readonly FactsOf[S][]> {
  return (await rowsOf(db, source, '>', afterId, limit)) as FactsOf[S][];
}

/** One source's row by id, as facts; undefined when there is none. */
export async function findInSource<S extends FhirSource>(
  db: DbOrTrx,
  source: S,
  id: string,
): Promise<FactsOf[S] | undefined> {
  return (await rowsOf(db, source, '=', id, 1))[0] as FactsOf[S] | undefined;
}

/** Rows of a source with ids after (`>`) or equal to (`=`) the given one, in id order. */
async function rowsOf(
  db: DbOrTrx,
  source: FhirSource,
  op: '>' | '=',
  afterId: string,
  limit: number,
): Promise<readonly unknown[]> {
  switch (source) {
    case 'appointments':
      return (
        await firstAppointments(db)
          .where('appointments.id', op, afterId)
          .orderBy('appointments.id')
          .limit(limit)
          .execute()
      ).map(firstAppointmentFacts);
    case 'emergency_events':
      return (
        await db
          .selectFrom('emergency_events')
          .selectAll()
          .where('id', op, afterId)
          .where('state', '=', 'open')
          .orderBy('id')
          .limit(limit)
          .execute()
      ).map(emergencyFacts);
    case 'patient_alerts':
      return (
        await db
          .selectFrom('patients')
          .selectAll()
          .where('id', op, afterId)
          .where('alerts', 'is not', null)
          .where('alerts', '<>', '')
          .orderBy('id')
          .limit(limit)
          .execute()
      ).map(patientFacts);
    case 'patients':
    case 'pumps':
    case 'prescriptions':
    case 'test_dose_boluses':
    case 'refills':
    case 'referrals':
    case 'pump_appointments':
    case 'outcome_measure_sets': {
      const rows = await db
        .selectFrom(source)
        .selectAll()
        .where('id', op, afterId)
        .orderBy('id')
        .limit(limit)
        .execute();
      const facts = FACTS_OF[source] as (r: unknown) => unknown;
      return rows.map(facts);
    }
  }
}

const FACTS_OF = {
  patients: patientFacts,
  pumps: pumpFacts,
  prescriptions: prescriptionFacts,
  test_dose_boluses: testDoseFacts,
  refills: refillFacts,
  referrals: referralFacts,
  pump_appointments: pumpAppointmentFacts,
  outcome_measure_sets: measureSetFacts,
} as const;

/** How many rows each source holds (the bulk export's total, before each row's resources). */
export async function countSource(db: DbOrTrx, source: FhirSource): Promise<number> {
  const n = (row: { readonly n: number | string | bigint } | undefined) => Number(row?.n ?? 0);
  switch (source) {
    case 'appointments':
      return n(
        await db
          .selectFrom('appointments')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirst(),
      );
    case 'emergency_events':
      return n(
        await db
          .selectFrom('emergency_events')
          .where('state', '=', 'open')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirst(),
      );
    case 'patient_alerts':
      return n(
        await db
          .selectFrom('patients')
          .where('alerts', 'is not', null)
          .where('alerts', '<>', '')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirst(),
      );
    case 'outcome_measure_sets':
      // One Observation per measure taken: MAS, Penn, GAS and pain (observation.ts).
      return n(
        await db
          .selectFrom('outcome_measure_sets')
          .select((eb) =>
            eb.fn.sum<number | string>(eb.case().when('mas', '<>', '[]').then(1).else(0).end()).as('mas'),
          )
          .select((eb) => eb.fn.count<number | string>('penn_frequency').as('penn'))
          .select((eb) =>
            eb.fn
              .sum<number | string>(eb.case().when('gas_goals', '<>', '[]').then(1).else(0).end())
              .as('gas'),
          )
          .select((eb) => eb.fn.count<number | string>('pain_nrs').as('pain'))
          .executeTakeFirst()
          .then((r) => ({
            n: Number(r?.mas ?? 0) + Number(r?.penn ?? 0) + Number(r?.gas ?? 0) + Number(r?.pain ?? 0),
          })),
      );
    case 'patients':
    case 'pumps':
    case 'prescriptions':
    case 'test_dose_boluses':
    case 'refills':
    case 'referrals':
    case 'pump_appointments':
      return n(
        await db
          .selectFrom(source)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirst(),
      );
  }
}
