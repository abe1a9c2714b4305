import { randomUUID } from 'node:crypto';
import {
  outcomeBar,
  validateFirstAppointmentOutcome,
  type OutcomeBar,
} from '../domain/first-appointment-outcome.ts';
import { formatPlainDate } from '../domain/calendar-date.ts';
import { roleHasPermission, type Role } from '../domain/roles.ts';
import {
  endBookedAppointment,
  findAppointmentById,
  type Appointment,
} from '../storage/appointments.repository.ts';
import type { Trx } from '../storage/database.ts';
import {
  findOutcomeForAppointment,
  insertFirstAppointmentOutcome,
  type FirstAppointmentOutcome,
} from '../storage/first-appointment-outcomes.repository.ts';
import { findPatientById } from '../storage/patients.repository.ts';
import { findReferralById } from '../storage/referrals.repository.ts';
import { findUserById } from '../storage/users.repository.ts';
import { AppError, refused, validationError } from './app-error.ts';
import { actorEvent, appendAudit, type Actor } from './audit-service.ts';
import { today } from './clock.ts';
import { issueClinicLetter } from './letter-service.ts';
import { letterDeps, type ReferralServiceDeps } from './referral-service.ts';
import { uniqueConflict } from './unique-conflicts.ts';

function refusalFor(bar: OutcomeBar, appointment: Appointment): AppError {
  switch (bar) {
    case 'FIRST_APPOINTMENT_CANCELLED':
      return refused(bar, 'This appointment was cancelled: there is no outcome to record');
    case 'FIRST_APPOINTMENT_NOT_YET_DUE':
      return refused(
        bar,
        `This appointment is on ${formatPlainDate(appointment.date)}: its outcome can be recorded on or after that day`,
      );
    case 'FIRST_APPOINTMENT_NEXT_STEP_RECORDED':
      return refused(bar, 'This appointment already has its next step recorded, with its clinic letter');
  }
}

/** The booked appointment becomes attended, with the summary as its outcome note. */
async function markAttended(
  trx: Trx,
  deps: ReferralServiceDeps,
  actor: Actor,
  appointment: Appointment,
  summary: string,
): Promise<void> {
  const ok = await endBookedAppointment(trx, appointment.id, appointment.version, {
    state: 'attended',
    outcomeNote: summary,
    outcomeAt: deps.clock.now().toISOString(),
    outcomeBy: actor.userId,
  });
  if (!ok) {
    throw new AppError('STALE_EDIT', 'Someone changed this appointment while you were saving. Reload it.');
  }
}

/**
 * Records what a first appointment decided as a next step, with the clinic letter to the patient
 * (copied to the referrer), in one transaction: the appointment is marked attended if it was
 * still booked, the outcome is kept once, the letter made, and both audited. Only consultants
 * and nurse specialists (`appointment:outcome`), checked here as well as on the route.
 */
export async function recordFirstAppointmentOutcome(
  deps: ReferralServiceDeps,
  actor: Actor,
  appointmentId: string,
  expectedVersion: number | null,
  raw: unknown,
): Promise<FirstAppointmentOutcome & { readonly patientId: string }> {
  if (!roleHasPermission(actor.role as Role, 'appointment:outcome')) {
    throw new AppError(
      'FORBIDDEN',
      'Only consultants and nurse specialists record the outcome of a first appointment',
    );
  }
  const result = validateFirstAppointmentOutcome(raw);
  if (!result.ok) {
    throw validationError(result.errors);
  }
  const input = result.value;
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const appointment = await findAppointmentById(trx, appointmentId);
      if (!appointment) {
        throw new AppError('NOT_FOUND', 'Appointment not found');
      }
      const recorded = await findOutcomeForAppointment(trx, appointmentId);
      const bar = outcomeBar(appointment, today(deps), recorded !== undefined);
      if (bar !== null) {
        throw refusalFor(bar, appointment);
      }
      if (expectedVersion !== null && appointment.version !== expectedVersion) {
        throw new AppError(
          'STALE_EDIT',
          'Someone changed this appointment after you opened it. Reload it and try again.',
        );
      }
      const referral = await findReferralById(trx, appointment.referralId);
      const patient = referral ? await findPatientById(trx, referral.patientId) : undefined;
      if (!referral || !patient) {
        throw new Error(`appointment ${appointmentId} points to a missing referral or patient`);
      }
      if (appointment.state === 'booked') {
        await markAttended(trx, deps, actor, appointment, input.summary);
      }
      const user = await findUserById(trx, actor.userId);
      const letterId = await issueClinicLetter(
        trx,
        letterDeps(deps),
        actor,
        today(deps),
        referral,
        patient,
        appointment,
        input,
        user?.displayName ?? actor.username,
      );
      const outcome: FirstAppointmentOutcome = {
        id: randomUUID(),
        appointmentId,
        referralId: referral.id,
        ...input,
        letterId,
        recordedBy: actor.userId,
        recordedAt: deps.clock.now().toISOString(),
      };
      await insertFirstAppointmentOutcome(trx, outcome);
      await appendAudit(
        trx,
        deps.clock,
        actorEvent(actor, {
          action: 'appointment.next-step',
          outcome: 'success',
          entityType: 'appointment',
          entityId: appointmentId,
          patientId: referral.patientId,
          details: { referralId: referral.id, nextStep: input.nextStep, letterId },
        }),
      );
      return { ...outcome, patientId: referral.patientId };
    });
  } catch (err) {
    // Two clinicians recording the same appointment's outcome at once: the unique key decides.
    throw uniqueConflict(err) ?? err;
  }
}
