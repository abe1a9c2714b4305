import type { SessionPolicy } from '../domain/session-policy.ts';
import type { ThrottlePolicy } from '../domain/sign-in-throttle.ts';
import type { Db } from '../storage/database.ts';
import type { SessionStage } from '../storage/sessions.repository.ts';
import type { User } from '../storage/users.repository.ts';
import type { Clock } from './clock.ts';

/** What signing in and the second factor need and give back (auth-service.ts, totp-service.ts). */
export interface AuthServiceDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly session: SessionPolicy;
  readonly accountThrottle: ThrottlePolicy;
  readonly addressThrottle: ThrottlePolicy;
}

export interface SignedIn {
  /** The cookie value; only its hash is stored. */
  readonly sessionToken: string;
  readonly stage: SessionStage;
  readonly user: User;
}

export interface CurrentSession {
  readonly idHash: string;
  readonly stage: SessionStage;
  readonly user: User;
  /** When the session began and when it was last used (ISO): the time-outs count from these. */
  readonly createdAt: string;
  readonly lastSeenAt: string;
}
