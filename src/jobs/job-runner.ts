import { hostname } from 'node:os';
import type { Db } from '../storage/database.ts';
import { claimJobRun, finishJobRun } from '../storage/jobs.repository.ts';
import type { Clock } from '../services/clock.ts';

/** Names this process in the job table, so a person can see which instance ran a job. */
export const INSTANCE = `${hostname()}:${String(process.pid)}`;

export type JobResult<T> = { readonly ran: true; readonly summary: T } | { readonly ran: false };

/**
 * Runs a job once per run key across every instance sharing the database: the instance that
 * inserts the (job, run key) row runs it, the others skip. The outcome and summary are kept.
 * A run that fails is recorded as failed and not retried under the same key.
 */
export async function runOnce<T>(
  deps: { readonly db: Db; readonly clock: Clock },
  job: string,
  runKey: string,
  work: () => Promise<T>,
): Promise<JobResult<T>> {
  if (!(await claimJobRun(deps.db, job, runKey, INSTANCE, deps.clock.now().toISOString()))) {
    return { ran: false };
  }
  try {
    const summary = await work();
    await finishJobRun(deps.db, job, runKey, 'success', summary, deps.clock.now().toISOString());
    return { ran: true, summary };
  } catch (err) {
    await finishJobRun(
      deps.db,
      job,
      runKey,
      'failure',
      { error: err instanceof Error ? err.message.slice(0, 500) : String(err) },
      deps.clock.now().toISOString(),
    );
    throw err;
  }
}
