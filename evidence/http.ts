/**
 * The evidence suite's HTTP client: every request to loopback only, each with a timeout, and a
 * failure to get an answer (connection refused or reset, timeout) reported as status 0 rather
 * than thrown, because under a crash or a fault that is an expected outcome, not an error.
 */

export interface Answer {
  /** The HTTP status, or 0 when no answer came (the write is then unacknowledged). */
  readonly status: number;
  readonly body: Record<string, unknown>;
  /** What went wrong when status is 0. */
  readonly failure: string | null;
}

export const REQUEST_TIMEOUT_MS = 15_000;

function assertLoopback(url: string): void {
  const host = new URL(url).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]') {
    throw new Error(`the evidence suite sends traffic to loopback only, not to ${host}`);
  }
}

export async function request(
  baseUrl: string,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  options: { readonly token?: string; readonly body?: unknown; readonly timeoutMs?: number } = {},
): Promise<Answer> {
  const url = `${baseUrl}${path}`;
  assertLoopback(url);
  const headers: Record<string, string> = {};
  if (options.token) {
    headers.authorization = `Bearer ${options.token}`;
  }
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
  }
  try {
    const res = await fetch(url, {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      signal: AbortSignal.timeout(options.timeoutMs ?? REQUEST_TIMEOUT_MS),
    });
    const text = await res.text();
    let body: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object') {
        body = parsed as Record<string, unknown>;
      }
    } catch {
      body = { text: text.slice(0, 500) };
    }
    return { status: res.status, body, failure: null };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return { status: 0, body: {}, failure: cause ?? (err as Error).name };
  }
}

/** Only the status of a GET (0 when no answer), for polling /health. */
export async function getStatus(url: string, timeoutMs: number): Promise<number> {
  assertLoopback(url);
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/** The error code of a JSON API error answer, or null. */
export function errorCode(answer: Answer): string | null {
  const error = answer.body.error as { code?: unknown } | undefined;
  return typeof error?.code === 'string' ? error.code : null;
}

/** Runs `count` calls of `work` with at most `concurrency` in flight, bounded by `count`. */
export async function inParallel(
  count: number,
  concurrency: number,
  work: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      await work(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}
