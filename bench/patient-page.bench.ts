// npm run bench: the authenticated patient page against its performance targets.
//
//   "With synchronous=FULL and the audit row written in the same transaction, an authenticated
//   patient page holds p95 ≤ 25 ms at 200 requests/s, both evenly paced and in bursts, and its
//   throughput is at least 0.8 of a bare Fastify route doing the same database read and write,
//   measured in the same run."
//
// For SQLite and then PostgreSQL, a child process (bench-server.ts) serves the real app, signed
// in as a nurse, and a bare Fastify route on a database of the same kind holding the same
// patient, which calls the page's own patientOverview (the record, every list the page reads
// and the audit row, in one transaction) and answers JSON; the 0.8 ratio is against that route.
// For the record only (no verdict), it also measures a bare route reading the patient's row
// alone with the audit row, the comparison this bench once made. This process drives them over
// loopback (autocannon, and paced-load.ts for an evenly paced 200 requests/s), so the
// load generator does not share the servers' event loop. It prints the figures and verdicts and
// exits 0 whatever they are (it is a report); 1 only if a database could not be benchmarked.
import { fork, type ChildProcess } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import autocannon from 'autocannon';
import { pacedLoad, type PacedRun } from './paced-load.ts';
import type { ChildMessage, ParentMessage } from './protocol.ts';

const DIALECTS = ['sqlite', 'postgres'] as const;
type Dialect = (typeof DIALECTS)[number];

const CONNECTIONS = 10;
const FIXED_RATE = 200;
const FIXED_SECONDS = 10;
/** The first warm-up of a fresh server also compiles the templates and warms the JIT. */
const FIRST_WARMUP_SECONDS = 5;
const WARMUP_SECONDS = 3;
const MAX_SECONDS = 8;
const P95_TARGET_MS = 25;
const RATIO_TARGET = 0.8;
/** The fixed-rate run "holds" 200 requests/s only if it really completed about that many. */
const RATE_TOLERANCE = 0.97;

interface Run {
  readonly result: autocannon.Result;
  /** Every response's time in ms (request written to response read), as autocannon saw it. */
  readonly timingsMs: readonly number[];
  /** Completed 2xx responses per second of the run. */
  readonly okPerSecond: number;
}

function load(url: string, cookie: string | null, duration: number, overallRate?: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const timingsMs: number[] = [];
    const instance = autocannon(
      {
        url,
        connections: CONNECTIONS,
        duration,
        timeout: 10,
        ...(cookie ? { headers: { cookie } } : {}),
        ...(overallRate ? { overallRate } : {}),
      },
      (error, result) => {
        if (error) {
          reject(error);
          return;
        }
        resolve({ result, timingsMs, okPerSecond: result['2xx'] / result.duration });
      },
    );
    instance.on('response', (_client, _status, _bytes, ms) => {
      timingsMs.push(ms);
    });
  });
}

/** Nearest-rank percentile of exact samples (no histogram bucketing). */
function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) {
    return Number.NaN;
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

function problems(run: Run): string[] {
  const r = run.result;
  const found: string[] = [];
  if (r.non2xx > 0) {
    const codes = Object.entries(r.statusCodeStats)
      .filter(([code]) => !code.startsWith('2'))
      .map(([code, s]) => `${code}×${s.count}`);
    found.push(`${r.non2xx} non-2xx (${codes.join(', ')})`);
  }
  if (r.errors > 0) {
    found.push(`${r.errors} errors (${r.timeouts} timeouts)`);
  }
  return found;
}

/** The child's messages, one at a time, failing if it exits first. */
function nextMessage(child: ChildProcess): Promise<ChildMessage> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: ChildMessage) => {
      child.off('exit', onExit);
      resolve(message);
    };
    const onExit = (code: number | null) => {
      child.off('message', onMessage);
      reject(new Error(`bench-server exited with code ${String(code)}`));
    };
    child.once('message', onMessage);
    child.once('exit', onExit);
  });
}

function post(child: ChildProcess, message: ParentMessage): void {
  child.send(message);
}

async function audit(child: ChildProcess) {
  post(child, { type: 'check' });
  const m = await nextMessage(child);
  if (m.type !== 'checked') {
    throw new Error(`unexpected message ${m.type}`);
  }
  return m;
}

/** Fails the run, before anything is measured, unless both servers really do their work. */
async function verify(ready: Extract<ChildMessage, { type: 'ready' }>): Promise<void> {
  const page = await fetch(ready.realUrl, { headers: { cookie: ready.cookie }, redirect: 'manual' });
  const html = await page.text();
  if (page.status !== 200 || !html.includes(ready.patientName)) {
    throw new Error(
      `the patient page gave ${page.status} ${page.headers.get('location') ?? ''} without "${ready.patientName}"`,
    );
  }
  const bare = await fetch(ready.bareUrl);
  const json = (await bare.json()) as { patient?: { givenName?: string }; timeline?: unknown };
  if (bare.status !== 200 || json.patient?.givenName !== 'Ann' || !Array.isArray(json.timeline)) {
    throw new Error(`the bare route gave ${bare.status} without the patient's overview`);
  }
  const row = await fetch(ready.bareRowUrl);
  const rowJson = (await row.json()) as { givenName?: string };
  if (row.status !== 200 || rowJson.givenName !== 'Ann') {
    throw new Error(`the bare patient-row route gave ${row.status} without the patient`);
  }
}

interface DialectReport {
  readonly dialect: Dialect;
  readonly fixed: Run;
  readonly p95: number;
  readonly paced: PacedRun;
  readonly pacedP95: number;
  readonly pacedPass: boolean;
  readonly real: Run;
  readonly bare: Run;
  /** The bare single-row read and audit row: for the record, not the target. */
  readonly bareRow: Run;
  readonly ratio: number;
  readonly p95Pass: boolean;
  readonly ratioPass: boolean;
  readonly notes: readonly string[];
}

const ms = (n: number) => `${n.toFixed(1)} ms`;
const rps = (n: number) => `${n.toFixed(0)} req/s`;
const verdict = (pass: boolean) => (pass ? 'PASS' : 'FAIL');
const load1 = () => loadavg()[0]?.toFixed(2) ?? '?';

function pacedProblems(run: PacedRun): string[] {
  const other = [...run.statuses].filter(([code]) => code < 200 || code >= 300);
  return [
    ...(other.length
      ? [`${other.reduce((n, [, c]) => n + c, 0)} non-2xx (${other.map(([c, n]) => `${c}×${n}`).join(', ')})`]
      : []),
    ...(run.errors ? [`${run.errors} errors`] : []),
  ];
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')).join('\n');
}

async function benchDialect(dialect: Dialect): Promise<DialectReport> {
  console.log(`\n=== ${dialect} === (1-minute load average before: ${load1()})`);
  const child = fork(new URL('./bench-server.ts', import.meta.url), [dialect], { stdio: 'inherit' });
  try {
    const ready = await nextMessage(child);
    if (ready.type !== 'ready') {
      throw new Error(`unexpected message ${ready.type}`);
    }
    console.log(`patient page: ${ready.realUrl}`);
    console.log(`  database: ${ready.realDurability}`);
    console.log(`bare route:   ${ready.bareUrl} (the page's overview read and audit row)`);
    console.log(`  database: ${ready.bareDurability}`);
    console.log(`for the record: ${ready.bareRowUrl} (the patient's row and the audit row)`);
    await verify(ready);
    console.log(
      `checked: the page answers 200 and shows "${ready.patientName}"; both bare routes answer 200 with the patient`,
    );
    const before = await audit(child);

    const runs: Run[] = [];
    const step = async (what: string, url: string, cookie: string | null, seconds: number, rate?: number) => {
      process.stdout.write(`${what} (${seconds} s)… `);
      const run = await load(url, cookie, seconds, rate);
      runs.push(run);
      const trouble = problems(run);
      console.log(
        `${run.result['2xx']} × 2xx, ${rps(run.okPerSecond)}` +
          (trouble.length ? `; ${trouble.join('; ')}` : ''),
      );
      return run;
    };

    await step('warm-up, patient page', ready.realUrl, ready.cookie, FIRST_WARMUP_SECONDS);
    const fixed = await step(
      `patient page at ${FIXED_RATE} req/s`,
      ready.realUrl,
      ready.cookie,
      FIXED_SECONDS,
      FIXED_RATE,
    );
    process.stdout.write(`patient page at ${FIXED_RATE} req/s, evenly paced (${FIXED_SECONDS} s)… `);
    const paced = await pacedLoad(ready.realUrl, { cookie: ready.cookie }, FIXED_RATE, FIXED_SECONDS);
    const pacedTrouble = pacedProblems(paced);
    console.log(`${paced.ok} × 2xx` + (pacedTrouble.length ? `; ${pacedTrouble.join('; ')}` : ''));
    await step('warm-up, patient page', ready.realUrl, ready.cookie, WARMUP_SECONDS);
    const real = await step('patient page, max throughput', ready.realUrl, ready.cookie, MAX_SECONDS);
    await step('warm-up, bare route', ready.bareUrl, null, WARMUP_SECONDS);
    const bare = await step('bare route, max throughput', ready.bareUrl, null, MAX_SECONDS);
    await step('warm-up, bare patient-row route', ready.bareRowUrl, null, WARMUP_SECONDS);
    const bareRow = await step(
      'bare patient-row route, max throughput (for the record)',
      ready.bareRowUrl,
      null,
      MAX_SECONDS,
    );

    const after = await audit(child);
    const notes: string[] = [];
    const realOk =
      paced.ok + runs.filter((r) => r.result.url === ready.realUrl).reduce((n, r) => n + r.result['2xx'], 0);
    const bareOk = runs
      .filter((r) => r.result.url === ready.bareUrl || r.result.url === ready.bareRowUrl)
      .reduce((n, r) => n + r.result['2xx'], 0);
    const realRows = after.realAuditRows - before.realAuditRows;
    const bareRows = after.bareAuditRows - before.bareAuditRows;
    // A request still in flight when a run stops is written but not counted.
    const slack = CONNECTIONS * runs.length;
    const writes = (rows: number, ok: number) => rows >= ok && rows <= ok + slack;
    notes.push(
      `audit rows written: page ${realRows} for ${realOk} 2xx responses, bare ${bareRows} for ${bareOk}` +
        `; hash chains ${after.realChainOk && after.bareChainOk ? 'verify' : 'DO NOT VERIFY'}`,
    );
    if (!writes(realRows, realOk) || !writes(bareRows, bareOk)) {
      notes.push('WARNING: audit rows do not match the responses counted');
    }
    for (const run of [fixed, real, bare, bareRow]) {
      const trouble = problems(run);
      if (trouble.length) {
        notes.push(`WARNING: ${run.result.url}: ${trouble.join('; ')} (the figures are not trustworthy)`);
      }
    }
    if (pacedTrouble.length) {
      notes.push(`WARNING: evenly paced run: ${pacedTrouble.join('; ')} (the figures are not trustworthy)`);
    }
    notes.push(
      `1-minute load average after: ${load1()} (this benchmark's own processes count in it; ` +
        `well above 2 means other work on the machine competed and skewed the figures)`,
    );

    const p95 = percentile(fixed.timingsMs, 95);
    const pacedP95 = percentile(paced.timingsMs, 95);
    const ratio = real.okPerSecond / bare.okPerSecond;
    const heldRate = fixed.okPerSecond >= FIXED_RATE * RATE_TOLERANCE;
    if (!heldRate) {
      notes.push(`the fixed-rate run completed only ${rps(fixed.okPerSecond)} of ${FIXED_RATE}`);
    }
    const clean = (run: Run) => problems(run).length === 0;
    return {
      dialect,
      fixed,
      p95,
      paced,
      pacedP95,
      pacedPass: pacedP95 <= P95_TARGET_MS && pacedTrouble.length === 0,
      real,
      bare,
      bareRow,
      ratio,
      p95Pass: p95 <= P95_TARGET_MS && heldRate && clean(fixed),
      ratioPass: ratio >= RATIO_TARGET && clean(real) && clean(bare),
      notes,
    };
  } finally {
    if (child.connected) {
      post(child, { type: 'stop' });
    }
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }
}

function printReport(r: DialectReport): void {
  const f = r.fixed.timingsMs;
  const e = r.paced.timingsMs;
  const lat = r.fixed.result.latency;
  console.log(`\n--- ${r.dialect}: results ---`);
  console.log(
    table([
      ['measure', 'figure', 'target', 'verdict'],
      [
        `page p95 at ${FIXED_RATE} req/s (autocannon overallRate)`,
        ms(r.p95),
        `≤ ${P95_TARGET_MS} ms`,
        verdict(r.p95Pass),
      ],
      [
        `page p95 at ${FIXED_RATE} req/s (evenly paced, open loop)`,
        ms(r.pacedP95),
        `≤ ${P95_TARGET_MS} ms`,
        verdict(r.pacedPass),
      ],
      ['page throughput', rps(r.real.okPerSecond), '', ''],
      ['bare route throughput (overview read, audit row)', rps(r.bare.okPerSecond), '', ''],
      ['ratio page / bare', r.ratio.toFixed(2), `≥ ${RATIO_TARGET}`, verdict(r.ratioPass)],
    ]),
  );
  console.log(
    `for the record, not the target: a bare route reading only the patient's row and writing the ` +
      `audit row ${rps(r.bareRow.okPerSecond)} (page / that route ${(r.real.okPerSecond / r.bareRow.okPerSecond).toFixed(2)})`,
  );
  console.log(
    `autocannon ${FIXED_RATE} req/s run: ${f.length} responses in ${r.fixed.result.duration} s ` +
      `(${rps(r.fixed.okPerSecond)} 2xx); exact from every response time: p50 ${ms(percentile(f, 50))}, ` +
      `p95 ${ms(r.p95)}, p99 ${ms(percentile(f, 99))}, max ${ms(Math.max(...f))} ` +
      `(autocannon's own histogram: p90 ${lat.p90} ms, p97.5 ${lat.p97_5} ms)`,
  );
  console.log(
    `evenly paced ${FIXED_RATE} req/s run: ${r.paced.ok} × 2xx of ${r.paced.sent} sent in ${r.paced.seconds.toFixed(2)} s; ` +
      `from each request's due time: p50 ${ms(percentile(e, 50))}, p95 ${ms(r.pacedP95)}, ` +
      `p99 ${ms(percentile(e, 99))}, max ${ms(Math.max(...e))}`,
  );
  console.log(
    `mean latency at full load (${CONNECTIONS} connections): page ${r.real.result.latency.mean} ms, ` +
      `bare ${r.bare.result.latency.mean} ms, bare patient-row ${r.bareRow.result.latency.mean} ms`,
  );
  for (const note of r.notes) {
    console.log(note);
  }
}

console.log(
  'Benchmark: authenticated patient page (GET /patients/:id) vs a bare Fastify route doing its ' +
    'database read and write (patientOverview)',
);
console.log(
  `node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}); ` +
    `servers in a child process, load generated in this one, over loopback`,
);
console.log(
  `p95 at ${FIXED_RATE} req/s, two ways, each over ${FIXED_SECONDS} s and computed here from every response ` +
    `(autocannon's histogram has p90 and p97.5 but no p95):\n` +
    `  - autocannon, overallRate ${FIXED_RATE}, ${CONNECTIONS} connections: each connection sends its ` +
    `${FIXED_RATE / CONNECTIONS} requests a second back-to-back, then waits for the next second (bursts);\n` +
    `  - evenly paced: a request due every ${1000 / FIXED_RATE} ms, sent when due, timed from when it was due.`,
);
console.log(
  `throughput: 2xx responses a second over ${MAX_SECONDS} s unthrottled (autocannon, ${CONNECTIONS} connections) ` +
    `after a ${WARMUP_SECONDS} s warm-up`,
);

const reports: DialectReport[] = [];
for (const dialect of DIALECTS) {
  try {
    reports.push(await benchDialect(dialect));
  } catch (error) {
    console.log(
      `\n${dialect}: benchmark could not run: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exitCode = 1;
  }
}
for (const r of reports) {
  printReport(r);
}

console.log('\n=== summary ===');
console.log(
  table([
    [
      'database',
      `p95 @${FIXED_RATE} autocannon`,
      'verdict',
      `p95 @${FIXED_RATE} paced`,
      'verdict',
      'page req/s',
      'bare req/s',
      'ratio',
      'verdict',
      'patient-row req/s (for the record)',
    ],
    ...reports.map((r) => [
      r.dialect,
      ms(r.p95),
      verdict(r.p95Pass),
      ms(r.pacedP95),
      verdict(r.pacedPass),
      r.real.okPerSecond.toFixed(0),
      r.bare.okPerSecond.toFixed(0),
      r.ratio.toFixed(2),
      verdict(r.ratioPass),
      r.bareRow.okPerSecond.toFixed(0),
    ]),
  ]),
);
