import { randomUUID } from 'node:crypto';
import {
  validateAppointmentInput,
  validateAppointmentUpdate,
  type PumpAppointmentInput,
} from '../domain/pump-appointment-input.ts';
import {
  findPumpAppointment,
  insertPumpAppointment,
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
