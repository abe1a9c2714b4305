import type { FuzzRequest } from './fuzz-send.ts';

/**
 * What the fuzzer keeps of each 500: its class (route and where the error was thrown), how
 * many, and one example, later minimised by fast-check's shrinking.
 */
export interface ThrownError {
  readonly name?: string;
  readonly message?: string;
  readonly stack?: string;
}

/** The first stack frame in the service's own code (src/), else the first frame at all. */
function frameOf(stack: string | undefined): string {
  const frames = (stack ?? '').split('\n').filter((l) => l.trimStart().startsWith('at '));
  const own = frames.find((f) => f.includes('/src/')) ?? frames[0] ?? '';
  const m = /(src\/[^\s):]+:\d+)|([^\s/(]+:\d+):\d+\)?$/.exec(own.trim());
  return m?.[1] ?? m?.[2] ?? own.trim();
}

/** One line naming a failure: the error's type, its message with values taken out, and where. */
export function errorClass(error: ThrownError | undefined): string {
  if (!error) {
    return 'no error recorded (the error handler itself failed, or a 5xx was sent on purpose)';
  }
  const message = (error.message ?? '')
    .replace(/"[^"]*"|'[^']*'/g, '…')
    .replace(/\d+/g, 'N')
    .slice(0, 120);
  return `${error.name ?? 'Error'}: ${message} @ ${frameOf(error.stack)}`;
}

/** One kind of failure: where it was thrown, on which routes, and an example to reproduce it. */
export interface FailureClass {
  readonly error: string;
  count: number;
  /** "METHOD /pattern" of the route the request was aimed at, with how many 500s each. */
  readonly routes: Map<string, number>;
  /** Index of the target the first example was made for (its run's seed is the seed plus this). */
  readonly targetIndex: number;
  readonly example: FuzzRequest;
  minimised: FuzzRequest | null;
}

export class Failures {
  readonly #classes = new Map<string, FailureClass>();
  total = 0;

  /** Counts one 500 and returns its class. */
  add(route: string, error: ThrownError | undefined, targetIndex: number, example: FuzzRequest): string {
    const key = errorClass(error);
    this.total += 1;
    const known = this.#classes.get(key);
    if (known) {
      known.count += 1;
      known.routes.set(route, (known.routes.get(route) ?? 0) + 1);
    } else {
      this.#classes.set(key, {
        error: key,
        count: 1,
        routes: new Map([[route, 1]]),
        targetIndex,
        example,
        minimised: null,
      });
    }
    return key;
  }

  get classes(): ReadonlyMap<string, FailureClass> {
    return this.#classes;
  }

  /** The log lines: each class with its routes, its example, and the minimised example. */
  report(prefix: string, seed: number): string[] {
    const lines: string[] = [];
    for (const c of this.#classes.values()) {
      lines.push(`${prefix}500 x${String(c.count)}: ${c.error}`);
      for (const [route, n] of c.routes) {
        lines.push(`${prefix}  on ${route} (x${String(n)})`);
      }
      lines.push(
        `${prefix}  example (run seed ${String(seed + c.targetIndex)}): ${describeRequest(c.example)}`,
      );
      if (c.minimised) {
        lines.push(`${prefix}  minimised: ${describeRequest(c.minimised)}`);
      }
    }
    return lines;
  }
}

/** A string for the log: long runs cut, control characters and lone surrogates escaped by JSON. */
export function describeRequest(req: FuzzRequest): string {
  const cut = (s: string) =>
    s.length > 160 ? `${s.slice(0, 80)}…(${String(s.length)} chars)…${s.slice(-20)}` : s;
  const shown = {
    method: req.method,
    path: cut(req.path),
    ...(req.query === '' ? {} : { query: cut(req.query) }),
    ...(Object.keys(req.headers).length === 0 ? {} : { headers: req.headers }),
    ...(req.body === undefined ? {} : { body: cut(req.body), bodyBytes: req.bodyBytes }),
    credential:
      req.credential.kind === 'role'
        ? `signed in as ${req.credential.role}`
        : req.credential.kind === 'anonymous'
          ? 'nobody'
          : `${req.credential.header}: ${cut(req.credential.value)}`,
  };
  return JSON.stringify(shown);
}
