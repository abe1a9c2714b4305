import type { Db } from '../storage/database.ts';
import { claimJobRun, finishJobRun, latestJobRun, type JobRun } from '../storage/jobs.repository.ts';
import type { Clock } from './clock.ts';

interface JobRunDeps {
  readonly db: Db;
  readonly clock: Clock;
}

/**
 * Claims one run of a job for this instance: true for the one instance whose claim is stored,
 * false for every other (the run is theirs, or already done).
 */
export async function claimJob(
  deps: JobRunDeps,
  job: string,
  runKey: string,
  instance: string,
): Promise<boolean> {
  return claimJobRun(deps.db, job, runKey, instance, deps.clock.now().toISOString());
}

/** Records how a claimed run ended, with its summary (or error). */
export async function finishJob(
  deps: JobRunDeps,
  job: string,
  runKey: string,
  outcome: 'success' | 'failure',
  summary: unknown,
): Promise<void> {
  await finishJobRun(deps.db, job, runKey, outcome, summary, deps.clock.now().toISOString());
}

/** The newest run of a job, or null when it has never run. */
export async function lastJobRun(deps: Pick<JobRunDeps, 'db'>, job: string): Promise<JobRun | null> {
  return (await latestJobRun(deps.db, job)) ?? null;
}
