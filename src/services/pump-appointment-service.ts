import { randomUUID } from 'node:crypto';
import { formatPlainDate } from '../domain/calendar-date.ts';
import {
  validateAppointmentInput,
  validateAppointmentUpdate,
  validateReviewHeld,
  type PumpAppointmentInput,
} from '../domain/pump-appointment-input.ts';
import {
  findPumpAppointment,
  insertPumpAppointment,
  listPumpAppointments,
  refreshBookedRefill,
  updateAppointmentIfVersion,
  type PumpAppointment,
} from '../storage/pump-appointments.repository.ts';
import type { Trx } from '../storage/database.ts';
import { AppError, refused, validationError } from './app-error.ts';
import { actorEvent, appendAudit, type Actor } from './audit-service.ts';
import { today as serviceToday } from './clock.ts';
import { requirePermission } from './permission-check.ts';
import { loadPump, requireImplanted, savePump, type PumpServiceDeps } from './pump-store.ts';

/** Refill, review and replacement appointments of a pump. */

/** The appointment as stored, read back inside the transaction that wrote it. */
async function reload(trx: Trx, id: string): Promise<PumpAppointment> {
  const saved = await findPumpAppointment(trx, id);
  if (!saved) {
    throw new Error('appointment vanished inside its own transaction');
  }
  return saved;
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
    const appointment: PumpAppointment = {
      id,
      pumpId,
      patientId: pump.patientId,
      kind: v.kind,
      onDate: v.onDate,
      state: 'booked',
      note: v.note,
      createdBy: actor.userId,
      version: 1,
    };
    await insertPumpAppointment(trx, appointment, at);
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
    return reload(trx, id);
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
      throw refused('APPOINTMENT_NOT_BOOKED', `This appointment is already ${appt.state}`);
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
      !(await updateAppointmentIfVersion(
        trx,
        appt.id,
        appt.version,
        { state: v.state, note: v.note ?? appt.note },
        actor.userId,
        at,
      ))
    ) {
      throw new AppError(
        'STALE_EDIT',
        'This appointment was changed by someone else. Reload it and try again.',
      );
    }
    await refreshBookedRefill(trx, appt.pumpId);
    if (v.state === 'attended' && appt.kind === 'review') {
      const pump = await loadPump(trx, appt.pumpId);
      await savePump(trx, deps, actor, pump, { reviewsHeld: pump.reviewsHeld + 1 });
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
    return reload(trx, appt.id);
  });
}

/**
 * Records a review as held on the day it happened: today, or a day in the past within the
 * service's limit (REVIEW_RECORD_DAYS_BACK), never in the future (validateReviewHeld). A review
 * booked for that day is marked attended; otherwise the review is recorded as an attended
 * appointment of its own, as when a review is done at a refill visit or a missed review is seen
 * on another day. Either way the review schedule moves on by one, once: a second review on the
 * same day is refused, so one clinic is never counted twice (hazard H-070).
 */
export async function recordReviewHeld(
  deps: PumpServiceDeps,
  actor: Actor,
  pumpId: string,
  raw: unknown,
): Promise<PumpAppointment> {
  requirePermission(actor, 'refill:book', 'Only staff who book pump appointments can record a review held');
  return deps.db.transaction().execute(async (trx) => {
    const pump = await loadPump(trx, pumpId);
    requireImplanted(pump);
    const result = validateReviewHeld(raw, {
      today: serviceToday(deps),
      implantedOn: pump.implantedOn,
      daysBack: deps.config.pumpRules.reviewRecordDaysBack,
    });
    if (!result.ok) {
      throw validationError(result.errors);
    }
    const { heldOn, note } = result.value;
    const reviews = (await listPumpAppointments(trx, pumpId)).filter((a) => a.kind === 'review');
    if (reviews.some((a) => a.state === 'attended' && a.onDate === heldOn)) {
      throw refused(
        'REVIEW_ALREADY_RECORDED',
        `A review held on ${formatPlainDate(heldOn)} is already recorded for this pump`,
      );
    }
    const at = deps.clock.now().toISOString();
    const booked = reviews.find((a) => a.state === 'booked' && a.onDate === heldOn);
    let id: string;
    if (booked) {
      const changes = { state: 'attended' as const, note: note ?? booked.note };
      if (!(await updateAppointmentIfVersion(trx, booked.id, booked.version, changes, actor.userId, at))) {
        throw new AppError(
          'STALE_EDIT',
          'This appointment was changed by someone else. Reload it and try again.',
        );
      }
      id = booked.id;
    } else {
      id = randomUUID();
      await insertPumpAppointment(
        trx,
        {
          id,
          pumpId,
          patientId: pump.patientId,
          kind: 'review',
          onDate: heldOn,
          state: 'attended',
          note,
          createdBy: actor.userId,
          version: 1,
        },
        at,
      );
    }
    await savePump(trx, deps, actor, pump, { reviewsHeld: pump.reviewsHeld + 1 });
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: booked ? 'pump-appointment.update' : 'pump-appointment.book',
        outcome: 'success',
        entityType: 'pump-appointment',
        entityId: id,
        patientId: pump.patientId,
        details: { kind: 'review', state: 'attended', onDate: heldOn },
      }),
    );
    return reload(trx, id);
  });
}
