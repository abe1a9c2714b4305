import { loadPatient } from './patient-service.ts';
import { randomUUID } from 'node:crypto';
import type { PlainDate } from '../domain/calendar-date.ts';
import { findPumpModel, pumpLifeDates, type PumpLifeDates, type PumpModel } from '../domain/pump-device.ts';
import {
  validateAppointmentInput,
  validateAppointmentUpdate,
  validatePumpEventInput,
  validatePumpInput,
  type PumpAppointmentInput,
} from '../domain/pump-inputs.ts';
import type { PumpRules } from '../domain/pump-rules.ts';
import { nextReviewDue, reviewLabel } from '../domain/review-schedule.ts';
import { pumpSchedule, refillStanding, type RefillStanding } from '../domain/refill-worklist.ts';
import type { Db, PumpsTable, Trx } from '../storage/database.ts';
import type { Patient } from '../storage/patients.repository.ts';
import {
  findPendingPrescription,
  findActivePrescription,
  findPumpAppointment,
  findPumpById,
  findPumpBySerial,
  insertPump,
  insertPumpAppointment,
  insertPumpEvent,
  listPrescriptions,
  listPumpAppointments,
  listPumpEvents,
  listPumpsForPatient,
  cancelBookedAppointments,
  refreshBookedRefill,
  updateAppointmentIfVersion,
  updatePumpIfVersion,
  type Prescription,
  type Pump,
  type PumpAppointment,
  type PumpEvent,
} from '../storage/pumps.repository.ts';
import { listRefillsForPump, type Refill } from '../storage/refills.repository.ts';
import { AppError, isUniqueViolation, validationError } from './app-error.ts';
import { actorEvent, appendAudit, recordAudit, type Actor } from './audit-service.ts';
import { closedDaysBetween } from './closed-days.ts';
import { requirePermission } from './permission-check.ts';
import type { Clock } from './clock.ts';
import { today as serviceToday } from './clock.ts';

export interface PumpServiceDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly config: {
    readonly timeZone: string;
    readonly pumpRules: PumpRules;
    readonly closedDays: readonly string[];
  };
}

/** Bank holidays and closed days around `today`: enough for any due date the worklist moves. */
export function closedDaysAround(deps: PumpServiceDeps, today: PlainDate): ReadonlySet<string> {
  const year = Number(today.slice(0, 4));
  return closedDaysBetween(year - 1, year + 2, deps.config.closedDays);
}

export async function loadPump(db: Db | Trx, pumpId: string): Promise<Pump> {
  const pump = await findPumpById(db, pumpId);
  if (!pump) {
    throw new AppError('NOT_FOUND', 'Pump not found');
  }
  return pump;
}

export function modelOf(pump: Pump): PumpModel {
  const model = findPumpModel(pump.modelId);
  if (!model) {
    // A model removed from configuration while pumps of it are implanted: refuse to guess its numbers.
    throw new Error(`pump ${pump.id}: model ${pump.modelId} is not configured`);
  }
  return model;
}

/**
 * Saves changes to a pump under optimistic locking, working out again the dates the worklist
 * ranks on (pumpSchedule) in the same update, so they can never disagree with the plan.
 */
export async function savePump(
  trx: Trx,
  deps: PumpServiceDeps,
  actor: Actor,
  pump: Pump,
  changes: Partial<PumpsTable>,
): Promise<void> {
  const schedule = pumpSchedule(
    {
      refillDueBy: (changes.refill_due_by !== undefined
        ? changes.refill_due_by
        : pump.refillDueBy) as PlainDate | null,
      implantedOn: pump.implantedOn,
      reviewsHeld: changes.reviews_held ?? pump.reviewsHeld,
      eriOn: (changes.eri_on !== undefined ? changes.eri_on : pump.eriOn) as PlainDate | null,
    },
    findPumpModel(pump.modelId),
    deps.config.pumpRules.reviewSchedule,
    closedDaysAround(deps, serviceToday(deps)),
  );
  const saved = await updatePumpIfVersion(
    trx,
    pump.id,
    pump.version,
    {
      ...changes,
      refill_due_on: schedule.refillDueOn,
      next_review_on: schedule.nextReviewOn,
      replace_by: schedule.replaceBy,
    },
    actor.userId,
    deps.clock.now().toISOString(),
  );
  if (!saved) {
    throw new AppError(
      'STALE_EDIT',
      'This pump was changed by someone else while you were saving. Try again.',
    );
  }
}

/**
 * Runs a pump write; a unique index refusing it means someone else recorded a refill or changed
 * the prescription of the same pump at the same moment (the checks before the insert cannot see
 * another transaction's uncommitted rows on PostgreSQL).
 */
export async function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new AppError(
        'INVALID_STATE',
        'Someone else changed this pump’s refill or prescription at the same moment. Reload the page and check it again.',
        { cause: err },
      );
    }
    throw err;
  }
}

function requireImplanted(pump: Pump): void {
  if (pump.state !== 'implanted') {
    throw new AppError(
      'INVALID_STATE',
      `This pump was ${pump.state} on ${pump.endedOn ?? 'an earlier date'}`,
    );
  }
}

/** Registers an implanted pump and its catheter; one pump per model and serial number. */
export async function registerPump(
  deps: PumpServiceDeps,
  actor: Actor,
  patientId: string,
  raw: unknown,
): Promise<Pump> {
  requirePermission(actor, 'pump:manage', 'Only clinicians who manage pumps can register one');
  return deps.db.transaction().execute(async (trx) => {
    const patient = await loadPatient(trx, patientId);
    const result = validatePumpInput(raw, serviceToday(deps));
    if (!result.ok) {
      throw validationError(result.errors);
    }
    const v = result.value;
    if (v.implantedOn < (patient.dateOfBirth as PlainDate)) {
      throw validationError([
        { field: 'implantedOn', message: "Implant date must be after the patient's date of birth" },
      ]);
    }
    const replaced = v.replacesPumpId === null ? null : await findPumpById(trx, v.replacesPumpId);
    if (v.replacesPumpId !== null) {
      if (!replaced || replaced.patientId !== patientId || replaced.state !== 'implanted') {
        throw validationError([
          { field: 'replacesPumpId', message: "Choose one of this patient's implanted pumps, or none" },
        ]);
      }
      if (v.implantedOn < replaced.implantedOn) {
        throw validationError([
          { field: 'implantedOn', message: 'The new pump cannot be implanted before the pump it replaces' },
        ]);
      }
    }
    const existing = await findPumpBySerial(trx, v.modelId, v.serialNumber);
    if (existing) {
      throw validationError([
        {
          field: 'serialNumber',
          message: 'A pump of this model with this serial number is already registered',
        },
      ]);
    }
    const id = randomUUID();
    const at = deps.clock.now().toISOString();
    const schedule = pumpSchedule(
      { refillDueBy: null, implantedOn: v.implantedOn, reviewsHeld: 0, eriOn: null },
      findPumpModel(v.modelId),
      deps.config.pumpRules.reviewSchedule,
      closedDaysAround(deps, serviceToday(deps)),
    );
    await insertPump(trx, {
      id,
      patient_id: patientId,
      model_id: v.modelId,
      reservoir_ml: v.reservoirMl,
      serial_number: v.serialNumber,
      implanted_on: v.implantedOn,
      surgeon: v.surgeon,
      alarm_ml: v.alarmMl,
      catheter_model: v.catheterModel,
      catheter_tip_level: v.catheterTipLevel,
      origin: v.origin,
      state: 'implanted',
      eri_on: null,
      ended_on: null,
      replaces_pump_id: v.replacesPumpId,
      last_refill_id: null,
      alarm_on: null,
      refill_due_by: null,
      reviews_held: 0,
      refill_due_on: schedule.refillDueOn,
      next_review_on: schedule.nextReviewOn,
      replace_by: schedule.replaceBy,
      refill_booked_on: null,
      created_at: at,
      created_by: actor.userId,
      updated_at: at,
      updated_by: actor.userId,
      version: 1,
    });
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'pump.create',
        outcome: 'success',
        entityType: 'pump',
        entityId: id,
        patientId,
        details: { modelId: v.modelId, reservoirMl: v.reservoirMl, replacesPumpId: v.replacesPumpId },
      }),
    );
    if (replaced) {
      await insertPumpEvent(trx, {
        id: randomUUID(),
        pump_id: replaced.id,
        kind: 'replacement',
        occurred_on: v.implantedOn,
        note: `Replaced by ${v.serialNumber}`,
        recorded_at: at,
        recorded_by: actor.userId,
      });
      await savePump(trx, deps, actor, replaced, { state: 'replaced', ended_on: v.implantedOn });
      // The old pump's bookings are for a pump that is gone; the new pump is booked afresh.
      await cancelBookedAppointments(
        trx,
        replaced.id,
        `Pump replaced by ${v.serialNumber}`,
        actor.userId,
        at,
      );
      await refreshBookedRefill(trx, replaced.id);
      await appendAudit(
        trx,
        deps.clock,
        actorEvent(actor, {
          action: 'pump.event',
          outcome: 'success',
          entityType: 'pump',
          entityId: replaced.id,
          patientId,
          details: { kind: 'replacement', occurredOn: v.implantedOn, replacedBy: id },
        }),
      );
    }
    return loadPump(trx, id);
  });
}

/** Records a revision, ERI, MRI, replacement or explant; ERI, replacement and explant change the pump. */
export async function recordPumpEvent(
  deps: PumpServiceDeps,
  actor: Actor,
  pumpId: string,
  raw: unknown,
): Promise<PumpEvent> {
  requirePermission(actor, 'pump:manage', 'Only clinicians who manage pumps can record pump events');
  return deps.db.transaction().execute(async (trx) => {
    const pump = await loadPump(trx, pumpId);
    requireImplanted(pump);
    const result = validatePumpEventInput(raw, pump.implantedOn, serviceToday(deps));
    if (!result.ok) {
      throw validationError(result.errors);
    }
    const v = result.value;
    const at = deps.clock.now().toISOString();
    const id = randomUUID();
    await insertPumpEvent(trx, {
      id,
      pump_id: pumpId,
      kind: v.kind,
      occurred_on: v.occurredOn,
      note: v.note,
      recorded_at: at,
      recorded_by: actor.userId,
    });
    const changes =
      v.kind === 'eri'
        ? // The first ERI counts: a later alarm must never move the replacement date later.
          pump.eriOn === null || v.occurredOn < pump.eriOn
          ? { eri_on: v.occurredOn }
          : null
        : v.kind === 'explant'
          ? { state: 'explanted', ended_on: v.occurredOn }
          : v.kind === 'replacement'
            ? { state: 'replaced', ended_on: v.occurredOn }
            : null;
    if (changes) {
      await savePump(trx, deps, actor, pump, changes);
    }
    if (v.kind === 'explant') {
      await cancelBookedAppointments(trx, pumpId, 'Pump removed', actor.userId, at);
      await refreshBookedRefill(trx, pumpId);
    }
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'pump.event',
        outcome: 'success',
        entityType: 'pump',
        entityId: pumpId,
        patientId: pump.patientId,
        details: { kind: v.kind, occurredOn: v.occurredOn },
      }),
    );
    return {
      id,
      pumpId,
      kind: v.kind,
      occurredOn: v.occurredOn,
      note: v.note,
      recordedAt: at,
      recordedBy: actor.userId,
    };
  });
}

export async function bookPumpAppointment(
  deps: PumpServiceDeps,
  actor: Actor,
  pumpId: string,
  raw: unknown,
): Promise<PumpAppointment> {
  requirePermission(actor, 'refill:book', 'Only staff who book refills can book pump appointments');
  return deps.db.transaction().execute(async (trx) => {
    const pump = await loadPump(trx, pumpId);
    requireImplanted(pump);
    const result = validateAppointmentInput(raw, serviceToday(deps));
    if (!result.ok) {
      throw validationError(result.errors);
    }
    const v: PumpAppointmentInput = result.value;
    const id = randomUUID();
    const at = deps.clock.now().toISOString();
    await insertPumpAppointment(trx, {
      id,
      pump_id: pumpId,
      patient_id: pump.patientId,
      kind: v.kind,
      on_date: v.onDate,
      state: 'booked',
      note: v.note,
      created_at: at,
      created_by: actor.userId,
      updated_at: at,
      updated_by: actor.userId,
      version: 1,
    });
    await refreshBookedRefill(trx, pumpId);
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'pump-appointment.book',
        outcome: 'success',
        entityType: 'pump-appointment',
        entityId: id,
        patientId: pump.patientId,
        details: { kind: v.kind, onDate: v.onDate },
      }),
    );
    const saved = await findPumpAppointment(trx, id);
    if (!saved) {
      throw new Error('appointment vanished inside its own transaction');
    }
    return saved;
  });
}

/**
 * Marks an appointment attended, missed or cancelled. An attended review moves the review
 * schedule on; a missed or cancelled refill leaves the pump unbooked, so the worklist escalates it.
 */
export async function updatePumpAppointment(
  deps: PumpServiceDeps,
  actor: Actor,
  appointmentId: string,
  raw: unknown,
): Promise<PumpAppointment> {
  requirePermission(actor, 'refill:book', 'Only staff who book refills can update pump appointments');
  return deps.db.transaction().execute(async (trx) => {
    const appt = await findPumpAppointment(trx, appointmentId);
    if (!appt) {
      throw new AppError('NOT_FOUND', 'Appointment not found');
    }
    if (appt.state !== 'booked') {
      throw new AppError('INVALID_STATE', `This appointment is already ${appt.state}`);
    }
    const result = validateAppointmentUpdate(raw);
    if (!result.ok) {
      throw validationError(result.errors);
    }
    const v = result.value;
    if (v.state === 'attended' && appt.onDate > serviceToday(deps)) {
      throw validationError([
        { field: 'state', message: 'An appointment in the future cannot have been attended' },
      ]);
    }
    const at = deps.clock.now().toISOString();
    if (
      !(await updateAppointmentIfVersion(trx, appt.id, appt.version, {
        state: v.state,
        note: v.note ?? appt.note,
        updated_at: at,
        updated_by: actor.userId,
      }))
    ) {
      throw new AppError(
        'STALE_EDIT',
        'This appointment was changed by someone else. Reload it and try again.',
      );
    }
    await refreshBookedRefill(trx, appt.pumpId);
    if (v.state === 'attended' && appt.kind === 'review') {
      const pump = await loadPump(trx, appt.pumpId);
      await savePump(trx, deps, actor, pump, { reviews_held: pump.reviewsHeld + 1 });
    }
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'pump-appointment.update',
        outcome: 'success',
        entityType: 'pump-appointment',
        entityId: appt.id,
        patientId: appt.patientId,
        details: { kind: appt.kind, state: v.state },
      }),
    );
    return { ...appt, state: v.state, note: v.note ?? appt.note, version: appt.version + 1 };
  });
}

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
  readonly nextReview: { readonly dueOn: PlainDate; readonly label: string };
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
  const [patient, active, pending, prescriptions, refills, appointments, events] = await Promise.all([
    loadPatient(db, pump.patientId),
    findActivePrescription(db, pumpId),
    findPendingPrescription(db, pumpId),
    listPrescriptions(db, pumpId),
    listRefillsForPump(db, pumpId),
    listPumpAppointments(db, pumpId),
    listPumpEvents(db, pumpId),
  ]);
  const today = serviceToday(deps);
  const rules = deps.config.pumpRules;
  const bookedRefillOn =
    appointments
      .filter((a) => a.kind === 'refill' && a.state === 'booked')
      .map((a) => a.onDate)
      .sort()[0] ?? null;
  const standing = refillStanding(
    { alarmDate: pump.alarmOn, refillDueBy: pump.refillDueBy, bookedOn: bookedRefillOn },
    today,
    closedDaysAround(deps, today),
    rules.dueSoonDays,
  );
  const review = nextReviewDue(rules.reviewSchedule, pump.implantedOn, pump.reviewsHeld);
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
    life: pumpLifeDates(model, pump.implantedOn, pump.eriOn),
    active,
    pending,
    prescriptions,
    refills,
    appointments,
    events,
    standing,
    bookedRefillOn,
    nextReview: { dueOn: review.dueOn, label: reviewLabel(rules.reviewSchedule, review.index) },
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
