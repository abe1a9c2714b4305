import type { CancelReason } from '../domain/appointment.ts';
import type { PlainDate } from '../domain/calendar-date.ts';
import type { AppointmentState } from '../domain/waiting-target.ts';
import type { AppointmentsTable, DbOrTrx } from './database.ts';

export interface Appointment {
  readonly id: string;
  readonly referralId: string;
  readonly date: PlainDate;
  readonly time: string;
  readonly clinic: string;
  readonly clinician: string;
  readonly state: AppointmentState;
  readonly rebookedFrom: string | null;
  readonly cancelReason: CancelReason | null;
  readonly cancelNote: string | null;
  readonly cancelledAt: string | null;
  readonly cancelledBy: string | null;
  readonly outcomeNote: string | null;
  readonly outcomeAt: string | null;
  readonly outcomeBy: string | null;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly version: number;
}

function rowToAppointment(r: AppointmentsTable): Appointment {
  return {
    id: r.id,
    referralId: r.referral_id,
    date: r.appointment_date as PlainDate,
    time: r.appointment_time,
    clinic: r.clinic,
    clinician: r.clinician,
    state: r.state as AppointmentState,
    rebookedFrom: r.rebooked_from,
    cancelReason: r.cancel_reason as CancelReason | null,
    cancelNote: r.cancel_note,
    cancelledAt: r.cancelled_at,
    cancelledBy: r.cancelled_by,
    outcomeNote: r.outcome_note,
    outcomeAt: r.outcome_at,
    outcomeBy: r.outcome_by,
    createdAt: r.created_at,
    createdBy: r.created_by,
    version: r.version,
  };
}

export async function insertAppointment(db: DbOrTrx, row: AppointmentsTable): Promise<void> {
  await db.insertInto('appointments').values(row).execute();
}

export async function findAppointmentById(db: DbOrTrx, id: string): Promise<Appointment | undefined> {
  const row = await db.selectFrom('appointments').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? rowToAppointment(row) : undefined;
}

export async function listAppointmentsForReferral(db: DbOrTrx, referralId: string): Promise<Appointment[]> {
  const rows = await db
    .selectFrom('appointments')
    .selectAll()
    .where('referral_id', '=', referralId)
    .orderBy('created_at', 'asc')
    .execute();
  return rows.map(rowToAppointment);
}

/** Appointments of many referrals at once (the waiting list), grouped by referral. */
export async function appointmentsByReferral(
  db: DbOrTrx,
  referralIds: readonly string[],
): Promise<Map<string, Appointment[]>> {
  const map = new Map<string, Appointment[]>();
  for (let i = 0; i < referralIds.length; i += 500) {
    const chunk = referralIds.slice(i, i + 500);
    const rows = await db
      .selectFrom('appointments')
      .selectAll()
      .where('referral_id', 'in', chunk)
      .orderBy('created_at', 'asc')
      .execute();
    for (const r of rows) {
      const list = map.get(r.referral_id) ?? [];
      list.push(rowToAppointment(r));
      map.set(r.referral_id, list);
    }
  }
  return map;
}

/** Changes a booked appointment only if it is still booked at the version the person saw. */
export async function updateBookedAppointment(
  db: DbOrTrx,
  id: string,
  expectedVersion: number,
  set: Partial<
    Pick<
      AppointmentsTable,
      | 'state'
      | 'cancel_reason'
      | 'cancel_note'
      | 'cancelled_at'
      | 'cancelled_by'
      | 'outcome_note'
      | 'outcome_at'
      | 'outcome_by'
    >
  >,
): Promise<boolean> {
  const result = await db
    .updateTable('appointments')
    .set({ ...set, version: expectedVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .where('state', '=', 'booked')
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}
