import type { AppDeps } from '../compose.ts';
import { actorEvent, appendAudit } from '../services/audit-service.ts';
import { todayIn } from '../services/clock.ts';
import { queueEmail } from '../services/outbox-service.ts';
import { referralAlerts } from '../services/referral-alerts.ts';
import { refillWorklist } from '../services/worklist-service.ts';
import { countPendingEndRequests } from '../storage/pump-lifecycle.repository.ts';
import { countUnsignedRefills, countWithdrawalRiskRefills } from '../storage/refills.repository.ts';
import { previousJobRun } from '../storage/jobs.repository.ts';
import { runOnce, type JobResult } from './job-runner.ts';

export const DAILY_CHECK_JOB = 'daily-referral-check';

export interface DailyCheckSummary {
  readonly triageOverdue: number;
  readonly nearingBreach: number;
  readonly breached: number;
  /** Pumps with no refill booked before the due date (overdue, no fill recorded, late or not booked). */
  readonly refillsEscalated: number;
  readonly refillsOverdue: number;
  /** Refills done but not yet checked and signed by a second clinician. */
  readonly refillsAwaitingCheck: number;
  /** Refills recorded since the last check that found the pump ran dry or came on or after its alarm date. */
  readonly refillsWithdrawalRisk: number;
  readonly reviewsDue: number;
  readonly replacementsDue: number;
  /** Paused pumps whose resume date has come with the pause still open (escalated). */
  readonly pausesPastResume: number;
  /** Requests to end a pump (explant, death, transfer) or correct an end, waiting for a second clinician. */
  readonly endRequestsAwaiting: number;
  readonly digestQueued: boolean;
}

/** Local time of day in the service's time zone, as HH:MM. */
function localTime(now: Date, timeZone: string): string {
  return now.toLocaleTimeString('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

/**
 * The daily check: flags referrals waiting too long for triage and waits nearing breach. It
 * runs once a day per database (the day's date is its run key), after DAILY_CHECK_TIME. The
 * digest email carries counts and a link, never patient details, since email may leave NHSmail.
 */
export async function dailyReferralCheck(
  deps: AppDeps,
  options: { readonly force?: boolean } = {},
): Promise<JobResult<DailyCheckSummary>> {
  const now = deps.clock.now();
  const { config } = deps;
  if (!options.force && localTime(now, config.timeZone) < config.dailyCheckTime) {
    return { ran: false };
  }
  const day = todayIn(deps.clock, config.timeZone);
  const db = deps.database.db;
  return runOnce({ db, clock: deps.clock }, DAILY_CHECK_JOB, day, async () => {
    const alerts = await referralAlerts({ db, clock: deps.clock, config });
    // A pump without a refill booked before its due date is in every day's digest until it is
    // booked (nothing falls off the list; hazard H-017).
    const worklist = await refillWorklist({ db, clock: deps.clock, config }, { limit: 0 });
    // A pause left open past its resume date may mean a patient without drug (hazard H-037); a
    // request to end a pump keeps it on the list until a second clinician decides (H-035).
    const pausesPastResume = worklist.counts['resume-overdue'];
    const requests = await countPendingEndRequests(db);
    const breached = alerts.nearingBreach.filter((i) => i.assessment.status === 'breached').length;
    const digestQueued = config.smtp !== null && config.digestTo.length > 0;
    const summary: DailyCheckSummary = {
      triageOverdue: alerts.triageOverdue.length,
      nearingBreach: alerts.nearingBreach.length,
      breached,
      refillsEscalated: worklist.escalated - pausesPastResume,
      refillsOverdue: worklist.counts.overdue,
      refillsAwaitingCheck: await countUnsignedRefills(db),
      // Each a patient at risk of withdrawal: counted so the service sees how often it happens,
      // since the last check ran (a day later, or more after a day it did not run, so none is missed).
      refillsWithdrawalRisk: await countWithdrawalRiskRefills(
        db,
        (await previousJobRun(db, DAILY_CHECK_JOB, day))?.started_at ??
          new Date(now.getTime() - 86_400_000).toISOString(),
      ),
      reviewsDue: worklist.reviewsDue,
      replacementsDue: worklist.replacementsDue,
      pausesPastResume,
      endRequestsAwaiting: requests.ends + requests.corrections,
      digestQueued,
    };
    await db.transaction().execute(async (trx) => {
      if (digestQueued) {
        const body = [
          `Daily referral check for ${day}.`,
          '',
          `Waiting for triage longer than ${String(config.triageAlertWorkingDays)} working days: ${String(summary.triageOverdue)}`,
          `Waits breached, due soon or needing an outcome: ${String(summary.nearingBreach)} (breached: ${String(breached)})`,
          '',
          `Triage queue: ${config.publicUrl}/triage`,
          `Waiting list: ${config.publicUrl}/waiting-list`,
          '',
          `Pumps without a refill booked before the due date: ${String(summary.refillsEscalated)} (overdue: ${String(summary.refillsOverdue)})`,
          `Refills done but not yet checked and signed: ${String(summary.refillsAwaitingCheck)}`,
          `Refills since the last digest that found the pump ran dry or past its alarm date: ${String(summary.refillsWithdrawalRisk)}`,
          `Pump reviews due within a week or overdue: ${String(summary.reviewsDue)}`,
          `Pumps due for replacement: ${String(summary.replacementsDue)}`,
          `Paused pumps past their resume date: ${String(summary.pausesPastResume)}`,
          `Requests to end a pump or correct an end, waiting for a second clinician: ${String(summary.endRequestsAwaiting)}`,
          `Refill worklist: ${config.publicUrl}/worklist`,
        ].join('\n');
        for (const to of config.digestTo) {
          await queueEmail(trx, now.toISOString(), {
            referralId: null,
            documentId: null,
            purpose: 'daily-digest',
            to,
            subject: `ITB service: ${String(summary.refillsEscalated)} pumps need a refill booked, ${pausesPastResume > 0 ? `${String(pausesPastResume)} paused pumps past their resume date, ` : ''}${String(summary.triageOverdue)} referrals overdue for triage, ${String(summary.nearingBreach)} waits need attention`,
            body,
          });
        }
      }
      await appendAudit(
        trx,
        deps.clock,
        actorEvent(null, {
          action: 'job.run',
          outcome: 'success',
          details: { job: DAILY_CHECK_JOB, day, ...summary },
        }),
      );
    });
    return summary;
  });
}
