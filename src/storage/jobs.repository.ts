import type { DbOrTrx, JobRunsTable } from './database.ts';

/**
 * Claims one run of a job: the (job, run key) primary key lets exactly one instance insert the
 * row, on SQLite and PostgreSQL alike; the others see no row inserted and skip the run.
 */
export async function claimJobRun(
  db: DbOrTrx,
  job: string,
  runKey: string,
  instance: string,
  at: string,
): Promise<boolean> {
  const result = await db
    .insertInto('job_runs')
    .values({
      job,
      run_key: runKey,
      instance,
      started_at: at,
      finished_at: null,
      outcome: null,
      summary: null,
    })
    .onConflict((oc) => oc.columns(['job', 'run_key']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

export async function finishJobRun(
  db: DbOrTrx,
  job: string,
  runKey: string,
  outcome: 'success' | 'failure',
  summary: unknown,
  at: string,
): Promise<void> {
  await db
    .updateTable('job_runs')
    .set({ finished_at: at, outcome, summary: JSON.stringify(summary) })
    .where('job', '=', job)
    .where('run_key', '=', runKey)
    .execute();
}

export async function latestJobRun(db: DbOrTrx, job: string): Promise<JobRunsTable | undefined> {
  return db
    .selectFrom('job_runs')
    .selectAll()
    .where('job', '=', job)
    .orderBy('started_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The last run of a job before the run keyed `runKey` (run keys sort as the days they name). */
export async function previousJobRun(
  db: DbOrTrx,
  job: string,
  runKey: string,
): Promise<JobRunsTable | undefined> {
  return db
    .selectFrom('job_runs')
    .selectAll()
    .where('job', '=', job)
    .where('run_key', '<', runKey)
    .orderBy('run_key', 'desc')
    .limit(1)
    .executeTakeFirst();
}
