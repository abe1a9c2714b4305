import type { Db } from '../storage/database.ts';
import type { Clock } from './clock.ts';
import type { ReferralServiceConfig } from './referral-service.ts';
import { triageQueue, type TriageQueueItem } from './triage-queue-service.ts';
import { waitingList, type WaitingListItem } from './waiting-list-service.ts';

export interface ReferralAlerts {
  /** Waiting for triage longer than TRIAGE_ALERT_WORKING_DAYS working days. */
  readonly triageOverdue: readonly TriageQueueItem[];
  /** Waits breached, booked after the target, due soon, or with an outcome overdue. */
  readonly nearingBreach: readonly WaitingListItem[];
}

/**
 * What needs attention today: the same lists the dashboard shows and the daily digest counts,
 * worked out from the pure rules (working days, assessWait) so the two never disagree.
 */
export async function referralAlerts(deps: {
  readonly db: Db;
  readonly clock: Clock;
  readonly config: ReferralServiceConfig;
}): Promise<ReferralAlerts> {
  const [queue, list] = await Promise.all([triageQueue(deps), waitingList(deps)]);
  return {
    triageOverdue: queue.filter((i) => i.overdue),
    nearingBreach: list.filter(
      (i) =>
        i.assessment.status === 'breached' ||
        i.assessment.status === 'will-breach' ||
        i.assessment.status === 'due-soon' ||
        i.assessment.outcomeOverdue,
    ),
  };
}
