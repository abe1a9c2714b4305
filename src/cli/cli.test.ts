import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { openDatabase } from '../storage/create-database.ts';
import { PG_URL } from '../../test/support/databases.ts';

const bin = fileURLToPath(new URL('../../bin/itb.js', import.meta.url));

describe('itb command line', () => {
  let dir = '';
  let env: NodeJS.ProcessEnv = {};
  const itb = (args: string[], input?: string) =>
    spawnSync(process.execPath, [bin, ...args], { env, input, encoding: 'utf8' });

  /** Adds the administrator the token, audit and backup commands work on, as a person would. */
  const addAda = () => {
    const r = itb(
      [
        'user',
        'add',
        '--username',
        'ada',
        '--role',
        'administrator',
        '--name',
        'Ada Admin',
        '--password-stdin',
      ],
      'a-long-enough-password\n',
    );
    assert.equal(r.status, 0, r.stderr);
  };

  // Each test runs on a database file of its own.
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'itb-cli-'));
    env = { ...process.env, DATABASE_URL: `sqlite:${join(dir, 'itb.sqlite')}` };
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('itb migrate creates the schema', () => {
    const r = itb(['migrate']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /up to date \(sqlite\)/);
  });

  it('itb user add reads the password from standard input', () => {
    const r = itb(
      [
        'user',
        'add',
        '--username',
        'ada',
        '--role',
        'administrator',
        '--name',
        'Ada Admin',
        '--password-stdin',
      ],
      'a-long-enough-password\n',
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Added ada \(administrator\)/);
  });

  it('itb user add names the bad flag on stderr and exits non-zero', () => {
    addAda();
    const r = itb(
      ['user', 'add', '--username', 'bob', '--role', 'wizard', '--name', 'Bob', '--password-stdin'],
      'a-long-enough-password',
    );
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /--role: Select a role/);
    const short = itb(
      ['user', 'add', '--username', 'bob', '--role', 'consultant', '--name', 'Bob', '--password-stdin'],
      'short',
    );
    assert.notEqual(short.status, 0);
    assert.match(short.stderr, /--password-stdin: Password must be at least 12 characters/);
    const common = itb(
      ['user', 'add', '--username', 'bob', '--role', 'consultant', '--name', 'Bob', '--password-stdin'],
      'Qwerty123456',
    );
    assert.notEqual(common.status, 0);
    assert.match(common.stderr, /--password-stdin: Password is on a list of commonly used passwords/);
    const dup = itb(
      ['user', 'add', '--username', 'ada', '--role', 'consultant', '--name', 'Again', '--password-stdin'],
      'a-long-enough-password',
    );
    assert.match(dup.stderr, /--username: This username is already taken/);
    const noStdin = itb(['user', 'add', '--username', 'bob', '--role', 'consultant', '--name', 'Bob']);
    assert.match(noStdin.stderr, /--password-stdin/);
  });

  it('itb token create prints the token as the last line', () => {
    addAda();
    const r = itb(['token', 'create', '--username', 'ada']);
    assert.equal(r.status, 0, r.stderr);
    const last = r.stdout.trim().split('\n').at(-1) ?? '';
    assert.match(last, /^itb_[A-Za-z0-9_-]{40,}$/);
    assert.match(r.stdout, /expires \d{4}-\d{2}-\d{2}T[\d:.]+Z \(API_TOKEN_LIFETIME_DAYS=90;/);
    const missing = itb(['token', 'create', '--username', 'nobody']);
    assert.notEqual(missing.status, 0);
    assert.match(missing.stderr, /--username: no account called nobody/);
  });

  it('itb audit verify passes an intact trail and fails a tampered one', async () => {
    addAda();
    // Every command seals what it appended before it ends, so nothing is left waiting.
    const seal = itb(['audit', 'seal']);
    assert.equal(seal.status, 0, seal.stderr);
    assert.match(seal.stdout, /^Audit trail: 0 entries sealed\.$/m);
    const ok = itb(['audit', 'verify']);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /Audit trail intact: \d+ entries/);

    const h = openDatabase({ kind: 'sqlite', path: join(dir, 'itb.sqlite') });
    await sql`drop trigger audit_events_no_update`.execute(h.db);
    await h.db.updateTable('audit_events').set({ username: 'mallory' }).where('seq', '=', 1).execute();
    await h.close();
    const bad = itb(['audit', 'verify']);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /NOT intact: hash-mismatch at entry 1/);
  });

  it('itb user reset-2fa removes the second factor and recovery codes, audited as from the command line', async () => {
    addAda();
    const h = openDatabase({ kind: 'sqlite', path: join(dir, 'itb.sqlite') });
    const ada = await h.db.selectFrom('users').select(['id']).executeTakeFirstOrThrow();
    await h.db.updateTable('users').set({ totp_secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' }).execute();
    await h.db
      .insertInto('recovery_codes')
      .values({
        id: 'r1',
        user_id: ada.id,
        code_hash: 'x:y',
        created_at: '2026-01-01T00:00:00.000Z',
        used_at: null,
      })
      .execute();
    await h.close();

    const r = itb(['user', 'reset-2fa', 'ada']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Second factor of ada reset/);
    const after = openDatabase({ kind: 'sqlite', path: join(dir, 'itb.sqlite') });
    const user = await after.db.selectFrom('users').select(['totp_secret']).executeTakeFirstOrThrow();
    assert.equal(user.totp_secret, null);
    assert.equal((await after.db.selectFrom('recovery_codes').selectAll().execute()).length, 0);
    const audit = await after.db
      .selectFrom('audit_events')
      .select(['action', 'user_id', 'entity_id', 'details'])
      .where('action', '=', 'user.mfa-reset')
      .executeTakeFirstOrThrow();
    assert.equal(audit.user_id, null);
    assert.equal(audit.entity_id, ada.id);
    assert.match(audit.details, /"via":"cli"/);
    await after.close();

    const again = itb(['user', 'reset-2fa', 'ada']);
    assert.notEqual(again.status, 0);
    assert.match(again.stderr, /no second factor/);
    const nobody = itb(['user', 'reset-2fa', 'nobody']);
    assert.notEqual(nobody.status, 0);
    assert.match(nobody.stderr, /no account called nobody/);
  });

  it('itb backup writes a consistent copy and never overwrites a file', async () => {
    addAda();
    const target = join(dir, 'backup.sqlite');
    const r = itb(['backup', target]);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(existsSync(target));
    const copy = openDatabase({ kind: 'sqlite', path: target });
    const users = await copy.db.selectFrom('users').select('username').execute();
    assert.deepEqual(
      users.map((u) => u.username),
      ['ada'],
    );
    await copy.close();
    const again = itb(['backup', target]);
    assert.notEqual(again.status, 0);
    assert.match(again.stderr, /already exists/);
  });

  it("itb backup on PostgreSQL says to use the database's own tools", () => {
    const r = spawnSync(process.execPath, [bin, 'backup', join(dir, 'x')], {
      env: { ...env, DATABASE_URL: PG_URL },
      encoding: 'utf8',
    });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /pg_dump/);
  });

  it('a bad DATABASE_URL is a clear error', () => {
    const r = spawnSync(process.execPath, [bin, 'migrate'], {
      env: { ...env, DATABASE_URL: 'mysql://x' },
      encoding: 'utf8',
    });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /DATABASE_URL must start with sqlite: or postgres:\/\//);
  });
});

describe('itb serve flags', () => {
  it('names a bad --port', () => {
    const r = spawnSync(process.execPath, [bin, 'serve', '--port', 'abc'], { encoding: 'utf8' });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /--port: must be a whole number/);
  });
});
