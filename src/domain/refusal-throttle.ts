/**
 * Decides which security refusals (a failed bearer token, a failed CSRF check, a forbidden
 * call) are written to the audit trail. Each is worth recording (OWASP ASVS 4.0.3 V7.2.2 asks
 * for failed authentication and access control decisions to be logged), but a flood of them
 * must not fill the trail: the first refusal of a kind from one source in each window is
 * written, with the number held back since the last one written; the rest are counted only.
 * Pure: the caller passes the time.
 */
export interface RefusalThrottle {
  /** Whether to write this refusal now and, if so, how many like it were held back before it. */
  admit(
    key: string,
    nowMs: number,
  ): { readonly write: true; readonly heldBack: number } | { readonly write: false };
}

export interface RefusalThrottleOptions {
  readonly windowMs: number;
  /** Sources remembered at once; beyond it, all new sources share one allowance. */
  readonly maxKeys: number;
}

/** The overflow key: when many sources refuse at once, they share one row per window. */
const OVERFLOW_KEY = '*';

export function createRefusalThrottle(options: RefusalThrottleOptions): RefusalThrottle {
  const windows = new Map<string, { startMs: number; heldBack: number }>();
  const prune = (nowMs: number) => {
    for (const [key, entry] of windows) {
      if (nowMs - entry.startMs >= options.windowMs) {
        windows.delete(key);
      }
    }
  };
  return {
    admit(key, nowMs) {
      let slot = key;
      if (!windows.has(slot) && windows.size >= options.maxKeys) {
        prune(nowMs);
        if (windows.size >= options.maxKeys) {
          slot = OVERFLOW_KEY;
        }
      }
      const entry = windows.get(slot);
      if (entry && nowMs - entry.startMs < options.windowMs && nowMs >= entry.startMs) {
        entry.heldBack += 1;
        return { write: false };
      }
      windows.set(slot, { startMs: nowMs, heldBack: 0 });
      return { write: true, heldBack: entry?.heldBack ?? 0 };
    },
  };
}
