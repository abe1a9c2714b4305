import type { RouteDeps } from '../compose.ts';
import { todayIn } from '../services/clock.ts';
import { DAILY_CHECK_JOB, type DailyCheckSummary } from '../services/daily-check-service.ts';
import { runOnce, type JobResult } from './job-runner.ts';

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
  deps: RouteDeps,
  options: { readonly force?: boolean } = {},
): Promise<JobResult<DailyCheckSummary>> {
  const { config } = deps;
  if (!options.force && localTime(deps.clock.now(), config.timeZone) < config.dailyCheckTime) {
    return { ran: false };
  }
  const day = todayIn(deps.clock, config.timeZone);
  return runOnce(deps, DAILY_CHECK_JOB, day, () => deps.services.system.dailyCheck(day));
}
