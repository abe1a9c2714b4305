import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { fileURLToPath } from 'node:url';
import { openDatabase } from './create-database.ts';
import { migrateToLatest } from './migrate.ts';

const child = fileURLToPath(new URL('../../test/support/write-and-ack.ts', import.meta.url));

describe('SQLite durability', () => {
  it('keeps every acknowledged write when the process is killed with SIGKILL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'itb-durable-'));
    const path = join(dir, 'd.sqlite');
    const setup = openDatabase({ kind: 'sqlite', path });
    await migrateToLatest(setup);
    await setup.close();

    const proc = spawn(process.execPath, [child, path], { stdio: ['ignore', 'pipe', 'inherit'] });
    let acked = -1;
    await new Promise<void>((resolve) => {
      let buffer = '';
      proc.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        for (const m of buffer.matchAll(/ack (\d+)\n/g)) {
          acked = Math.max(acked, Number(m[1]));
        }
        buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
        if (acked >= 200 && !proc.killed) {
          proc.kill('SIGKILL');
        }
      });
      proc.on('exit', () => {
        resolve();
      });
    });
    assert.ok(acked >= 200);

    const after = openDatabase({ kind: 'sqlite', path });
    const rows = await after.db.selectFrom('settings').select('key').where('key', 'like', 'k%').execute();
    const keys = new Set(rows.map((r) => r.key));
    for (let i = 0; i <= acked; i++) {
      assert.ok(keys.has(`k${i}`), `acknowledged write k${i} survived`);
    }
    const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(after.db);
    assert.equal(mode.rows[0]?.journal_mode, 'wal');
    await after.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
