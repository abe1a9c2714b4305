import { setTimeout as delay } from 'node:timers/promises';
import { sql } from 'kysely';
import type { DatabaseHandle } from './create-database.ts';
import { classifyDatabaseError } from './database-errors.ts';
import { stderrDatabaseLog, type DatabaseLog } from './database-log.ts';

/** How long start-up waits for a database that is not there yet (DATABASE_CONNECT_* settings). */
export interface ConnectRetryPolicy {
  readonly attempts: number;
  /** The wait after the first failure; it doubles after each one, up to maxDelayMs. */
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
}

/** Start-up gave up: the message names the database's host and port (or file) and the cause. */
export class DatabaseUnreachableError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'DatabaseUnreachableError';
  }
}

function seconds(ms: number): string {
  return `${String(Math.round(ms / 100) / 10)} s`;
}

/**
 * Waits for the database at start-up, as a service started beside its database (a container
 * platform, a reboot) must: a failure worth waiting for (refused, reset, timed out, the server
 * starting up) is retried with back-off, one log line per attempt naming where and why; a
 * refused login or a missing database stops at once, as waiting cannot mend a setting.
 */
export async function waitForDatabase(
  handle: DatabaseHandle,
  policy: ConnectRetryPolicy,
  io: { readonly sleep?: (ms: number) => Promise<unknown>; readonly log?: DatabaseLog } = {},
): Promise<void> {
  const sleep = io.sleep ?? ((ms: number) => delay(ms));
  const log = io.log ?? stderrDatabaseLog;
  const where = `the ${handle.dialect === 'postgres' ? 'PostgreSQL' : 'SQLite'} database at ${handle.address}`;
  for (let attempt = 1; ; attempt++) {
    try {
      await sql`select 1`.execute(handle.db);
      if (attempt > 1) {
        log.warn(`Reached ${where} on attempt ${String(attempt)}`);
      }
      return;
    } catch (err) {
      const failure = classifyDatabaseError(err);
      const cause = failure?.cause ?? (err instanceof Error ? err.message : String(err));
      if (failure?.kind !== 'unavailable' || !failure.transient) {
        throw new DatabaseUnreachableError(`Cannot use ${where}: ${cause}. Check DATABASE_URL.`, {
          cause: err,
        });
      }
      if (attempt >= policy.attempts) {
        throw new DatabaseUnreachableError(
          `Gave up waiting for ${where} after ${String(attempt)} attempts: ${cause}. Check the database is running and DATABASE_URL points at it.`,
          { cause: err },
        );
      }
      const wait = Math.min(policy.firstDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
      log.warn(
        `Cannot reach ${where} (attempt ${String(attempt)} of ${String(policy.attempts)}): ${cause}; trying again in ${seconds(wait)}`,
      );
      await sleep(wait);
    }
  }
}
