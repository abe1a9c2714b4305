import { classifyDatabaseError } from '../storage/database-errors.ts';
import { AppError } from './app-error.ts';
import { uniqueConflict } from './unique-conflicts.ts';

/** Why the database could not serve a request, as `error.details.reason` gives it (docs/ERRORS.md). */
export type DatabaseUnavailableReason = 'unreachable' | 'storage-full' | 'read-only';

const MESSAGES: Readonly<Record<DatabaseUnavailableReason, string>> = {
  unreachable:
    'The service cannot reach its database just now, so nothing was read or saved. Try again in a few minutes; if it keeps happening, tell the service administrator.',
  // Every view of a record is audited in the same transaction as the read, so reads stop too.
  'storage-full':
    'The service’s database storage is full, so nothing was saved. Records cannot be opened while this lasts, because every view is recorded in the audit trail. Tell the service administrator.',
  'read-only':
    'The service’s database is read-only, so nothing was saved. Records cannot be opened while this lasts, because every view is recorded in the audit trail. Tell the service administrator.',
};

/**
 * The answer for an error a database driver raised: a unique key's 409 (unique-conflicts.ts), or
 * 503 DATABASE_UNAVAILABLE when the database cannot be reached, is full or is read-only. `log` is
 * one line naming the real cause (SQLITE_FULL, ECONNREFUSED by host:port, SQLSTATE 57P01), for
 * the 503s; null for any error that did not come from the database.
 */
export function appErrorForDatabase(
  err: unknown,
): { readonly error: AppError; readonly log: string | null } | null {
  const failure = classifyDatabaseError(err);
  if (failure === null) {
    return null;
  }
  if (failure.kind === 'unique') {
    const conflict = uniqueConflict(err);
    return conflict ? { error: conflict, log: null } : null;
  }
  const reason: DatabaseUnavailableReason = failure.kind === 'unavailable' ? 'unreachable' : failure.kind;
  return {
    error: new AppError('DATABASE_UNAVAILABLE', MESSAGES[reason], { details: { reason }, cause: err }),
    log: `database unavailable (${reason}): ${failure.cause}`,
  };
}
