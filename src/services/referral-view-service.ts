import {
  assessWait,
  targetDayNote,
  WAITING_STATUSES,
  type TargetDayNote,
  type WaitAssessment,
} from '../domain/waiting-target.ts';
import { listAppointmentsForReferral, type Appointment } from '../storage/appointments.repository.ts';
import { listDocuments, type DocumentMeta } from '../storage/documents.repository.ts';
import {
  listOutcomesForReferral,
  type FirstAppointmentOutcome,
} from '../storage/first-appointment-outcomes.repository.ts';
import { findIntakeItemById, type IntakeItem } from '../storage/intake.repository.ts';
import { listEmailsForReferral, type OutboundEmail } from '../storage/outbox.repository.ts';
import { findPatientById, type Patient } from '../storage/patients.repository.ts';
import { findReferralById, type Referral } from '../storage/referrals.repository.ts';
import { listTriageDecisions, type TriageDecision } from '../storage/triage-decisions.repository.ts';
import { displayNames, findUserById } from '../storage/users.repository.ts';
import { AppError } from './app-error.ts';
import { actorEvent, appendAudit, type Actor } from './audit-service.ts';
import { closedDaysBetween } from './closed-days.ts';
import { today, type Clock } from './clock.ts';
import type { ReferralServiceConfig, ReferralServiceDeps } from './referral-service.ts';

/**
 * A referral as staff read it: everything that happened to it and where its wait stands, the
 * read audited in the same transaction.
 */

export interface ReferralDetail {
  readonly referral: Referral;
  readonly patient: Patient;
  readonly decisions: readonly TriageDecision[];
  readonly appointments: readonly Appointment[];
  /** The next steps recorded after its appointments, oldest first. */
  readonly outcomes: readonly FirstAppointmentOutcome[];
  readonly documents: readonly DocumentMeta[];
  readonly emails: readonly OutboundEmail[];
  readonly intakeItem: IntakeItem | null;
  readonly wait: WaitAssessment | null;
  /** The target date is not a working day: what to say beside it. */
  readonly targetNote: TargetDayNote | null;
  readonly createdByName: string;
  /** The display names of the staff the record names (who recorded, cleared, booked …), by id. */
  readonly names: ReadonlyMap<string, string>;
}

/** A referral with everything that happened to it; the view is audited with the read. */
export async function viewReferral(
  deps: ReferralServiceDeps,
  actor: Actor,
  id: string,
): Promise<ReferralDetail> {
  return deps.db.transaction().execute(async (trx) => {
    const referral = await findReferralById(trx, id);
    if (!referral) {
      throw new AppError('NOT_FOUND', 'Referral not found');
    }
    const patient = await findPatientById(trx, referral.patientId);
    if (!patient) {
      throw new Error(`referral ${id} points to a missing patient`);
    }
    const [decisions, appointments, outcomes, documents, emails, createdBy] = await Promise.all([
      listTriageDecisions(trx, id),
      listAppointmentsForReferral(trx, id),
      listOutcomesForReferral(trx, id),
      listDocuments(trx, { referralId: id }),
      listEmailsForReferral(trx, id),
      findUserById(trx, referral.createdBy),
    ]);
    const names = await displayNames(
      trx,
      [
        referral.createdBy,
        referral.check?.clearedBy,
        ...documents.map((d) => d.createdBy),
        ...appointments.flatMap((a) => [a.createdBy, a.cancelledBy, a.outcomeBy]),
        ...outcomes.map((o) => o.recordedBy),
      ].filter((u): u is string => typeof u === 'string' && u !== ''),
    );
    const intakeItem = referral.intakeItemId
      ? ((await findIntakeItemById(trx, referral.intakeItemId)) ?? null)
      : null;
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'referral.view',
        outcome: 'success',
        entityType: 'referral',
        entityId: id,
        patientId: referral.patientId,
      }),
    );
    const wait = waitFor(deps, referral, appointments);
    return {
      referral,
      patient,
      decisions,
      appointments,
      outcomes,
      documents,
      emails,
      intakeItem,
      wait,
      targetNote:
        wait && WAITING_STATUSES.includes(wait.status)
          ? targetDayNote(wait.targetDate, nonWorkingDays(deps.config, [wait.targetDate]))
          : null,
      createdByName: createdBy?.displayName ?? 'Unknown',
      names,
    };
  });
}

/**
 * England's bank holidays in the years of `dates`, and the service's own closed days, kept apart
 * so the waiting list can say which a target date falls on.
 */
export function nonWorkingDays(
  config: Pick<ReferralServiceConfig, 'closedDays'>,
  dates: readonly string[],
): { readonly bankHolidays: ReadonlySet<string>; readonly closedDays: ReadonlySet<string> } {
  const years = dates.map((d) => Number(d.slice(0, 4)));
  const bankHolidays =
    years.length === 0 ? new Set<string>() : closedDaysBetween(Math.min(...years), Math.max(...years), []);
  return { bankHolidays, closedDays: new Set(config.closedDays) };
}

export function waitFor(
  deps: { clock: Clock; config: Pick<ReferralServiceConfig, 'timeZone' | 'waiting'> },
  referral: Referral,
  appointments: readonly Appointment[],
): WaitAssessment | null {
  if (referral.state !== 'accepted' || referral.acceptedOn === null) {
    return null;
  }
  return assessWait(
    {
      priority: referral.priority,
      receivedOn: referral.receivedOn,
      acceptedOn: referral.acceptedOn,
      appointments,
    },
    today(deps),
    deps.config.waiting,
  );
}
