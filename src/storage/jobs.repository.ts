import type { DbOrTrx, JobRunsTable } from './database.ts';

/** One run of a background job, claimed by one instance. */
export interface JobRun {
  readonly job: string;
  readonly runKey: string;
  /** The host and process that ran it. */
  readonly instance: string;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly outcome: 'success' | 'failure' | null;
  /** The run's summary as JSON, or the error of a failed run. */
  readonly summary: string | null;
}

export function jobRunFromRow(row: JobRunsTable): JobRun {
  return {
    job: row.job,
    runKey: row.run_key,
    instance: row.instance,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    // Only these are ever written (finishJobRun).
    outcome: row.outcome as JobRun['outcome'],
    summary: row.summary,
  };
}

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

export async function latestJobRun(db: DbOrTrx, job: string): Promise<JobRun | undefined> {
  const row = await db
    .selectFrom('job_runs')
    .selectAll()
    .where('job', '=', job)
    .orderBy('started_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && jobRunFromRow(row);
}

/** The last run of a job before the run keyed `runKey` (run keys sort as the days they name). */
export async function previousJobRun(db: DbOrTrx, job: string, runKey: string): Promise<JobRun | undefined> {
  const row = await db
    .selectFrom('job_runs')
    .selectAll()
    .where('job', '=', job)
    .where('run_key', '<', runKey)
    .orderBy('run_key', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && jobRunFromRow(row);
}
