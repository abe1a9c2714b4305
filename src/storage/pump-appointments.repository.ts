import type { PlainDate } from '../domain/calendar-date.ts';
import type { AppointmentKind, PumpAppointmentState } from '../domain/pump-appointment-input.ts';
import { compiledOnce } from './compiled-once.ts';
import type { DbOrTrx, PumpAppointmentsTable } from './database.ts';
import {
  cancelPendingReminders,
  cancelRemindersOfUnbookedAppointments,
} from './reminder-outbox.repository.ts';

/** Refill, review and replacement appointments of a pump, and the booked refill date they set. */

export interface PumpAppointment {
  readonly id: string;
  readonly pumpId: string;
  readonly patientId: string;
  readonly kind: AppointmentKind;
  readonly onDate: PlainDate;
  readonly state: PumpAppointmentState;
  readonly note: string | null;
  readonly createdBy: string;
  readonly version: number;
}

/** What a change to an appointment may set: how it went, and its note. */
export type PumpAppointmentChanges = Pick<PumpAppointment, 'state' | 'note'>;

function fromRow(r: PumpAppointmentsTable): PumpAppointment {
  return {
    id: r.id,
    pumpId: r.pump_id,
    patientId: r.patient_id,
    kind: r.kind as AppointmentKind,
    onDate: r.on_date as PlainDate,
    state: r.state as PumpAppointmentState,
    note: r.note,
    createdBy: r.created_by,
    version: r.version,
  };
}

/** A new appointment's row, made by its booker at `at`. */
function toRow(a: PumpAppointment, at: string): PumpAppointmentsTable {
  return {
    id: a.id,
    pump_id: a.pumpId,
    patient_id: a.patientId,
    kind: a.kind,
    on_date: a.onDate,
    state: a.state,
    note: a.note,
    created_at: at,
    created_by: a.createdBy,
    updated_at: at,
    updated_by: a.createdBy,
    version: a.version,
  };
}

export async function insertPumpAppointment(
  db: DbOrTrx,
  appointment: PumpAppointment,
  at: string,
): Promise<void> {
  await db.insertInto('pump_appointments').values(toRow(appointment, at)).execute();
}

export async function findPumpAppointment(db: DbOrTrx, id: string): Promise<PumpAppointment | null> {
  const row = await db.selectFrom('pump_appointments').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? fromRow(row) : null;
}

export async function listPumpAppointments(db: DbOrTrx, pumpId: string): Promise<PumpAppointment[]> {
  const rows = await db
    .selectFrom('pump_appointments')
    .selectAll()
    .where('pump_id', '=', pumpId)
    .orderBy('on_date', 'desc')
    .execute();
  return rows.map(fromRow);
}

/**
 * The appointments of every pump the patient has or had, in one query (the patient page's, compiled
 * once), in the same order as the per-pump list; the caller groups them by pump.
 */
const pumpAppointmentsOfPatientPumps = compiledOnce((db, patientId) =>
  db
    .selectFrom('pump_appointments')
    .selectAll()
    .where('pump_id', 'in', db.selectFrom('pumps').select('id').where('patient_id', '=', patientId))
    .orderBy('on_date', 'desc'),
);

export async function listPumpAppointmentsForPatientPumps(
  db: DbOrTrx,
  patientId: string,
): Promise<PumpAppointment[]> {
  return (await pumpAppointmentsOfPatientPumps(db, patientId)).map(fromRow);
}

/** Updates the appointment only if nobody else has since (optimistic locking); false when stale. */
export async function updateAppointmentIfVersion(
  db: DbOrTrx,
  id: string,
  version: number,
  changes: PumpAppointmentChanges,
  by: string,
  at: string,
): Promise<boolean> {
  const result = await db
    .updateTable('pump_appointments')
    .set({ state: changes.state, note: changes.note, updated_at: at, updated_by: by, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  const updated = Number(result.numUpdatedRows) === 1;
  // An appointment no longer booked must not be reminded of (hazard H-160): its unsent
  // reminders are cancelled here, in the caller's transaction, whichever service changed it.
  if (updated && changes.state !== 'booked') {
    await cancelPendingReminders(db, { appointmentId: id }, `appointment ${changes.state}`);
  }
  return updated;
}

/**
 * Keeps the pump's earliest booked refill date in step with its appointments; called in the same
 * transaction as every booking, update and settlement. Derived, so the version is left alone.
 */
export async function refreshBookedRefill(db: DbOrTrx, pumpId: string): Promise<void> {
  const row = await db
    .selectFrom('pump_appointments')
    .select((eb) => eb.fn.min<string | null>('on_date').as('first_on'))
    .where('pump_id', '=', pumpId)
    .where('kind', '=', 'refill')
    .where('state', '=', 'booked')
    .executeTakeFirst();
  await db
    .updateTable('pumps')
    .set({ refill_booked_on: row?.first_on ?? null })
    .where('id', '=', pumpId)
    .execute();
}

/** Cancels every appointment still booked for a pump that has ended (explant, death, transfer, replacement). */
export async function cancelBookedAppointments(
  db: DbOrTrx,
  pumpId: string,
  note: string,
  by: string,
  at: string,
): Promise<number> {
  const result = await db
    .updateTable('pump_appointments')
    .set((eb) => ({
      state: 'cancelled',
      note,
      updated_at: at,
      updated_by: by,
      version: eb('version', '+', 1),
    }))
    .where('pump_id', '=', pumpId)
    .where('state', '=', 'booked')
    .executeTakeFirst();
  await cancelRemindersOfUnbookedAppointments(db, pumpId, 'appointment cancelled');
  return Number(result.numUpdatedRows);
}

/** Booked refill appointments on or before `date`: settled when a refill on `date` is signed. */
export async function bookedRefillsOnOrBefore(
  db: DbOrTrx,
  pumpId: string,
  date: PlainDate,
): Promise<PumpAppointment[]> {
  const rows = await db
    .selectFrom('pump_appointments')
    .selectAll()
    .where('pump_id', '=', pumpId)
    .where('kind', '=', 'refill')
    .where('state', '=', 'booked')
    .where('on_date', '<=', date)
    .execute();
  return rows.map(fromRow);
}
