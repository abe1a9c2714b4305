import { hostname } from 'node:os';
import type { RouteDeps } from '../compose.ts';

/** Names this process in the job table, so a person can see which instance ran a job. */
export const INSTANCE = `${hostname()}:${String(process.pid)}`;

export type JobResult<T> = { readonly ran: true; readonly summary: T } | { readonly ran: false };

/**
 * Runs a job once per run key across every instance sharing the database: the instance that
 * inserts the (job, run key) row runs it, the others skip. The outcome and summary are kept.
 * A run that fails is recorded as failed and not retried under the same key.
 */
export async function runOnce<T>(
  deps: Pick<RouteDeps, 'services'>,
  job: string,
  runKey: string,
  work: () => Promise<T>,
): Promise<JobResult<T>> {
  const system = deps.services.system;
  if (!(await system.claimJob(job, runKey, INSTANCE))) {
    return { ran: false };
  }
  try {
    const summary = await work();
    await system.finishJob(job, runKey, 'success', summary);
    return { ran: true, summary };
  } catch (err) {
    await system.finishJob(job, runKey, 'failure', {
      error: err instanceof Error ? err.message.slice(0, 500) : String(err),
    });
    throw err;
  }
}
