import { daysBetween } from '../domain/calendar-date.ts';
import { checkReasonText, needsChecking } from '../domain/referral-check.ts';
import { workingDaysAfter } from '../domain/working-days.ts';
import { findPatientsByIds, type Patient } from '../storage/patients.repository.ts';
import { listReferralsInState, type Referral } from '../storage/referrals.repository.ts';
import { closedDaysBetween } from './closed-days.ts';
import { today } from './clock.ts';
import type { ReferralServiceDeps } from './referral-service.ts';

export interface TriageQueueItem {
  readonly referral: Referral;
  readonly patient: Patient;
  readonly daysWaiting: number;
  readonly workingDaysWaiting: number;
  readonly overdue: boolean;
  /** Why the referral needs a consultant's check before it can be accepted; null when it does not. */
  readonly needsCheck: string | null;
}

/** Referrals waiting for triage, oldest first, with how long each has waited. */
export async function triageQueue(deps: ReferralServiceDeps): Promise<TriageQueueItem[]> {
  const referrals = await listReferralsInState(deps.db, 'awaiting-triage');
  const t = today(deps);
  const firstYear = Math.min(
    Number(t.slice(0, 4)),
    ...referrals.map((r) => Number(r.receivedOn.slice(0, 4))),
  );
  const closed = closedDaysBetween(firstYear, Number(t.slice(0, 4)), deps.config.closedDays);
  const patients = await findPatientsByIds(
    deps.db,
    referrals.map((r) => r.patientId),
  );
  const items: TriageQueueItem[] = [];
  for (const referral of referrals) {
    const patient = patients.get(referral.patientId);
    if (!patient) {
      continue;
    }
    const workingDaysWaiting = workingDaysAfter(referral.receivedOn, t, closed);
    items.push({
      referral,
      patient,
      daysWaiting: daysBetween(referral.receivedOn, t),
      workingDaysWaiting,
      overdue: workingDaysWaiting > deps.config.triageAlertWorkingDays,
      needsCheck:
        referral.check && needsChecking(referral.check)
          ? checkReasonText(referral.check.reason, referral)
          : null,
    });
  }
  return items;
}
