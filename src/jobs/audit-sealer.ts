import type { RouteDeps } from '../compose.ts';

interface Logger {
  error(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

/**
 * Runs the audit sealer four times per seal delay (AUDIT_SEAL_DELAY_MS), first at once so rows a
 * stopped or crashed instance left unsealed are sealed on start. One pass at a time in this
 * process; across instances the database lets one seal and the others skip. Returns a stop
 * function that waits for a pass under way and then seals once more, so a clean shutdown
 * leaves nothing waiting.
 */
export function startAuditSealer(deps: RouteDeps, log: Logger): () => Promise<void> {
  let running: Promise<void> | null = null;
  // While the database is away every pass fails: said once, not four times a second.
  let failing = false;
  const pass = (): Promise<void> => {
    running ??= deps.services.audit
      .seal()
      .then(() => {
        if (failing) {
          failing = false;
          log.info({}, 'sealing the audit trail works again');
        }
      })
      .catch((err: unknown) => {
        if (!failing) {
          failing = true;
          log.error({ err }, 'sealing the audit trail failed; retrying until it works');
        }
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = setInterval(() => void pass(), Math.max(25, Math.floor(deps.config.auditSealDelayMs / 4)));
  timer.unref();
  void pass();
  return async () => {
    clearInterval(timer);
    await running;
    await pass();
  };
}
