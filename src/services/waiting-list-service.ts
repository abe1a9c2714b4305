import {
  assessWait,
  compareByRisk,
  targetDayNote,
  WAITING_STATUSES,
  type TargetDayNote,
  type WaitAssessment,
} from '../domain/waiting-target.ts';
import { appointmentsByReferral, type Appointment } from '../storage/appointments.repository.ts';
import type { Db } from '../storage/database.ts';
import { findPatientsByIds, type Patient } from '../storage/patients.repository.ts';
import { listReferralsInState, type Referral } from '../storage/referrals.repository.ts';
import { today, type Clock } from './clock.ts';
import type { ReferralServiceConfig } from './referral-service.ts';
import { nonWorkingDays } from './referral-view-service.ts';

export interface WaitingListItem {
  readonly referral: Referral;
  readonly patient: Patient;
  readonly assessment: WaitAssessment;
  readonly booked: Appointment | null;
  /** The target date is a weekend, bank holiday or closed day: what to say beside it. */
  readonly targetNote: TargetDayNote | null;
}

/**
 * Every accepted referral still waiting for its first appointment, most at risk first. The
 * status of each is the pure function assessWait of the referral, its appointments and today's
 * date in the service's time zone. A target date that is not a working day is noted, with the
 * working day to book by; the date itself is not moved.
 */
export async function waitingList(deps: {
  readonly db: Db;
  readonly clock: Clock;
  readonly config: Pick<ReferralServiceConfig, 'timeZone' | 'waiting' | 'closedDays'>;
}): Promise<WaitingListItem[]> {
  const referrals = await listReferralsInState(deps.db, 'accepted');
  const appointments = await appointmentsByReferral(
    deps.db,
    referrals.map((r) => r.id),
  );
  const patients = await findPatientsByIds(
    deps.db,
    referrals.map((r) => r.patientId),
  );
  const t = today(deps);
  const pending: Omit<WaitingListItem, 'targetNote'>[] = [];
  for (const referral of referrals) {
    if (referral.acceptedOn === null) {
      continue;
    }
    const own = appointments.get(referral.id) ?? [];
    const assessment = assessWait(
      {
        priority: referral.priority,
        receivedOn: referral.receivedOn,
        acceptedOn: referral.acceptedOn,
        appointments: own,
      },
      t,
      deps.config.waiting,
    );
    if (!WAITING_STATUSES.includes(assessment.status)) {
      continue;
    }
    const patient = patients.get(referral.patientId);
    if (!patient) {
      continue;
    }
    pending.push({ referral, patient, assessment, booked: own.find((a) => a.state === 'booked') ?? null });
  }
  const days = nonWorkingDays(
    deps.config,
    pending.map((i) => i.assessment.targetDate),
  );
  const items: WaitingListItem[] = pending.map((i) => ({
    ...i,
    targetNote: targetDayNote(i.assessment.targetDate, days),
  }));
  return items.sort((a, b) =>
    compareByRisk(
      {
        assessment: a.assessment,
        priority: a.referral.priority ?? 'routine',
        receivedOn: a.referral.receivedOn,
      },
      {
        assessment: b.assessment,
        priority: b.referral.priority ?? 'routine',
        receivedOn: b.referral.receivedOn,
      },
    ),
  );
}
