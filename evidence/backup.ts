import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type DatabaseHandle } from '../src/storage/create-database.ts';
import type { Section, SectionOptions } from './figure.ts';
import {
  auditVerify,
  createInstance,
  pgAdmin,
  runItb,
  runProcess,
  schemaUrl,
  sleep,
  startServer,
  withTimeout,
  type Instance,
  type ServerProcess,
} from './harness.ts';
import { figures } from './targets.ts';
import { countMissing, Ledger, writeJourneys, type LedgerTable, type WriterControl } from './writer.ts';

/**
 * Backup: a backup taken while clients write is restored, and the restored copy must hold every
 * write acknowledged before the backup began and pass `itb audit verify`. On SQLite the backup is
 * `itb backup FILE` and the restore puts that file in place as the database; on PostgreSQL
 * `itb backup` declines and names pg_dump, so that is what is tested: `pg_dump --format=custom`
 * of the schema, restored with pg_restore into a new database.
 */

const WRITERS = 3;

interface Restored {
  readonly databaseUrl: string;
  open(): DatabaseHandle;
  dispose(): Promise<void>;
}

interface Taken {
  readonly ok: boolean;
  readonly detail: string;
  readonly restore: () => Promise<Restored>;
}

let restoreCounter = 0;

async function backupSqlite(instance: Instance, dir: string, n: number): Promise<Taken> {
  const file = join(dir, `backup-${String(n)}.sqlite`);
  const result = await runItb(instance.databaseUrl, ['backup', file]);
  return {
    ok: result.code === 0,
    detail: `${result.stdout.trim()} ${result.stderr.trim()}`,
    restore: () => {
      // Restoring is putting the copy where the service expects its database.
      const target = mkdtempSync(join(tmpdir(), 'itb-evidence-restored-'));
      const path = join(target, 'itb.sqlite');
      copyFileSync(file, path);
      return Promise.resolve({
        databaseUrl: `sqlite:${path}`,
        open: () => openDatabase({ kind: 'sqlite', path }),
        dispose: () => {
          rmSync(target, { recursive: true, force: true });
          return Promise.resolve();
        },
      });
    },
  };
}

async function backupPostgres(
  options: SectionOptions,
  instance: Instance,
  dir: string,
  n: number,
): Promise<Taken> {
  const schema = instance.pgSchema ?? '';
  const file = join(dir, `backup-${String(n)}.dump`);
  const result = await runProcess(
    'pg_dump',
    ['--format=custom', `--schema=${schema}`, `--file=${file}`, options.postgresUrl],
    process.env,
    120_000,
  );
  return {
    ok: result.code === 0,
    detail: result.stderr.trim(),
    restore: async () => {
      const name = `itb_evidence_restore_${String(process.pid)}_${String(restoreCounter++)}`;
      await pgAdmin(options.postgresUrl, (c) => c.query(`create database ${name}`));
      const url = new URL(options.postgresUrl);
      url.pathname = `/${name}`;
      const restoredUrl = url.toString();
      const restored = await runProcess(
        'pg_restore',
        ['--no-owner', `--dbname=${restoredUrl}`, file],
        process.env,
        120_000,
      );
      if (restored.code !== 0) {
        throw new Error(`pg_restore failed: ${restored.stderr.trim()}`);
      }
      return {
        databaseUrl: schemaUrl(restoredUrl, schema),
        open: () =>
          openDatabase({ kind: 'postgres', url: restoredUrl }, { pgSearchPath: schema, pgPoolSize: 2 }),
        dispose: () =>
          pgAdmin(options.postgresUrl, (c) => c.query(`drop database if exists ${name} with (force)`)).then(
            () => undefined,
          ),
      };
    },
  };
}

export const backupSection: Section = async (options) => {
  const fig = figures('backup', options.database);
  const backups = options.size === 'full' ? 10 : 1;
  const instance = await createInstance(options, 'backup');
  const dir = mkdtempSync(join(tmpdir(), 'itb-evidence-backups-'));
  let server: ServerProcess | null = null;
  const ledger = new Ledger();
  const control: WriterControl = { stopped: false, next: 0 };
  let writers: Promise<void>[] = [];
  try {
    server = await startServer(instance);
    const url = server.url;
    writers = Array.from({ length: WRITERS }, () => writeJourneys(() => url, instance, ledger, control));
    const taken: { taken: Taken; before: Map<LedgerTable, string[]>; total: number }[] = [];
    let during = 0;
    for (let n = 0; n < backups; n++) {
      await sleep(1_000);
      // What the backup must hold: everything acknowledged before it began.
      const before = ledger.snapshot();
      const total = [...before.values()].reduce((sum, ids) => sum + ids.length, 0);
      const t =
        options.database === 'sqlite'
          ? await backupSqlite(instance, dir, n)
          : await backupPostgres(options, instance, dir, n);
      options.log(
        `backup/${options.database}: backup ${String(n + 1)} taken (${t.ok ? 'ok' : 'FAILED'}) with ${String(total)} writes acknowledged before it`,
      );
      if (!t.ok) {
        options.log(`backup/${options.database}: ${t.detail}`);
      }
      during += ledger.total() - total;
      taken.push({ taken: t, before, total });
    }
    control.stopped = true;
    await withTimeout(Promise.all(writers), 60_000, 'writers did not stop');
    await server.kill();
    server = null;

    let missing = 0;
    let intact = 0;
    let servable = false;
    for (const [i, { taken: t, before }] of taken.entries()) {
      if (!t.ok) {
        continue;
      }
      const restored = await t.restore();
      try {
        const handle = restored.open();
        try {
          missing += await countMissing(handle, before);
        } finally {
          await handle.close();
        }
        const audit = await auditVerify(restored.databaseUrl);
        intact += audit.intact ? 1 : 0;
        if (!audit.intact) {
          options.log(
            `backup/${options.database}: audit verify failed on restored copy ${String(i + 1)}: ${audit.detail}`,
          );
        }
        if (i === taken.length - 1) {
          // The last copy is put to work: the service starts on it and answers /health.
          const onCopy = await startServer({ ...instance, databaseUrl: restored.databaseUrl });
          servable = true;
          await onCopy.kill();
        }
      } finally {
        await restored.dispose();
      }
    }
    const acknowledgedBefore = taken.reduce((sum, t) => sum + t.total, 0);
    return [
      fig.exactly('backups taken during writes', taken.filter((t) => t.taken.ok).length, 'backups', backups),
      fig.atLeast('writes acknowledged before the backups began', acknowledgedBefore, 'writes', backups),
      fig.exactly('of those, missing from the restored copy', missing, 'rows', 0),
      fig.exactly('restored copies passing itb audit verify', intact, 'copies', backups),
      fig.holds('the service starts on the restored copy', servable),
      fig.atLeast('writes acknowledged while a backup ran', during, 'writes', 1),
      fig.exactly('error answers to the writers', ledger.refusals.length, 'answers', 0),
    ];
  } finally {
    control.stopped = true;
    await Promise.allSettled(writers);
    await server?.kill();
    await instance.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
};
