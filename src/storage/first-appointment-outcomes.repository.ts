import type { NextStep } from '../domain/first-appointment-outcome.ts';
import { listAppointmentsForReferral, type Appointment } from './appointments.repository.ts';
import { compiledOnce } from './compiled-once.ts';
import type { DbOrTrx } from './database.ts';
import type { FirstAppointmentOutcomesTable } from './first-appointment-outcome-tables.ts';

/** The next step recorded after a first appointment. */
export interface FirstAppointmentOutcome {
  readonly id: string;
  readonly appointmentId: string;
  readonly referralId: string;
  readonly nextStep: NextStep;
  readonly summary: string;
  readonly referTo: string | null;
  readonly letterId: string;
  readonly recordedBy: string;
  readonly recordedAt: string;
}

function toRow(o: FirstAppointmentOutcome): FirstAppointmentOutcomesTable {
  return {
    id: o.id,
    appointment_id: o.appointmentId,
    referral_id: o.referralId,
    next_step: o.nextStep,
    summary: o.summary,
    refer_to: o.referTo,
    letter_id: o.letterId,
    recorded_by: o.recordedBy,
    recorded_at: o.recordedAt,
  };
}

function fromRow(r: FirstAppointmentOutcomesTable): FirstAppointmentOutcome {
  return {
    id: r.id,
    appointmentId: r.appointment_id,
    referralId: r.referral_id,
    nextStep: r.next_step as NextStep,
    summary: r.summary,
    referTo: r.refer_to,
    letterId: r.letter_id,
    recordedBy: r.recorded_by,
    recordedAt: r.recorded_at,
  };
}

export async function insertFirstAppointmentOutcome(
  db: DbOrTrx,
  outcome: FirstAppointmentOutcome,
): Promise<void> {
  await db.insertInto('first_appointment_outcomes').values(toRow(outcome)).execute();
}

export async function findOutcomeForAppointment(
  db: DbOrTrx,
  appointmentId: string,
): Promise<FirstAppointmentOutcome | undefined> {
  const row = await db
    .selectFrom('first_appointment_outcomes')
    .selectAll()
    .where('appointment_id', '=', appointmentId)
    .executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

/** Every outcome recorded on a referral's appointments, oldest first. */
export async function listOutcomesForReferral(
  db: DbOrTrx,
  referralId: string,
): Promise<FirstAppointmentOutcome[]> {
  const rows = await db
    .selectFrom('first_appointment_outcomes')
    .selectAll()
    .where('referral_id', '=', referralId)
    .orderBy('recorded_at', 'asc')
    .execute();
  return rows.map(fromRow);
}

/** A referral's appointments, each with the next step recorded on it (null when none). */
export async function appointmentsWithNextSteps(
  db: DbOrTrx,
  referralId: string,
): Promise<(Appointment & { readonly nextStep: NextStep | null })[]> {
  const [appointments, outcomes] = await Promise.all([
    listAppointmentsForReferral(db, referralId),
    listOutcomesForReferral(db, referralId),
  ]);
  return appointments.map((a) => ({
    ...a,
    nextStep: outcomes.find((o) => o.appointmentId === a.id)?.nextStep ?? null,
  }));
}

/** The outcomes recorded on these referrals' appointments, oldest first. */
export async function outcomesForReferrals(
  db: DbOrTrx,
  referralIds: readonly string[],
): Promise<FirstAppointmentOutcome[]> {
  const out: FirstAppointmentOutcome[] = [];
  for (let i = 0; i < referralIds.length; i += 500) {
    const rows = await db
      .selectFrom('first_appointment_outcomes')
      .selectAll()
      .where('referral_id', 'in', referralIds.slice(i, i + 500))
      .orderBy('recorded_at', 'asc')
      .execute();
    out.push(...rows.map(fromRow));
  }
  return out;
}

/**
 * The outcomes recorded for every referral the patient has, in one query (the patient page's,
 * compiled once), in the order outcomesForReferrals gives them.
 */
const outcomesOfPatientReferrals = compiledOnce((db, patientId) =>
  db
    .selectFrom('first_appointment_outcomes')
    .selectAll()
    .where('referral_id', 'in', db.selectFrom('referrals').select('id').where('patient_id', '=', patientId))
    .orderBy('recorded_at', 'asc'),
);

export async function outcomesForPatientReferrals(
  db: DbOrTrx,
  patientId: string,
): Promise<FirstAppointmentOutcome[]> {
  return (await outcomesOfPatientReferrals(db, patientId)).map(fromRow);
}
