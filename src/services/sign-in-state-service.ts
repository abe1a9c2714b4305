import type { SessionPolicy } from '../domain/session-policy.ts';
import type { ThrottlePolicy } from '../domain/sign-in-throttle.ts';
import type { Db } from '../storage/database.ts';
import { deleteExpiredKeptForms } from '../storage/kept-forms.repository.ts';
import { deleteSessionsStartedBefore } from '../storage/sessions.repository.ts';
import { pruneSignInFailures } from '../storage/sign-in-failures.repository.ts';
import type { Clock } from './clock.ts';

/** Removes timed-out sessions, expired kept forms and forgotten sign-in failures. Idempotent, so it is safe for
 * several instances to run it at once. */
export async function pruneExpiredSignInState(deps: {
  readonly db: Db;
  readonly clock: Clock;
  readonly session: SessionPolicy;
  readonly accountThrottle: ThrottlePolicy;
  readonly addressThrottle: ThrottlePolicy;
}): Promise<void> {
  const now = deps.clock.now().getTime();
  const { session, accountThrottle, addressThrottle } = deps;
  // A session that idled out stays (refused, never usable) until its absolute time-out has
  // passed, so a form posted from a page left open that long can still be kept for its user.
  const absoluteCutoff = new Date(now - session.absoluteTimeoutSeconds * 1000).toISOString();
  await deleteSessionsStartedBefore(deps.db, absoluteCutoff, absoluteCutoff);
  await deleteExpiredKeptForms(deps.db, new Date(now).toISOString());
  const window = Math.max(accountThrottle.windowSeconds, addressThrottle.windowSeconds);
  await pruneSignInFailures(deps.db, new Date(now - window * 1000).toISOString());
}
