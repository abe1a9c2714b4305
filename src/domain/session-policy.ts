/**
 * Server-side session expiry (OWASP ASVS v5.0.0 chapter 7: idle and absolute time-outs).
 * Times are ms since the epoch; the caller passes the clock.
 */
export interface SessionPolicy {
  readonly idleTimeoutSeconds: number;
  readonly absoluteTimeoutSeconds: number;
  /** Last-seen is written at most this often, to keep reads from becoming writes. */
  readonly touchIntervalSeconds: number;
}

export type SessionState = 'active' | 'idle-expired' | 'absolute-expired';

export function sessionState(
  session: { readonly createdAtMs: number; readonly lastSeenAtMs: number },
  nowMs: number,
  policy: SessionPolicy,
): SessionState {
  if (nowMs >= session.createdAtMs + policy.absoluteTimeoutSeconds * 1000) {
    return 'absolute-expired';
  }
  if (nowMs >= session.lastSeenAtMs + policy.idleTimeoutSeconds * 1000) {
    return 'idle-expired';
  }
  return 'active';
}

export function sessionNeedsTouch(lastSeenAtMs: number, nowMs: number, policy: SessionPolicy): boolean {
  return nowMs - lastSeenAtMs >= policy.touchIntervalSeconds * 1000;
}
