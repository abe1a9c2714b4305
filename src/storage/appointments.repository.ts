import type { CancelReason } from '../domain/appointment.ts';
import type { PlainDate } from '../domain/calendar-date.ts';
import type { AppointmentState } from '../domain/waiting-target.ts';
import { compiledOnce } from './compiled-once.ts';
import type { AppointmentsTable, DbOrTrx } from './database.ts';
import { refreshReferralAppointmentFacts } from './figures/figure-facts.repository.ts';

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
  /** Booked after the referral's target, confirmed by the booker: the target date then; else null. */
  readonly beyondTargetDate: PlainDate | null;
}

function fromRow(r: AppointmentsTable): Appointment {
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
    beyondTargetDate: r.beyond_target_date as PlainDate | null,
  };
}

function toRow(a: Appointment): AppointmentsTable {
  return {
    id: a.id,
    referral_id: a.referralId,
    appointment_date: a.date,
    appointment_time: a.time,
    clinic: a.clinic,
    clinician: a.clinician,
    state: a.state,
    rebooked_from: a.rebookedFrom,
    cancel_reason: a.cancelReason,
    cancel_note: a.cancelNote,
    cancelled_at: a.cancelledAt,
    cancelled_by: a.cancelledBy,
    outcome_note: a.outcomeNote,
    outcome_at: a.outcomeAt,
    outcome_by: a.outcomeBy,
    created_at: a.createdAt,
    created_by: a.createdBy,
    version: a.version,
    beyond_target_date: a.beyondTargetDate,
  };
}

/** Writes an appointment, and its referral's first attended date for the figures, in `db`'s transaction. */
export async function insertAppointment(db: DbOrTrx, appointment: Appointment): Promise<void> {
  await db.insertInto('appointments').values(toRow(appointment)).execute();
  await refreshReferralAppointmentFacts(db, { referralId: appointment.referralId });
}

export async function findAppointmentById(db: DbOrTrx, id: string): Promise<Appointment | undefined> {
  const row = await db.selectFrom('appointments').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

export async function listAppointmentsForReferral(db: DbOrTrx, referralId: string): Promise<Appointment[]> {
  const rows = await db
    .selectFrom('appointments')
    .selectAll()
    .where('referral_id', '=', referralId)
    .orderBy('created_at', 'asc')
    .execute();
  return rows.map(fromRow);
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
      list.push(fromRow(r));
      map.set(r.referral_id, list);
    }
  }
  return map;
}

/**
 * The appointments of every referral the patient has, in one query (the patient page's,
 * compiled once), in the order appointmentsByReferral gives them, by referral.
 */
const appointmentsOfPatientReferrals = compiledOnce((db, patientId) =>
  db
    .selectFrom('appointments')
    .selectAll()
    .where('referral_id', 'in', db.selectFrom('referrals').select('id').where('patient_id', '=', patientId))
    .orderBy('created_at', 'asc'),
);

export async function appointmentsByPatientReferral(
  db: DbOrTrx,
  patientId: string,
): Promise<Map<string, Appointment[]>> {
  const rows = (await appointmentsOfPatientReferrals(db, patientId)).map(fromRow);
  return Map.groupBy(rows, (a) => a.referralId);
}

/** What ends a booking: cancelled with its reason, or attended with the outcome. */
export type BookingEnd =
  | (Pick<Appointment, 'cancelReason' | 'cancelNote' | 'cancelledAt' | 'cancelledBy'> & {
      readonly state: 'cancelled';
    })
  | (Pick<Appointment, 'outcomeNote' | 'outcomeAt' | 'outcomeBy'> & { readonly state: 'attended' });

function endToRow(end: BookingEnd): Partial<AppointmentsTable> {
  return end.state === 'cancelled'
    ? {
        state: end.state,
        cancel_reason: end.cancelReason,
        cancel_note: end.cancelNote,
        cancelled_at: end.cancelledAt,
        cancelled_by: end.cancelledBy,
      }
    : {
        state: end.state,
        outcome_note: end.outcomeNote,
        outcome_at: end.outcomeAt,
        outcome_by: end.outcomeBy,
      };
}

/** Ends a booked appointment only if it is still booked at the version the person saw. */
export async function endBookedAppointment(
  db: DbOrTrx,
  id: string,
  expectedVersion: number,
  end: BookingEnd,
): Promise<boolean> {
  const result = await db
    .updateTable('appointments')
    .set({ ...endToRow(end), version: expectedVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .where('state', '=', 'booked')
    .executeTakeFirst();
  if (result.numUpdatedRows !== 1n) {
    return false;
  }
  // The referral's first attended and earliest booked appointment may have changed (the figures').
  await refreshReferralAppointmentFacts(db, { appointmentId: id });
  return true;
}
