import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/itb.js', import.meta.url));
const paediatric = fileURLToPath(new URL('../../docs/protocols/paediatric-itb-v1.json', import.meta.url));

const DB_FILES = ['itb.sqlite', 'itb.sqlite-wal'];
const envFor = (dir: string): NodeJS.ProcessEnv => ({
  ...process.env,
  DATABASE_URL: `sqlite:${join(dir, 'itb.sqlite')}`,
});

describe('itb protocols', () => {
  // A database with a consultant (cas) and a nurse (nia), made once and copied for each test.
  let template = '';
  let dir = '';
  let env: NodeJS.ProcessEnv = {};
  const itb = (args: string[], input = '') =>
    spawnSync(process.execPath, [bin, ...args], { env, input, encoding: 'utf8' });

  before(() => {
    template = mkdtempSync(join(tmpdir(), 'itb-protocols-'));
    env = envFor(template);
    for (const [username, role] of [
      ['cas', 'consultant'],
      ['nia', 'nurse-specialist'],
    ] as const) {
      const r = itb(
        ['user', 'add', '--username', username, '--role', role, '--name', username, '--password-stdin'],
        'a-long-test-password-1\n',
      );
      assert.equal(r.status, 0, r.stderr);
    }
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'itb-protocols-'));
    for (const f of DB_FILES.filter((name) => existsSync(join(template, name)))) {
      copyFileSync(join(template, f), join(dir, f));
    }
    env = envFor(dir);
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  after(() => {
    rmSync(template, { recursive: true, force: true });
  });

  it('lists the built-in adult protocol', () => {
    const r = itb(['protocols', 'list', '--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), [
      {
        code: 'adult-itb',
        version: 2,
        title: 'Adult ITB patient selection',
        population: 'Adults',
        latest: true,
        builtIn: true,
      },
      {
        code: 'adult-itb',
        version: 1,
        title: 'Adult ITB patient selection',
        population: 'Adults',
        latest: false,
        builtIn: true,
      },
    ]);
  });

  it('imports a protocol file once, as a consultant', () => {
    const first = itb(['protocols', 'import', paediatric, '--as', 'cas']);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /Added Paediatric ITB patient selection, version 1/);
    const again = itb(['protocols', 'import', paediatric, '--as', 'cas']);
    assert.match(again.stdout, /already stored with this content: nothing added/);
    const list = JSON.parse(itb(['protocols', 'list', '--json']).stdout) as { code: string }[];
    assert.deepEqual(
      list.map((p) => p.code),
      ['adult-itb', 'adult-itb', 'paediatric-itb'],
    );
  });

  it('refuses a nurse, a file that is not JSON and a definition with errors, naming the problem', () => {
    const nurse = itb(['protocols', 'import', paediatric, '--as', 'nia']);
    assert.notEqual(nurse.status, 0);
    assert.match(nurse.stderr, /Only consultants can add selection protocols/);
    const notJson = join(dir, 'bad.json');
    writeFileSync(notJson, '{ not json');
    const bad = itb(['protocols', 'import', notJson, '--as', 'cas']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /FILE: cannot read/);
    const invalid = join(dir, 'invalid.json');
    writeFileSync(
      invalid,
      JSON.stringify({ code: 'x', version: 1, title: 'X', population: 'All', source: 'S', criteria: [] }),
    );
    const r = itb(['protocols', 'import', invalid, '--as', 'cas']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /criteria: A protocol needs at least one criterion/);
  });
});
