import type { AppDeps } from '../compose.ts';
import { deleteSessionsStartedBefore } from '../storage/sessions.repository.ts';
import { pruneSignInFailures } from '../storage/sign-in-failures.repository.ts';

/** Removes timed-out sessions and forgotten sign-in failures. Idempotent, so it is safe for
 * several instances to run it at once. */
export async function pruneExpiredSignInState(deps: AppDeps): Promise<void> {
  const now = deps.clock.now().getTime();
  const { session, accountThrottle, addressThrottle } = deps.config;
  await deleteSessionsStartedBefore(
    deps.database.db,
    new Date(now - session.absoluteTimeoutSeconds * 1000).toISOString(),
    new Date(now - session.idleTimeoutSeconds * 1000).toISOString(),
  );
  const window = Math.max(accountThrottle.windowSeconds, addressThrottle.windowSeconds);
  await pruneSignInFailures(deps.database.db, new Date(now - window * 1000).toISOString());
}
