import { wholeYearsBetween, type PlainDate } from '../domain/calendar-date.ts';
import type { PumpRules } from '../domain/pump-rules.ts';
import {
  patientAlerts,
  patientNextAction,
  type NextAction,
  type NextActionFacts,
} from '../domain/patient-next-action.ts';
import { patientTimeline, type TimelineEntry } from '../domain/patient-timeline.ts';
import { appointmentsByPatientReferral, type Appointment } from '../storage/appointments.repository.ts';
import { outcomesForPatientReferrals } from '../storage/first-appointment-outcomes.repository.ts';
import type { Db, Trx } from '../storage/database.ts';
import { listLifeEvents, type LifeEvent } from '../storage/life-events.repository.ts';
import { listMeasureSetsForPatient } from '../storage/measures.repository.ts';
import { findPatientForOverview, type Patient } from '../storage/patients.repository.ts';
import { listPumpAppointmentsForPatientPumps } from '../storage/pump-appointments.repository.ts';
import { listPumpEventsForPatientPumps } from '../storage/pump-events.repository.ts';
import { listPrescriptionsForPatientPumps, type Prescription } from '../storage/prescriptions.repository.ts';
import { listPumpsForPatient, type Pump } from '../storage/pumps.repository.ts';
import { listReferralsForPatient, type Referral } from '../storage/referrals.repository.ts';
import { listRefillsForPatientPumps } from '../storage/refills.repository.ts';
import { listAssessmentsForPatient } from '../storage/selection.repository.ts';
import { listEpisodesForPatient } from '../storage/test-doses.repository.ts';
import { AppError } from './app-error.ts';
import { actorEvent, appendAudit, type Actor } from './audit-service.ts';
import { dateIn, todayIn, type Clock } from './clock.ts';

export interface PatientOverviewDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly timeZone: string;
  readonly config: { readonly pumpRules: PumpRules };
}

/** An implanted pump as the overview shows it: its dose now and its next refill. */
export interface OverviewPump {
  readonly pump: Pump;
  /** The confirmed prescription the pump runs now; null before the first is confirmed. */
  readonly current: Prescription | null;
  readonly pending: Prescription | null;
  readonly refillBookedOn: PlainDate | null;
}

export interface PatientOverview {
  readonly patient: Patient;
  readonly updatedByName: string | null;
  readonly today: PlainDate;
  readonly ageYears: number;
  readonly alerts: readonly string[];
  readonly pumps: readonly OverviewPump[];
  readonly referrals: readonly Referral[];
  readonly timeline: readonly TimelineEntry[];
  readonly nextAction: NextAction | null;
  /** Pregnancies, surgery and other events the pump must be planned around, newest first. */
  readonly lifeEvents: readonly LifeEvent[];
}

/** Rows by their pump, each pump's in the order they were read. */
const byPump = <T extends { readonly pumpId: string }>(rows: readonly T[]) =>
  Map.groupBy(rows, (row) => row.pumpId);

/**
 * Everything about the patient's pumps the overview needs, read in the caller's transaction:
 * each kind of record for all the pumps in one query (four in all, however many pumps), then
 * given to each pump in the order the per-pump lists give them. Nothing is read for a patient
 * without a pump.
 */
async function readPumps(trx: Trx, patientId: string, hasPumps: boolean) {
  const pumps = hasPumps ? await listPumpsForPatient(trx, patientId) : [];
  if (pumps.length === 0) {
    return [];
  }
  const prescriptions = byPump(await listPrescriptionsForPatientPumps(trx, patientId));
  const refills = byPump(await listRefillsForPatientPumps(trx, patientId));
  const events = byPump(await listPumpEventsForPatientPumps(trx, patientId));
  const appointments = byPump(await listPumpAppointmentsForPatientPumps(trx, patientId));
  return pumps.map((pump) => ({
    pump,
    prescriptions: prescriptions.get(pump.id) ?? [],
    refills: refills.get(pump.id) ?? [],
    events: events.get(pump.id) ?? [],
    appointments: appointments.get(pump.id) ?? [],
  }));
}

/**
 * The appointments and first-appointment outcomes of the referrals read, each in one query
 * (none for a patient without a referral). Only the referrals in the list are kept, so the
 * overview never shows an appointment of a referral it does not list.
 */
async function readReferralFollowUps(trx: Trx, patientId: string, referrals: readonly Referral[]) {
  if (referrals.length === 0) {
    return { appointments: new Map<string, Appointment[]>(), outcomes: [] };
  }
  const ids = new Set(referrals.map((r) => r.id));
  const appointments = await appointmentsByPatientReferral(trx, patientId);
  for (const id of appointments.keys()) {
    if (!ids.has(id)) {
      appointments.delete(id);
    }
  }
  const outcomes = (await outcomesForPatientReferrals(trx, patientId)).filter((o) => ids.has(o.referralId));
  return { appointments, outcomes };
}

/**
 * The patient's home page in one read: the record, every referral, appointment, assessment,
 * test dose, outcome measure set, pump, prescription, refill, pump event, pump appointment and
 * life event, all in one transaction (so the page never mixes two moments), audited as a view of the
 * patient's record as the record page always was.
 */
export async function patientOverview(
  deps: PatientOverviewDeps,
  actor: Actor,
  patientId: string,
): Promise<PatientOverview> {
  return deps.db.transaction().execute(async (trx) => {
    // The record says which lists have rows; a list with none is not read (one round trip less).
    const record = await findPatientForOverview(trx, patientId);
    if (!record) {
      throw new AppError('NOT_FOUND', 'Patient not found');
    }
    const { has } = record;
    const referrals = has.referrals ? await listReferralsForPatient(trx, patientId) : [];
    const { appointments, outcomes } = await readReferralFollowUps(trx, patientId, referrals);
    const outcomeOf = (appointmentId: string) => outcomes.find((o) => o.appointmentId === appointmentId);
    const assessments = has.assessments ? await listAssessmentsForPatient(trx, patientId) : [];
    const testDoses = has.testDoses ? await listEpisodesForPatient(trx, patientId) : [];
    const measures = has.measureSets ? await listMeasureSetsForPatient(trx, patientId) : [];
    const pumps = await readPumps(trx, patientId, has.pumps);
    const lifeEvents = has.lifeEvents ? await listLifeEvents(trx, patientId) : [];
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'patient.view',
        outcome: 'success',
        entityType: 'patient',
        entityId: patientId,
        patientId,
      }),
    );

    const today = todayIn(deps.clock, deps.timeZone);
    const timeline = patientTimeline(
      patientId,
      {
        referrals,
        appointments: [...appointments.values()].flat().map((a) => ({
          ...a,
          nextStep: outcomeOf(a.id)?.nextStep ?? null,
          referTo: outcomeOf(a.id)?.referTo ?? null,
        })),
        assessments,
        testDoses,
        measures,
        pumps: pumps.map((p) => p.pump),
        prescriptions: pumps.flatMap((p) => p.prescriptions),
        refills: pumps.flatMap((p) => p.refills),
        pumpEvents: pumps.flatMap((p) => p.events),
        pumpAppointments: pumps.flatMap((p) => p.appointments),
      },
      (iso) => dateIn(new Date(iso), deps.timeZone),
    );
    const overviewPumps: OverviewPump[] = pumps
      .filter((p) => p.pump.state === 'implanted')
      .map((p) => ({
        pump: p.pump,
        current: p.prescriptions.find((x) => x.state === 'active') ?? null,
        pending: p.prescriptions.find((x) => x.state === 'pending') ?? null,
        refillBookedOn:
          p.appointments
            .filter((a) => a.kind === 'refill' && a.state === 'booked')
            .map((a) => a.onDate)
            .sort()[0] ?? null,
      }));
    const facts: NextActionFacts = {
      patientId,
      today,
      dueSoonDays: deps.config.pumpRules.dueSoonDays,
      pumps: pumps.map((p) => ({
        id: p.pump.id,
        implanted: p.pump.state === 'implanted',
        paused: p.pump.pausedOn !== null,
        pendingPrescription: p.prescriptions.some((x) => x.state === 'pending'),
        unsignedRefillId: p.refills.find((x) => x.state === 'recorded')?.id ?? null,
        refillDueBy: p.pump.refillDueBy,
        refillBookedOn: overviewPumps.find((o) => o.pump.id === p.pump.id)?.refillBookedOn ?? null,
        nextReviewOn: p.pump.nextReviewOn,
      })),
      openTestDoseId: testDoses.find((t) => t.state === 'open')?.id ?? null,
      referrals: referrals.map((r) => ({
        id: r.id,
        state: r.state,
        hasAppointment: (appointments.get(r.id) ?? []).some(
          (a) => a.state === 'booked' || (a.state === 'attended' && outcomeOf(a.id)?.nextStep !== 'rebook'),
        ),
        nextStep: outcomes.filter((o) => o.referralId === r.id).at(-1)?.nextStep ?? null,
        assessmentStarted: assessments.some((a) => a.referralId === r.id),
      })),
      assessmentInProgressId: assessments.find((a) => a.state === 'in-progress')?.id ?? null,
    };
    return {
      patient: record.patient,
      updatedByName: record.updatedByName,
      today,
      ageYears: wholeYearsBetween(record.patient.dateOfBirth as PlainDate, today),
      alerts: patientAlerts(record.patient.alerts, facts),
      pumps: overviewPumps,
      referrals,
      timeline,
      nextAction: patientNextAction(facts),
      lifeEvents,
    };
  });
}
