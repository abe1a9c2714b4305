/**
 * Throttling of repeated failed sign-ins, per account and per network address, that slows an
 * attacker without ever locking a clinician out for good (OWASP ASVS v5.0.0-6.3.1: rate
 * limiting and anti-automation, with no permanent lock-out an attacker could use to deny
 * service). Failures older than the window are forgotten.
 */
export interface ThrottlePolicy {
  /** Failures allowed inside the window before a delay applies. */
  readonly freeAttempts: number;
  readonly windowSeconds: number;
  /** The first delay; each further failure doubles it, up to the maximum. */
  readonly baseDelaySeconds: number;
  readonly maxDelaySeconds: number;
}

/**
 * @param failuresAtMs - times (ms since epoch) of failures for one key, any order
 * @param nowMs - the current time
 * @returns the seconds the caller must still wait, 0 when an attempt may be made now
 */
export function secondsUntilNextAttempt(
  failuresAtMs: readonly number[],
  nowMs: number,
  policy: ThrottlePolicy,
): number {
  const windowStart = nowMs - policy.windowSeconds * 1000;
  const recent = failuresAtMs.filter((t) => t > windowStart && t <= nowMs);
  if (recent.length < policy.freeAttempts) {
    return 0;
  }
  const over = recent.length - policy.freeAttempts;
  const delay = Math.min(policy.baseDelaySeconds * 2 ** Math.min(over, 30), policy.maxDelaySeconds);
  const last = Math.max(...recent);
  const waitMs = last + delay * 1000 - nowMs;
  return waitMs > 0 ? Math.ceil(waitMs / 1000) : 0;
}
