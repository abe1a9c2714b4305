import { secondsUntilNextAttempt, type ThrottlePolicy } from '../domain/sign-in-throttle.ts';
import type { Db, DbOrTrx, Trx } from '../storage/database.ts';
import {
  clearSignInFailures,
  deleteSignInAttempts,
  lockThrottleKeys,
  recentSignInFailures,
  recordSignInFailure,
} from '../storage/sign-in-failures.repository.ts';
import { AppError } from './app-error.ts';
import type { Clock } from './clock.ts';

export interface ThrottleDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly accountThrottle: ThrottlePolicy;
  readonly addressThrottle: ThrottlePolicy;
}

export const accountKey = (username: string): string => `account:${username.toLowerCase()}`;
const addressKey = (ip: string) => `address:${ip}`;

/** An attempt let through the throttle: it is already counted as a failure until forgiven. */
export interface AdmittedAttempt {
  readonly username: string;
  readonly attemptIds: readonly string[];
}

async function throttleWait(deps: ThrottleDeps, db: DbOrTrx, username: string, ip: string): Promise<number> {
  const nowMs = deps.clock.now().getTime();
  const longest = Math.max(deps.accountThrottle.windowSeconds, deps.addressThrottle.windowSeconds);
  const since = new Date(nowMs - longest * 1000).toISOString();
  const [acc, addr] = await Promise.all([
    recentSignInFailures(db, accountKey(username), since),
    recentSignInFailures(db, addressKey(ip), since),
  ]);
  const toMs = (ts: string[]) => ts.map((t) => Date.parse(t));
  return Math.max(
    secondsUntilNextAttempt(toMs(acc), nowMs, deps.accountThrottle),
    secondsUntilNextAttempt(toMs(addr), nowMs, deps.addressThrottle),
  );
}

/**
 * Counts an attempt against the account and the address BEFORE the password or code is
 * checked, in one transaction that holds both keys' locks: concurrent attempts are counted one
 * after another, across connection pools and instances, so no more than the free attempts are
 * ever checked however many arrive at once (OWASP ASVS 4.0.3 V2.2.1 anti-automation; a check
 * that only recorded failures after the slow password hash let 30 parallel guesses through).
 * The attempt stays counted as a failure unless `forgiveAttempt` is called after a success.
 *
 * @throws AppError SIGN_IN_THROTTLED, with details.retryAfterSeconds, when the caller must wait
 */
export async function admitAttempt(
  deps: ThrottleDeps,
  username: string,
  ip: string,
  message: (waitSeconds: number) => string,
  onRefused: (waitSeconds: number) => Promise<void> = async () => undefined,
): Promise<AdmittedAttempt> {
  const keys = [accountKey(username), addressKey(ip)];
  const result = await deps.db.transaction().execute(async (trx: Trx) => {
    const at = deps.clock.now().toISOString();
    await lockThrottleKeys(trx, keys, at);
    const wait = await throttleWait(deps, trx, username, ip);
    if (wait > 0) {
      return { wait, attemptIds: [] };
    }
    return { wait: 0, attemptIds: await recordSignInFailure(trx, keys, at) };
  });
  if (result.wait > 0) {
    await onRefused(result.wait);
    throw new AppError('SIGN_IN_THROTTLED', message(result.wait), {
      details: { retryAfterSeconds: result.wait },
    });
  }
  return { username, attemptIds: result.attemptIds };
}

/**
 * After a success: forgets this attempt, and the account's earlier failures, as a successful
 * sign-in always has (the address's earlier failures stay counted).
 */
export async function forgiveAttempt(trx: Trx, attempt: AdmittedAttempt): Promise<void> {
  await deleteSignInAttempts(trx, attempt.attemptIds);
  await clearSignInFailures(trx, accountKey(attempt.username));
}
