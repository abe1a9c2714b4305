import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Figure, SectionOptions } from './figure.ts';
import { nhsNumber, patientBody } from './clinic.ts';
import {
  auditVerify,
  createInstance,
  onExit,
  runProcess,
  sleep,
  startServer,
  type ServerProcess,
} from './harness.ts';
import { errorCode, getStatus, request, type Answer } from './http.ts';
import { figures } from './targets.ts';

/**
 * SQLite's file system failing: the database directory read-only when the service starts, and
 * the disk filling up under a write. Root ignores file permissions, so neither is simulated
 * with chmod: the read-only directory is a read-only bind mount of it (the kernel refuses every
 * write with EROFS, root's included), and the full disk is a small tmpfs filled to the last
 * block (writes fail with ENOSPC, so SQLite reports SQLITE_FULL exactly as on a full disk).
 * Both need CAP_SYS_ADMIN to mount; without it the section fails and says so.
 */

async function mount(args: readonly string[], what: string): Promise<void> {
  const result = await runProcess('mount', args, process.env, 30_000);
  if (result.code !== 0) {
    throw new Error(
      `cannot simulate ${what}: mount ${args.join(' ')} failed (${result.stderr.trim()}); it needs root with CAP_SYS_ADMIN`,
    );
  }
}

/** Mounts with an undo step that runs even if the run is interrupted; returns the undo. */
async function mounted(dir: string, args: readonly string[], what: string): Promise<() => Promise<void>> {
  await mount(args, what);
  const forget = onExit(() => {
    try {
      execFileSync('umount', ['-l', dir]);
    } catch {
      // Already unmounted.
    }
  });
  return async () => {
    forget();
    await runProcess('umount', ['-l', dir], process.env, 30_000);
  };
}

async function readOnlyAtStart(
  options: SectionOptions,
  fig: ReturnType<typeof figures>,
  out: Figure[],
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'itb-evidence-readonly-'));
  const instance = await createInstance(options, 'faults-ro', { sqliteDir: dir });
  let server: ServerProcess | null = null;
  const unmount = await mounted(dir, ['--bind', '-o', 'ro', dir, dir], 'a read-only directory');
  try {
    server = await startServer(instance, { waitHealthy: false });
    const started = Date.now();
    let health = 0;
    while (Date.now() - started < 30_000 && server.running() && health !== 200) {
      health = await getStatus(`${server.url}/health`, 2_000);
      await sleep(250);
    }
    const code = server.running() ? 'running' : await server.exited;
    const output = server.output();
    options.log(
      `faults/sqlite: read-only directory at start: ${String(code)}, /health ${String(health)}: ${output.trim().slice(-400)}`,
    );
    out.push(
      fig.holds(
        'read-only directory at start: stops with a non-zero exit code',
        typeof code === 'number' && code !== 0,
      ),
      fig.holds(
        'read-only directory at start: the message names the directory and says read-only',
        output.includes(dir) && /read-?only|not writable|EROFS/i.test(output),
      ),
    );
  } finally {
    await server?.kill();
    await unmount();
    await instance.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes a filler file until the file system says ENOSPC (bounded by the mount's size). */
function fillUp(path: string, limitBytes: number): number {
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(64 * 1024, 0x55);
  let written = 0;
  try {
    while (written < limitBytes) {
      written += writeSync(fd, chunk);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') {
      throw err;
    }
    // The last block may take part of a chunk; fill what remains byte-sized pieces at a time.
    for (const size of [4096, 512, 1]) {
      try {
        for (;;) {
          written += writeSync(fd, chunk.subarray(0, size));
        }
      } catch {
        // Full at this size: try smaller.
      }
    }
  } finally {
    closeSync(fd);
  }
  return written;
}

const TMPFS_MB = 32;

async function diskFull(
  options: SectionOptions,
  fig: ReturnType<typeof figures>,
  out: Figure[],
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'itb-evidence-full-'));
  const unmount = await mounted(
    dir,
    ['-t', 'tmpfs', '-o', `size=${String(TMPFS_MB)}m`, 'tmpfs', dir],
    'a full disk',
  );
  const instance = await createInstance(options, 'faults-full', { sqliteDir: dir });
  let server: ServerProcess | null = null;
  const filler = join(dir, 'filler');
  try {
    server = await startServer(instance);
    const url = server.url;
    const token = instance.staff.nurse.token;
    let n = 0;
    for (; n < 5; n++) {
      await request(url, 'POST', '/api/v1/patients', { token, body: patientBody(n) });
    }
    const filled = fillUp(filler, TMPFS_MB * 1024 * 1024);
    options.log(`faults/sqlite: disk filled with ${String(Math.round(filled / 1024))} KiB`);
    // Each commit appends to the write-ahead log; within a few the file system has no block left.
    let refused: Answer | null = null;
    let refusedNhs = '';
    for (let tries = 0; tries < 200 && refused === null; tries++, n++) {
      const answer = await request(url, 'POST', '/api/v1/patients', { token, body: patientBody(n) });
      if (answer.status !== 201) {
        refused = answer;
        refusedNhs = nhsNumber(n);
      }
    }
    const health = await getStatus(`${url}/health`, 10_000);
    const signInPage = await getStatus(`${url}/sign-in`, 10_000);
    const running = server.running();
    options.log(
      `faults/sqlite: disk full: write ${String(refused?.status)} ${refused ? (errorCode(refused) ?? refused.failure ?? '') : ''}, /health ${String(health)}, sign-in page ${String(signInPage)}`,
    );
    const clear =
      refused !== null &&
      (refused.status === 503 || refused.status === 507) &&
      (errorCode(refused) ?? 'INTERNAL') !== 'INTERNAL';
    out.push(
      fig.holds('disk full: a write is refused', refused !== null),
      fig.holds('disk full: the refusal is a clear error (503 or 507 with its own code)', clear),
      fig.holds(
        // /health reports the full disk (503) rather than claiming all is well; pages that
        // need no audited read, such as signing in, still answer.
        'disk full: the service keeps running, /health reports it (503), pages still answer',
        running && health === 503 && signInPage === 200,
      ),
    );
    unlinkSync(filler);
    let again = false;
    for (let tries = 0; tries < 20 && !again && server.running(); tries++, n++) {
      const answer = await request(url, 'POST', '/api/v1/patients', { token, body: patientBody(n) });
      again = answer.status === 201;
      if (!again) {
        await sleep(250);
      }
    }
    out.push(fig.holds('disk full: writes work again once space is freed, no restart', again));
    await server.kill();
    server = null;
    const handle = instance.open();
    let leftBehind = -1;
    try {
      const rows = await handle.db
        .selectFrom('patients')
        .select('id')
        .where('nhs_number', '=', refusedNhs)
        .execute();
      leftBehind = rows.length;
    } finally {
      await handle.close();
    }
    const audit = await auditVerify(instance.databaseUrl);
    out.push(
      fig.exactly('disk full: rows left by the refused write', leftBehind, 'rows', 0),
      fig.holds('disk full: itb audit verify passes afterwards', audit.intact),
    );
  } finally {
    await server?.kill();
    await instance.dispose();
    await unmount();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function sqliteFaults(options: SectionOptions): Promise<Figure[]> {
  const fig = figures('faults', 'sqlite');
  const out: Figure[] = [];
  await readOnlyAtStart(options, fig, out);
  await diskFull(options, fig, out);
  return out;
}
