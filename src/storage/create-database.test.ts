import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, describe, it } from 'node:test';
import { appErrorForDatabase } from '../services/database-app-error.ts';
import { DatabaseOpenError, openDatabase } from './create-database.ts';
import { classifyDatabaseError } from './database-errors.ts';
import { migrateToLatest } from './migrate.ts';

/**
 * The tests run as root, which file modes do not stop, so a read-only file or directory is made
 * with the immutable attribute (chattr +i), which stops root too. Where the file system or the
 * container does not allow it those two tests are skipped; the mapping of SQLite's own
 * read-only error below runs everywhere.
 */
function immutable(path: string, on: boolean): boolean {
  try {
    execFileSync('chattr', [on ? '+i' : '-i', path], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'itb-ro-'));
  dirs.push(dir);
  return dir;
}

async function migratedFile(dir: string): Promise<string> {
  const path = join(dir, 'itb.sqlite');
  const h = openDatabase({ kind: 'sqlite', path });
  await migrateToLatest(h);
  await h.close();
  return path;
}

describe('opening an SQLite database that cannot be written', () => {
  after(() => {
    for (const dir of dirs) {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names a read-only database file at start-up', async (t) => {
    const dir = tempDir();
    const path = await migratedFile(dir);
    if (!immutable(path, true)) {
      t.skip('chattr +i is not available here');
      return;
    }
    try {
      assert.throws(
        () => openDatabase({ kind: 'sqlite', path }),
        (err: unknown) =>
          err instanceof DatabaseOpenError &&
          err.message ===
            `The SQLite database ${path} is read-only (EPERM). Make the file writable by the service's user.`,
      );
    } finally {
      immutable(path, false);
    }
  });

  it('names a read-only directory at start-up', (t) => {
    const dir = tempDir();
    if (!immutable(dir, true)) {
      t.skip('chattr +i is not available here');
      return;
    }
    try {
      const path = join(dir, 'itb.sqlite');
      assert.throws(() => openDatabase({ kind: 'sqlite', path }), {
        name: 'DatabaseOpenError',
        message: new RegExp(
          `^The directory ${dir} is read-only \\(EPERM\\): the SQLite database ${path} needs to write`,
        ),
      });
    } finally {
      immutable(dir, false);
    }
  });

  it('names a directory that cannot be made (a file is in the way)', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'data'), 'not a directory');
    const path = join(dir, 'data', 'itb.sqlite');
    assert.throws(() => openDatabase({ kind: 'sqlite', path }), {
      name: 'DatabaseOpenError',
      message: new RegExp(
        `^Cannot create the directory ${join(dir, 'data')} for the SQLite database \\((EEXIST|ENOTDIR)\\)`,
      ),
    });
  });

  it('reads SQLite’s own read-only and cannot-open errors as such', () => {
    const dir = tempDir();
    const path = join(dir, 'plain.sqlite');
    const rw = new DatabaseSync(path);
    rw.exec('create table t (x)');
    rw.close();
    const ro = new DatabaseSync(path, { readOnly: true });
    let readOnlyError: unknown = null;
    try {
      ro.exec("insert into t values ('x')");
    } catch (err) {
      readOnlyError = err;
    } finally {
      ro.close();
    }
    assert.deepEqual(classifyDatabaseError(readOnlyError), {
      kind: 'read-only',
      cause: 'attempt to write a readonly database (SQLITE_READONLY)',
    });
    const answer = appErrorForDatabase(readOnlyError);
    assert.equal(answer?.error.code, 'DATABASE_UNAVAILABLE');
    assert.deepEqual(answer.error.details, { reason: 'read-only' });
    assert.equal(
      answer.log,
      'database unavailable (read-only): attempt to write a readonly database (SQLITE_READONLY)',
    );

    let cantOpen: unknown = null;
    try {
      new DatabaseSync(join(dir, 'no-such-dir', 'x.sqlite'));
    } catch (err) {
      cantOpen = err;
    }
    assert.deepEqual(classifyDatabaseError(cantOpen), {
      kind: 'unavailable',
      transient: false,
      cause: 'unable to open database file (SQLITE_CANTOPEN)',
    });
  });
});
