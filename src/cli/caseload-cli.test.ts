import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SAMPLE_HEADERS, sampleCaseloadCsv, sampleCaseloadRows } from '../../test/support/caseload-sample.ts';
import { dateIn } from '../services/clock.ts';

const bin = fileURLToPath(new URL('../../bin/itb.js', import.meta.url));

describe('itb import caseload', () => {
  let dir = '';
  let env: NodeJS.ProcessEnv = {};
  const itb = (args: string[], input?: string) =>
    spawnSync(process.execPath, [bin, ...args], {
      env,
      encoding: 'utf8',
      ...(input === undefined ? {} : { input }),
    });
  // The CLI reads the real clock: the rows are made for today in the service's time zone.
  const today = dateIn(new Date(), 'Europe/London');

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'itb-caseload-cli-'));
    env = { ...process.env, DATABASE_URL: `sqlite:${join(dir, 'itb.sqlite')}` };
    const added = itb(
      [
        'user',
        'add',
        '--username',
        'cora',
        '--role',
        'consultant',
        '--name',
        'Cora Consultant',
        '--password-stdin',
      ],
      'a-long-test-password-1\n',
    );
    assert.equal(added.status, 0, added.stderr);
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the mapping and each problem by row and column, and exits 1 on errors', () => {
    const rows = sampleCaseloadRows(3, today, 11, 80_000);
    const row = rows[1];
    assert.ok(row);
    row[SAMPLE_HEADERS.indexOf('Concentration (mcg/ml)')] = 2;
    const file = join(dir, 'bad.csv');
    writeFileSync(file, sampleCaseloadCsv([...SAMPLE_HEADERS, 'Ward'], rows));
    const r = itb(['import', 'caseload', file, '--as', 'cora']);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /A "NHS number" → NHS number/);
    assert.match(r.stdout, /ignored: R "Ward"/);
    assert.match(r.stdout, /Row 3, Concentration \(mcg\/ml\) \(M\): error: .*looks like milligrams per mL/);
    assert.match(r.stderr, /Nothing imported/);
  });

  it('a dry run saves nothing; the import then brings every row in, once', () => {
    const file = join(dir, 'good.csv');
    writeFileSync(file, sampleCaseloadCsv(SAMPLE_HEADERS, sampleCaseloadRows(10, today, 12, 90_000)));
    const dry = itb(['import', 'caseload', file, '--as', 'cora', '--dry-run']);
    assert.equal(dry.status, 0, dry.stderr);
    assert.match(dry.stdout, /0 errors, 0 warnings; 10 of 10 rows ready\.\nDry run: nothing imported\./);
    const real = itb(['import', 'caseload', file, '--as', 'cora']);
    assert.equal(real.status, 0, real.stderr);
    assert.match(real.stdout, /Imported 10 pumps: 10 patients registered/);
    const again = itb(['import', 'caseload', file, '--as', 'cora']);
    assert.equal(again.status, 1);
    assert.match(again.stdout, /registered with a pump in service already/);
  });

  it('names a file it cannot read, and an unknown account', () => {
    const txt = join(dir, 'notes.txt');
    writeFileSync(txt, 'hello');
    const wrong = itb(['import', 'caseload', txt, '--as', 'cora']);
    assert.equal(wrong.status, 1);
    assert.match(wrong.stderr, /file: notes\.txt must be an Excel workbook \(\.xlsx\) or a CSV file/);
    const nobody = itb(['import', 'caseload', txt, '--as', 'nobody']);
    assert.equal(nobody.status, 2);
    assert.match(nobody.stderr, /--as: no account called nobody/);
  });
});
