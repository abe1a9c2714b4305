import { Agent, get } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface PacedRun {
  readonly url: string;
  readonly sent: number;
  /** Responses by status code. */
  readonly statuses: ReadonlyMap<number, number>;
  readonly ok: number;
  readonly errors: number;
  readonly seconds: number;
  /** Each response's time in ms from when its request was due to be sent (so a late send,
   * whether from the server or this process falling behind, counts against the latency). */
  readonly timingsMs: readonly number[];
}

/**
 * An open-loop load: requests due at exactly even intervals (`rate` a second for `seconds`),
 * each sent when due whether or not earlier ones have been answered, over keep-alive
 * connections. autocannon cannot do this: its fixed rate is a per-connection quota per second,
 * sent back-to-back at the start of each second.
 */
export function pacedLoad(
  url: string,
  headers: Readonly<Record<string, string>>,
  rate: number,
  seconds: number,
): Promise<PacedRun> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const statuses = new Map<number, number>();
  const timingsMs: number[] = [];
  let sent = 0;
  let settled = 0;
  let errors = 0;
  const start = performance.now() + 5;

  return new Promise((resolve) => {
    const finish = () => {
      settled++;
      if (settled === total) {
        agent.destroy();
        const ok = [...statuses].filter(([code]) => code >= 200 && code < 300).reduce((n, [, c]) => n + c, 0);
        resolve({
          url,
          sent,
          statuses,
          ok,
          errors,
          seconds: (performance.now() - start) / 1000,
          timingsMs,
        });
      }
    };
    const fire = (due: number) => {
      let done = false;
      const request = get(url, { agent, headers }, (response) => {
        response.resume();
        response.on('end', () => {
          if (!done) {
            done = true;
            timingsMs.push(performance.now() - due);
            const code = response.statusCode ?? 0;
            statuses.set(code, (statuses.get(code) ?? 0) + 1);
            finish();
          }
        });
      });
      request.setTimeout(10_000, () => request.destroy(new Error('timed out')));
      request.on('error', () => {
        if (!done) {
          done = true;
          errors++;
          finish();
        }
      });
    };
    const pump = () => {
      const now = performance.now();
      while (sent < total && start + sent * interval <= now) {
        fire(start + sent * interval);
        sent++;
      }
      if (sent < total) {
        setTimeout(pump, Math.max(0, start + sent * interval - performance.now()));
      }
    };
    setTimeout(pump, 5);
  });
}
