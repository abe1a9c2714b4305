import { randomUUID } from 'node:crypto';
import {
  validateAppointmentInput,
  validateCancelInput,
  validateOutcomeInput,
  type AppointmentInput,
  type CancelInput,
} from '../domain/appointment.ts';
import { checkBeyondTarget } from '../domain/booking-beyond-target.ts';
import { formatPlainDate, type PlainDate } from '../domain/calendar-date.ts';
import { firstAppointmentBar, type BookingBar } from '../domain/first-appointment.ts';
import { waitTarget } from '../domain/waiting-target.ts';
import type { Db, Trx } from '../storage/database.ts';
import {
  findAppointmentById,
  insertAppointment,
  endBookedAppointment,
  type Appointment,
} from '../storage/appointments.repository.ts';
import { appointmentsWithNextSteps } from '../storage/first-appointment-outcomes.repository.ts';
import { findPatientById } from '../storage/patients.repository.ts';
import { findReferralById, type Referral } from '../storage/referrals.repository.ts';
import { findUserById } from '../storage/users.repository.ts';
import { AppError, refused, validationError } from './app-error.ts';
import { actorEvent, appendAudit, type Actor } from './audit-service.ts';
import { issueAppointmentLetter } from './letter-service.ts';
import { letterDeps, type ReferralServiceDeps } from './referral-service.ts';
import { today } from './clock.ts';

/** The appointment as saved, read back in the same transaction. */
async function reread(trx: Trx, id: string): Promise<Appointment> {
  const saved = await findAppointmentById(trx, id);
  if (!saved) {
    throw new Error(`appointment ${id} vanished inside its own transaction`);
  }
  return saved;
}

async function loadReferral(trx: Trx, id: string): Promise<Referral> {
  const referral = await findReferralById(trx, id);
  if (!referral) {
    throw new AppError('NOT_FOUND', 'Referral not found');
  }
  return referral;
}

const BOOKING_REFUSALS: Readonly<Record<BookingBar, string>> = {
  REFERRAL_NOT_ACCEPTED: 'Only an accepted referral can have an appointment booked',
  FIRST_APPOINTMENT_ATTENDED: 'The patient has already attended their first appointment',
  FIRST_APPOINTMENT_ALREADY_BOOKED:
    'This referral already has an appointment booked. Rebook or cancel it instead of booking another.',
};

/** A first appointment can be booked only for an accepted referral with none booked or attended. */
function checkBookable(
  referral: Referral,
  appointments: readonly (Appointment & { readonly nextStep: string | null })[],
): void {
  const bar = firstAppointmentBar(referral.state, appointments);
  if (bar !== null) {
    throw refused(bar, BOOKING_REFUSALS[bar]);
  }
}

/**
 * A booking after the referral's target date is refused unless the booker confirmed it
 * (`confirmBeyondTarget: true`; booking-beyond-target.ts). The target date confirmed past, or
 * null for a booking within the target.
 */
function beyondTarget(
  deps: ReferralServiceDeps,
  referral: Referral,
  date: PlainDate,
  raw: unknown,
): PlainDate | null {
  if (referral.acceptedOn === null) {
    return null;
  }
  const { targetDate } = waitTarget(
    { priority: referral.priority, receivedOn: referral.receivedOn, acceptedOn: referral.acceptedOn },
    deps.config.waiting,
  );
  const confirmed =
    typeof raw === 'object' && raw !== null && (raw as Record<string, unknown>).confirmBeyondTarget === true;
  const check = checkBeyondTarget(date, targetDate, confirmed);
  if (check.kind === 'unconfirmed') {
    throw validationError([check.error]);
  }
  return check.kind === 'confirmed' ? check.targetDate : null;
}

/** What the booking's audit row adds when it was confirmed beyond the target. */
function beyondTargetDetails(targetDate: PlainDate | null): Record<string, unknown> {
  return targetDate ? { beyondTarget: { targetDate, confirmed: true } } : {};
}

function validateBooking(deps: ReferralServiceDeps, referral: Referral, raw: unknown): AppointmentInput {
  const result = validateAppointmentInput(raw, { receivedOn: referral.receivedOn, today: today(deps) });
  if (!result.ok) {
    throw validationError(result.errors);
  }
  return result.value;
}

async function insertBooking(
  trx: Trx,
  deps: ReferralServiceDeps,
  actor: Actor,
  referral: Referral,
  input: AppointmentInput,
  rebookedFrom: string | null,
  beyondTargetDate: PlainDate | null,
): Promise<Appointment> {
  const id = randomUUID();
  const at = deps.clock.now().toISOString();
  await insertAppointment(trx, {
    id,
    referralId: referral.id,
    date: input.date,
    time: input.time,
    clinic: input.clinic,
    clinician: input.clinician,
    state: 'booked',
    rebookedFrom,
    cancelReason: null,
    cancelNote: null,
    cancelledAt: null,
    cancelledBy: null,
    outcomeNote: null,
    outcomeAt: null,
    outcomeBy: null,
    createdAt: at,
    createdBy: actor.userId,
    version: 1,
    beyondTargetDate,
  });
  const patient = await findPatientById(trx, referral.patientId);
  const user = await findUserById(trx, actor.userId);
  if (!patient) {
    throw new Error('patient vanished while booking');
  }
  await issueAppointmentLetter(
    trx,
    letterDeps(deps),
    actor,
    today(deps),
    referral,
    patient,
    input,
    user?.displayName ?? actor.username,
  );
  return reread(trx, id);
}

export async function bookAppointment(
  deps: ReferralServiceDeps,
  actor: Actor,
  referralId: string,
  raw: unknown,
): Promise<Appointment> {
  return deps.db.transaction().execute(async (trx) => {
    const referral = await loadReferral(trx, referralId);
    const input = validateBooking(deps, referral, raw);
    // An attended appointment whose next step is "rebook" leaves room for the next one.
    checkBookable(referral, await appointmentsWithNextSteps(trx, referralId));
    const targetDate = beyondTarget(deps, referral, input.date, raw);
    const appointment = await insertBooking(trx, deps, actor, referral, input, null, targetDate);
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'appointment.book',
        outcome: 'success',
        entityType: 'appointment',
        entityId: appointment.id,
        patientId: referral.patientId,
        details: { referralId, date: input.date, ...beyondTargetDetails(targetDate) },
      }),
    );
    return appointment;
  });
}

async function loadBooked(
  trx: Trx,
  id: string,
  expectedVersion: number | null,
): Promise<{ appointment: Appointment; referral: Referral }> {
  const appointment = await findAppointmentById(trx, id);
  if (!appointment) {
    throw new AppError('NOT_FOUND', 'Appointment not found');
  }
  if (appointment.state === 'cancelled') {
    throw refused('FIRST_APPOINTMENT_CANCELLED', 'This appointment has already been cancelled');
  }
  if (appointment.state !== 'booked') {
    throw refused('FIRST_APPOINTMENT_OUTCOME_RECORDED', 'This appointment already has its outcome recorded');
  }
  if (expectedVersion !== null && appointment.version !== expectedVersion) {
    throw new AppError(
      'STALE_EDIT',
      'Someone changed this appointment after you opened it. Reload it and try again.',
    );
  }
  return { appointment, referral: await loadReferral(trx, appointment.referralId) };
}

async function cancelInTrx(
  trx: Trx,
  deps: ReferralServiceDeps,
  actor: Actor,
  appointment: Appointment,
  input: CancelInput,
): Promise<void> {
  const at = deps.clock.now().toISOString();
  const ok = await endBookedAppointment(trx, appointment.id, appointment.version, {
    state: 'cancelled',
    cancelReason: input.cancelReason,
    cancelNote: input.cancelNote,
    cancelledAt: at,
    cancelledBy: actor.userId,
  });
  if (!ok) {
    throw new AppError('STALE_EDIT', 'Someone changed this appointment while you were saving. Reload it.');
  }
}

function validateCancel(raw: unknown): CancelInput {
  const result = validateCancelInput(raw);
  if (!result.ok) {
    throw validationError(result.errors);
  }
  return result.value;
}

/** Cancels a booked appointment with its reason; the referral goes back to waiting unbooked. */
export async function cancelAppointment(
  deps: ReferralServiceDeps,
  actor: Actor,
  id: string,
  expectedVersion: number | null,
  raw: unknown,
): Promise<Appointment> {
  const input = validateCancel(raw);
  return deps.db.transaction().execute(async (trx) => {
    const { appointment, referral } = await loadBooked(trx, id, expectedVersion);
    if (input.cancelReason === 'did-not-attend' && appointment.date > today(deps)) {
      throw validationError([
        {
          field: 'cancelReason',
          message: `The patient cannot have missed an appointment that is on ${formatPlainDate(appointment.date)}, in the future`,
        },
      ]);
    }
    await cancelInTrx(trx, deps, actor, appointment, input);
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'appointment.cancel',
        outcome: 'success',
        entityType: 'appointment',
        entityId: id,
        patientId: referral.patientId,
        details: { referralId: referral.id, reason: input.cancelReason },
      }),
    );
    return reread(trx, id);
  });
}

/**
 * Moves a booked appointment: the old one is cancelled with its reason and the new one booked in
 * one transaction, so the referral is never left with two bookings or none by accident.
 */
export async function rebookAppointment(
  deps: ReferralServiceDeps,
  actor: Actor,
  id: string,
  expectedVersion: number | null,
  raw: Record<string, unknown>,
): Promise<Appointment> {
  return deps.db.transaction().execute(async (trx) => {
    const { appointment, referral } = await loadBooked(trx, id, expectedVersion);
    const cancel = validateCancelInput(raw);
    const booking = validateAppointmentInput(raw, { receivedOn: referral.receivedOn, today: today(deps) });
    const errors = [...(cancel.ok ? [] : cancel.errors), ...(booking.ok ? [] : booking.errors)];
    if (!cancel.ok || !booking.ok) {
      throw validationError(errors);
    }
    if (cancel.value.cancelReason === 'did-not-attend') {
      throw validationError([
        {
          field: 'cancelReason',
          message: 'To record that the patient did not attend, cancel the appointment, then book a new one',
        },
      ]);
    }
    const targetDate = beyondTarget(deps, referral, booking.value.date, raw);
    await cancelInTrx(trx, deps, actor, appointment, cancel.value);
    const next = await insertBooking(trx, deps, actor, referral, booking.value, appointment.id, targetDate);
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'appointment.rebook',
        outcome: 'success',
        entityType: 'appointment',
        entityId: next.id,
        patientId: referral.patientId,
        details: {
          referralId: referral.id,
          previousAppointmentId: appointment.id,
          reason: cancel.value.cancelReason,
          from: appointment.date,
          to: booking.value.date,
          ...beyondTargetDetails(targetDate),
        },
      }),
    );
    return next;
  });
}

/** Records that the patient attended, with the outcome in the clinician's words. */
export async function recordOutcome(
  deps: ReferralServiceDeps,
  actor: Actor,
  id: string,
  expectedVersion: number | null,
  raw: unknown,
): Promise<Appointment> {
  const result = validateOutcomeInput(raw);
  if (!result.ok) {
    throw validationError(result.errors);
  }
  return deps.db.transaction().execute(async (trx) => {
    const { appointment, referral } = await loadBooked(trx, id, expectedVersion);
    if (appointment.date > today(deps)) {
      throw refused(
        'FIRST_APPOINTMENT_NOT_YET_DUE',
        `This appointment is on ${formatPlainDate(appointment.date)}: an outcome can be recorded on or after that day`,
      );
    }
    const ok = await endBookedAppointment(trx, id, appointment.version, {
      state: 'attended',
      outcomeNote: result.value.outcomeNote,
      outcomeAt: deps.clock.now().toISOString(),
      outcomeBy: actor.userId,
    });
    if (!ok) {
      throw new AppError('STALE_EDIT', 'Someone changed this appointment while you were saving. Reload it.');
    }
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'appointment.outcome',
        outcome: 'success',
        entityType: 'appointment',
        entityId: id,
        patientId: referral.patientId,
        details: { referralId: referral.id },
      }),
    );
    return reread(trx, id);
  });
}

/** A first appointment, for the pages that rebook, cancel or record its outcome. */
export async function findAppointment(deps: { readonly db: Db }, id: string): Promise<Appointment> {
  const appointment = await findAppointmentById(deps.db, id);
  if (!appointment) {
    throw new AppError('NOT_FOUND', 'Appointment not found');
  }
  return appointment;
}
