// autocannon 9 ships no type declarations and @types/autocannon is not installed: these type
// only the parts of its programmatic API that the benchmark uses (lib/run.js, aggregateResult.js).
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  namespace autocannon {
    interface Options {
      readonly url: string;
      readonly connections?: number;
      /** Seconds. */
      readonly duration?: number;
      /** Requests per second over all connections; each connection gets an equal share and
       * sends it back-to-back, then waits for the next one-second tick. */
      readonly overallRate?: number;
      readonly headers?: Readonly<Record<string, string>>;
      /** Seconds before a request counts as timed out. */
      readonly timeout?: number;
      readonly pipelining?: number;
    }

    /** hdr-histogram-percentiles-obj: mean, spread and the percentiles autocannon exposes
     * (0.001 … 99.999; there is no p95). */
    interface Histogram {
      readonly average: number;
      readonly mean: number;
      readonly stddev: number;
      readonly min: number;
      readonly max: number;
      readonly total?: number;
      readonly p50: number;
      readonly p75: number;
      readonly p90: number;
      readonly p97_5: number;
      readonly p99: number;
    }

    interface Result {
      readonly url: string;
      readonly connections: number;
      /** Seconds, to two decimals. */
      readonly duration: number;
      readonly errors: number;
      readonly timeouts: number;
      readonly non2xx: number;
      readonly resets: number;
      readonly '1xx': number;
      readonly '2xx': number;
      readonly '3xx': number;
      readonly '4xx': number;
      readonly '5xx': number;
      readonly statusCodeStats: Readonly<Record<string, { count: number }>>;
      /** Milliseconds. */
      readonly latency: Histogram;
      /** Requests per one-second sample. */
      readonly requests: Histogram & { readonly sent: number };
      readonly throughput: Histogram;
    }

    interface Instance extends EventEmitter {
      on(
        event: 'response',
        listener: (client: unknown, statusCode: number, resBytes: number, responseTimeMs: number) => void,
      ): this;
      on(event: 'reqError', listener: (error: Error) => void): this;
      stop(): void;
    }
  }

  function autocannon(
    options: autocannon.Options,
    callback: (error: Error | null, result: autocannon.Result) => void,
  ): autocannon.Instance;

  export = autocannon;
}
