import type { PlainDate } from '../domain/calendar-date.ts';
import { pumpLifeDates, type PumpLifeDates, type PumpModel } from '../domain/pump-device.ts';
import { reviewStanding, type ReviewStanding } from '../domain/review-schedule.ts';
import { refillStanding, type RefillStanding } from '../domain/refill-worklist.ts';
import type { Patient } from '../storage/patients.repository.ts';
import { listPumpAppointments, type PumpAppointment } from '../storage/pump-appointments.repository.ts';
import { listPumpEvents, type PumpEvent } from '../storage/pump-events.repository.ts';
import {
  findActivePrescription,
  findPendingPrescription,
  listPrescriptions,
  type Prescription,
} from '../storage/prescriptions.repository.ts';
import { listPumpsForPatient, type Pump } from '../storage/pumps.repository.ts';
import {
  listEndRequests,
  listPauses,
  type EndRequest,
  type PumpPause,
} from '../storage/pump-lifecycle.repository.ts';
import { listRefillsForPump, type Refill } from '../storage/refills.repository.ts';
import { displayNames } from '../storage/users.repository.ts';
import { actorEvent, recordAudit, type Actor } from './audit-service.ts';
import { today as serviceToday } from './clock.ts';
import { loadPatient } from './patient-service.ts';
import { closedDaysAround, loadPump, modelOf, type PumpServiceDeps } from './pump-store.ts';

/** What the pump page, the patient's pump list and the API read about pumps. */

export interface PumpOverview {
  readonly patient: Patient;
  readonly pump: Pump;
  readonly model: PumpModel;
  readonly life: PumpLifeDates;
  readonly active: Prescription | null;
  readonly pending: Prescription | null;
  readonly prescriptions: readonly Prescription[];
  readonly refills: readonly Refill[];
  readonly appointments: readonly PumpAppointment[];
  readonly events: readonly PumpEvent[];
  readonly standing: RefillStanding;
  readonly bookedRefillOn: PlainDate | null;
  /** The next review, how long it is overdue, and the earliest review booked from today. */
  readonly nextReview: ReviewStanding & { readonly bookedOn: PlainDate | null };
  /** The display names of the people the prescriptions name (proposers and checkers), by id. */
  readonly names: ReadonlyMap<string, string>;
  /** The request to end the pump, or to correct its end, waiting for a second clinician. */
  readonly endRequest: EndRequest | null;
  /** Every end and correction request, newest first. */
  readonly endRequests: readonly EndRequest[];
  /** The open pause, if the pump is paused. */
  readonly pause: PumpPause | null;
  /** Every pause, newest first. */
  readonly pauses: readonly PumpPause[];
  readonly today: PlainDate;
}

/** Everything the pump page shows; the view is audited as a read of the patient's record. */
export async function pumpOverview(
  deps: PumpServiceDeps,
  actor: Actor,
  pumpId: string,
): Promise<PumpOverview> {
  const db = deps.db;
  const pump = await loadPump(db, pumpId);
  const [patient, active, pending, prescriptions, refills, appointments, events, endRequests, pauses] =
    await Promise.all([
      loadPatient(db, pump.patientId),
      findActivePrescription(db, pumpId),
      findPendingPrescription(db, pumpId),
      listPrescriptions(db, pumpId),
      listRefillsForPump(db, pumpId),
      listPumpAppointments(db, pumpId),
      listPumpEvents(db, pumpId),
      listEndRequests(db, pumpId),
      listPauses(db, pumpId),
    ]);
  const today = serviceToday(deps);
  const rules = deps.config.pumpRules;
  const bookedRefillOn =
    appointments
      .filter((a) => a.kind === 'refill' && a.state === 'booked')
      .map((a) => a.onDate)
      .sort()[0] ?? null;
  const standing = refillStanding(
    {
      alarmDate: pump.alarmOn,
      refillDueBy: pump.refillDueBy,
      bookedOn: bookedRefillOn,
      resumeBy: pump.resumeBy,
    },
    today,
    closedDaysAround(deps, today),
    rules.dueSoonDays,
  );
  const reviewBookedOn =
    appointments
      .filter((a) => a.kind === 'review' && a.state === 'booked' && a.onDate >= today)
      .map((a) => a.onDate)
      .sort()[0] ?? null;
  const names = await displayNames(
    db,
    prescriptions.flatMap((p) => (p.decidedBy ? [p.proposedBy, p.decidedBy] : [p.proposedBy])),
  );
  const model = modelOf(pump);
  await recordAudit(
    db,
    deps.clock,
    actorEvent(actor, {
      action: 'pump.view',
      outcome: 'success',
      entityType: 'pump',
      entityId: pumpId,
      patientId: pump.patientId,
    }),
  );
  return {
    patient,
    pump,
    model,
    life: pumpLifeDates(model, pump.implantedOn, pump.eriOn, rules.replacementMarginDays),
    active,
    pending,
    prescriptions,
    refills,
    appointments,
    events,
    standing,
    bookedRefillOn,
    nextReview: {
      ...reviewStanding(rules.reviewSchedule, pump.implantedOn, pump.reviewsHeld, today),
      bookedOn: reviewBookedOn,
    },
    names,
    endRequest: endRequests.find((r) => r.state === 'pending') ?? null,
    endRequests,
    pause: pauses.find((p) => p.resumedOn === null) ?? null,
    pauses,
    today,
  };
}

/** A patient's pumps, newest first, for the patient page and the API. */
export async function patientPumps(
  deps: PumpServiceDeps,
  actor: Actor,
  patientId: string,
): Promise<{ patient: Patient; pumps: Pump[] }> {
  const patient = await loadPatient(deps.db, patientId);
  const pumps = await listPumpsForPatient(deps.db, patientId);
  await recordAudit(
    deps.db,
    deps.clock,
    actorEvent(actor, {
      action: 'pump.view',
      outcome: 'success',
      entityType: 'patient',
      entityId: patientId,
      patientId,
    }),
  );
  return { patient, pumps };
}

/**
 * What the registration form offers: the patient, and the pumps still implanted that the new one
 * can replace (registering asks for that pump's end, which a different clinician confirms).
 */
export async function registrationChoices(
  deps: PumpServiceDeps,
  patientId: string,
): Promise<{ patient: Patient; implanted: Pump[] }> {
  const patient = await loadPatient(deps.db, patientId);
  const implanted = (await listPumpsForPatient(deps.db, patientId)).filter((p) => p.state === 'implanted');
  return { patient, implanted };
}

/** The display names of the people a pump's record names (proposers, checkers, requesters). */
export async function peopleNamed(
  deps: PumpServiceDeps,
  userIds: readonly string[],
): Promise<Map<string, string>> {
  return displayNames(deps.db, userIds);
}
