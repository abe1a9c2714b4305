import type { AppConfig } from '../config.ts';
import type { PlainDate } from '../domain/calendar-date.ts';
import type { Db } from '../storage/database.ts';
import { previousJobRun } from '../storage/jobs.repository.ts';
import { countMriChecks } from '../storage/mri.repository.ts';
import { countPendingEndRequests } from '../storage/pump-lifecycle.repository.ts';
import { countUnsignedRefills, countWithdrawalRiskRefills } from '../storage/refills.repository.ts';
import { countBreakGlassSince } from '../storage/break-glass.repository.ts';
import { actorEvent, appendAudit } from './audit-service.ts';
import type { Clock } from './clock.ts';
import { queueEmail } from './outbox-service.ts';
import { referralAlerts } from './referral-alerts.ts';
import { refillWorklist } from './worklist-service.ts';

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
  /** Post-scan MRI checks not recorded by their due time (escalated, hazard H-137). */
  readonly mriChecksOverdue: number;
  /** Post-scan MRI checks waiting, not yet late. */
  readonly mriChecksWaiting: number;
  /** Break-glass accesses to emergency summaries since the last check (a count: no patient details). */
  readonly breakGlassAccesses: number;
  readonly digestQueued: boolean;
}

interface DailyCheckDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly config: AppConfig;
}

/** What the day's check finds: counts only, worked out from the rules the pages use. */
async function dailyCheckSummary(deps: DailyCheckDeps, day: PlainDate): Promise<DailyCheckSummary> {
  const { db, config } = deps;
  const now = deps.clock.now();
  const alerts = await referralAlerts(deps);
  // A pump without a refill booked before its due date is in every day's digest until it is
  // booked (nothing falls off the list; hazard H-017).
  const worklist = await refillWorklist(deps, { limit: 0 });
  // A pause left open past its resume date may mean a patient without drug (hazard H-037); a
  // request to end a pump keeps it on the list until a second clinician decides (H-035).
  const pausesPastResume = worklist.counts['resume-overdue'];
  const requests = await countPendingEndRequests(db);
  const mri = await countMriChecks(db, now.toISOString());
  const lastRunAt =
    (await previousJobRun(db, DAILY_CHECK_JOB, day))?.startedAt ??
    new Date(now.getTime() - 86_400_000).toISOString();
  return {
    triageOverdue: alerts.triageOverdue.length,
    nearingBreach: alerts.nearingBreach.length,
    breached: alerts.nearingBreach.filter((i) => i.assessment.status === 'breached').length,
    refillsEscalated: worklist.escalated - pausesPastResume,
    refillsOverdue: worklist.counts.overdue,
    refillsAwaitingCheck: await countUnsignedRefills(db),
    // Each a patient at risk of withdrawal: counted so the service sees how often it happens,
    // since the last check ran (a day later, or more after a day it did not run, so none is missed).
    refillsWithdrawalRisk: await countWithdrawalRiskRefills(db, lastRunAt),
    reviewsDue: worklist.reviewsDue,
    replacementsDue: worklist.replacementsDue,
    pausesPastResume,
    endRequestsAwaiting: requests.ends + requests.corrections,
    mriChecksOverdue: mri.overdue,
    mriChecksWaiting: mri.pending - mri.overdue,
    // Each an access from outside the ITB team, so the team can follow it up (who and why are
    // on the list page, never in the email).
    breakGlassAccesses: await countBreakGlassSince(db, lastRunAt),
    digestQueued: config.smtp !== null && config.digestTo.length > 0,
  };
}

/** The digest: counts and links, never patient details, since email may leave NHSmail. */
function digest(
  config: AppConfig,
  day: PlainDate,
  summary: DailyCheckSummary,
): { subject: string; body: string } {
  const { pausesPastResume } = summary;
  const body = [
    `Daily referral check for ${day}.`,
    '',
    `Waiting for triage longer than ${String(config.triageAlertWorkingDays)} working days: ${String(summary.triageOverdue)}`,
    `Waits breached, due soon or needing an outcome: ${String(summary.nearingBreach)} (breached: ${String(summary.breached)})`,
    '',
    `Triage queue: ${config.publicUrl}/triage`,
    `Waiting list: ${config.publicUrl}/waiting-list`,
    '',
    `Pumps without a refill booked before the due date: ${String(summary.refillsEscalated)} (overdue: ${String(summary.refillsOverdue)})`,
    `Refills done but not yet checked and signed: ${String(summary.refillsAwaitingCheck)}`,
    `Refills since the last digest that found the pump ran dry or past its alarm date: ${String(summary.refillsWithdrawalRisk)}`,
    `Pump reviews due within a week or overdue: ${String(summary.reviewsDue)}`,
    `Pumps due for replacement: ${String(summary.replacementsDue)}`,
    `Paused pumps past their resume date: ${String(pausesPastResume)}`,
    `Requests to end a pump or correct an end, waiting for a second clinician: ${String(summary.endRequestsAwaiting)}`,
    `Post-MRI pump checks overdue: ${String(summary.mriChecksOverdue)} (waiting, not yet late: ${String(summary.mriChecksWaiting)})`,
    `Refill worklist: ${config.publicUrl}/worklist`,
    '',
    `Break-glass accesses to emergency summaries since the last digest: ${String(summary.breakGlassAccesses)}`,
    `Who, which patient and why: ${config.publicUrl}/break-glass/accesses`,
  ].join('\n');
  const subject = `ITB service: ${String(summary.refillsEscalated)} pumps need a refill booked, ${pausesPastResume > 0 ? `${String(pausesPastResume)} paused pumps past their resume date, ` : ''}${summary.mriChecksOverdue > 0 ? `${String(summary.mriChecksOverdue)} post-MRI pump checks overdue, ` : ''}${String(summary.triageOverdue)} referrals overdue for triage, ${String(summary.nearingBreach)} waits need attention`;
  return { subject, body };
}

/**
 * The daily check of one day: flags referrals waiting too long for triage, waits nearing breach
 * and pumps needing action, queues the digest to DIGEST_EMAIL_TO (when SMTP is set) and audits
 * the run, the digest and the audit row in one transaction.
 */
export async function runDailyCheck(deps: DailyCheckDeps, day: PlainDate): Promise<DailyCheckSummary> {
  const summary = await dailyCheckSummary(deps, day);
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    if (summary.digestQueued) {
      const { subject, body } = digest(deps.config, day, summary);
      for (const to of deps.config.digestTo) {
        await queueEmail(trx, now.toISOString(), {
          referralId: null,
          documentId: null,
          purpose: 'daily-digest',
          to,
          subject,
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
}
