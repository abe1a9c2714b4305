import type { AppConfig } from '../config.ts';
import type { Db } from '../storage/database.ts';
import { countIntakeItems } from '../storage/intake.repository.ts';
import type { JobRun } from '../storage/jobs.repository.ts';
import type { Clock } from './clock.ts';
import { DAILY_CHECK_JOB } from './daily-check-service.ts';
import { lastJobRun } from './job-run-service.ts';
import { referralAlerts, type ReferralAlerts } from './referral-alerts.ts';

export interface ReferralDashboard {
  readonly alerts: ReferralAlerts;
  /** Emails taken in from the mailbox, waiting to be confirmed as referrals. */
  readonly newEmails: number;
  /** The daily check's last run, shown beside the flags. */
  readonly lastDailyCheck: JobRun | null;
}

/**
 * The home page's referral flags, worked out live from the same rules the daily check uses, so
 * they are never a day stale; the daily check's last run is shown beside them.
 */
export async function referralDashboard(deps: {
  readonly db: Db;
  readonly clock: Clock;
  readonly config: AppConfig;
}): Promise<ReferralDashboard> {
  return {
    alerts: await referralAlerts(deps),
    newEmails: await countIntakeItems(deps.db, 'new'),
    lastDailyCheck: await lastJobRun(deps, DAILY_CHECK_JOB),
  };
}
