import { readFileSync } from 'node:fs';
import type { Section } from './figure.ts';
import { must, patientBody } from './clinic.ts';
import { createInstance, freePort, sleep, startServer, type ServerProcess } from './harness.ts';
import { inParallel, request, type Answer } from './http.ts';
import { figures } from './targets.ts';

/**
 * Memory: the server's resident set (VmRSS in /proc/PID/status), measured after a full garbage
 * collection, after many requests stays within 20 % of what it was after a tenth of them, so
 * nothing a request leaves behind accumulates. The
 * mix is what a clinic's day looks like: audited patient reads (most), searches, registrations,
 * the sign-in page (rendered, with a CSRF cookie) and /health.
 */

const SIZES = {
  full: { first: 5_000, last: 50_000 },
  // Scaled down five to one for CI's time (two shared cores), keeping the full run's 1 : 10 ratio.
  reduced: { first: 1_000, last: 10_000 },
} as const;
const CONCURRENCY = 8;
const GROWTH_LIMIT_PERCENT = 20;

/**
 * A full garbage collection in the server through Node's inspector (HeapProfiler.collectGarbage),
 * so that RSS is compared after garbage is gone: what is left is what requests kept. Without it
 * the figure follows V8's collection schedule, not leaks (RSS swings by a third between
 * collections under this load).
 */
async function collectGarbage(inspectPort: number): Promise<void> {
  const list = await fetch(`http://127.0.0.1:${String(inspectPort)}/json/list`, {
    signal: AbortSignal.timeout(10_000),
  });
  const targets = (await list.json()) as { webSocketDebuggerUrl?: string }[];
  const wsUrl = targets[0]?.webSocketDebuggerUrl;
  if (!wsUrl?.startsWith('ws://127.0.0.1:')) {
    throw new Error(`no inspector on 127.0.0.1:${String(inspectPort)}`);
  }
  const ws = new WebSocket(wsUrl);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error('the inspector did not collect garbage within 30 s'));
      }, 30_000);
      ws.addEventListener('open', () => {
        ws.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' }));
      });
      ws.addEventListener('message', (event) => {
        if (typeof event.data === 'string' && (JSON.parse(event.data) as { id?: number }).id === 1) {
          clearTimeout(timer);
          resolve();
        }
      });
      ws.addEventListener('error', () => {
        clearTimeout(timer);
        reject(new Error('the inspector connection failed'));
      });
    });
  } finally {
    ws.close();
  }
}

/** RSS after a full collection (and a moment for the allocator to hand pages back). */
async function settledResidentKb(server: ServerProcess, inspectPort: number): Promise<number> {
  await collectGarbage(inspectPort);
  await sleep(500);
  return residentKb(server.pid);
}

/** The server's resident set in kB, from the kernel's own accounting. */
export function residentKb(pid: number): number {
  const status = readFileSync(`/proc/${String(pid)}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match?.[1]) {
    throw new Error(`no VmRSS in /proc/${String(pid)}/status`);
  }
  return Number(match[1]);
}

export const memorySection: Section = async (options) => {
  const fig = figures('memory', options.database);
  const { first, last } = SIZES[options.size];
  const instance = await createInstance(options, 'memory');
  let server: ServerProcess | null = null;
  try {
    const inspectPort = await freePort();
    server = await startServer(instance, { inspectPort });
    const url = server.url;
    const token = instance.staff.nurse.token;
    const seeded = await must(
      'register a patient to read',
      request(url, 'POST', '/api/v1/patients', { token, body: patientBody(0) }),
      201,
    );
    const patientPath = `/api/v1/patients/${String(seeded.id)}`;
    let registered = 1;
    const failures: string[] = [];
    const one = async (i: number): Promise<void> => {
      let answer: Answer;
      switch (i % 10) {
        case 6:
          answer = await request(url, 'GET', '/health');
          break;
        case 7:
          answer = await request(url, 'GET', '/sign-in');
          break;
        case 8:
          answer = await request(url, 'GET', '/api/v1/patients?familyName=Dence', { token });
          break;
        case 9:
          answer = await request(url, 'POST', '/api/v1/patients', { token, body: patientBody(registered++) });
          break;
        default:
          answer = await request(url, 'GET', patientPath, { token });
      }
      if (answer.status < 200 || answer.status >= 300) {
        failures.push(
          `${String(answer.status)} ${answer.failure ?? JSON.stringify(answer.body).slice(0, 200)}`,
        );
      }
    };
    const t0 = Date.now();
    await inParallel(first, CONCURRENCY, one);
    const rawFirstKb = residentKb(server.pid);
    const rssFirstKb = await settledResidentKb(server, inspectPort);
    options.log(
      `memory/${options.database}: RSS ${String(rssFirstKb)} kB after ${String(first)} requests (${String(rawFirstKb)} kB before the collection)`,
    );
    await inParallel(last - first, CONCURRENCY, (i) => one(first + i));
    const seconds = (Date.now() - t0) / 1000;
    const rawLastKb = residentKb(server.pid);
    const rssLastKb = await settledResidentKb(server, inspectPort);
    options.log(
      `memory/${options.database}: RSS ${String(rssLastKb)} kB after ${String(last)} requests (${String(rawLastKb)} kB before the collection; ${(last / seconds).toFixed(0)} requests/s)`,
    );
    for (const f of failures.slice(0, 5)) {
      options.log(`memory/${options.database}: failed request: ${f}`);
    }
    const growth = Math.round(((rssLastKb - rssFirstKb) / rssFirstKb) * 1000) / 10;
    return [
      fig.atMost(
        `RSS growth from ${String(first)} to ${String(last)} requests`,
        growth,
        '%',
        GROWTH_LIMIT_PERCENT,
      ),
      fig.exactly('failed requests', failures.length, 'requests', 0),
    ];
  } finally {
    await server?.kill();
    await instance.dispose();
  }
};
