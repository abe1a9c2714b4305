import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ANN, BOB, CAT, patientBundle } from '../../test/support/fhir-bundles.ts';
import { fhirErrors } from '../../test/support/fhir-validation.ts';

const bin = fileURLToPath(new URL('../../bin/itb.js', import.meta.url));

/** `itb fhir import` and `itb fhir export` as a person runs them, on a database file of their own. */
describe('itb fhir', () => {
  let dir = '';
  let env: NodeJS.ProcessEnv = {};
  const itb = (args: string[], input?: string) =>
    spawnSync(process.execPath, [bin, ...args], { env, input, encoding: 'utf8' });
  const bundleFile = (name: string, bundle: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(bundle));
    return path;
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'itb-fhir-cli-'));
    env = { ...process.env, DATABASE_URL: `sqlite:${join(dir, 'itb.sqlite')}` };
    const added = itb(
      [
        'user',
        'add',
        '--username',
        'nia',
        '--role',
        'nurse-specialist',
        '--name',
        'Nia Nurse',
        '--password-stdin',
      ],
      'a-long-enough-password\n',
    );
    assert.equal(added.status, 0, added.stderr);
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('import registers the patients of a transaction Bundle and prints the report', () => {
    const r = itb([
      'fhir',
      'import',
      bundleFile('three.json', patientBundle([ANN, BOB, CAT])),
      '--as',
      'nia',
    ]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stdout,
      /Imported a transaction bundle of 3 patients: 3 registered, 0 matched, 0 with problems/,
    );
    assert.match(r.stdout, /entry 0: created \(NHS number 4857773457\) patient [0-9a-f-]{36}/);
  });

  it('import of a bundle with a conflict saves nothing, names the element and exits 1', () => {
    const file = bundleFile(
      'conflict.json',
      patientBundle([
        { ...BOB, nhsNumber: '9000000009', given: 'Dan', family: 'Dale' },
        { ...ANN, birthDate: '1962-03-14' },
      ]),
    );
    const r = itb(['fhir', 'import', file, '--as', 'nia']);
    assert.equal(r.status, 1);
    assert.match(
      r.stdout,
      /Nothing was saved: 1 problems in a bundle of 2 entries \(a transaction is all or nothing\)/,
    );
    assert.match(
      r.stdout,
      /Error Bundle\.entry\[1\]\.resource\.birthDate: NHS number 485 777 3457 is registered with another date of birth/,
    );
    assert.match(r.stdout, /entry 0: not-saved/);
    const json = itb(['fhir', 'import', file, '--as', 'nia', '--json']);
    assert.equal(json.status, 1);
    assert.equal((JSON.parse(json.stdout) as { saved: boolean }).saved, false);
  });

  it('refuses a file that is not JSON, an unknown account or one without the permission, with exit code 2', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ not json');
    const r = itb(['fhir', 'import', bad, '--as', 'nia']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /FILE: cannot read/);
    const nobody = itb(['fhir', 'import', bundleFile('one.json', patientBundle([ANN])), '--as', 'nobody']);
    assert.equal(nobody.status, 2);
    assert.match(nobody.stderr, /--as: no active account called nobody/);
    const manager = itb(
      ['user', 'add', '--username', 'max', '--role', 'service-manager', '--name', 'Max', '--password-stdin'],
      'a-long-enough-password\n',
    );
    assert.equal(manager.status, 0, manager.stderr);
    const refused = itb(['fhir', 'export', join(dir, 'never'), '--as', 'max']);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /--as: max's role \(service-manager\) does not have patient:read/);
  });

  it('export writes one NDJSON file per type, each line a valid resource, with a summary', () => {
    const out = join(dir, 'export');
    const r = itb(['fhir', 'export', out, '--as', 'nia']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Exported \d+ resources to .* in [\d.]+ s/);
    assert.ok(readdirSync(out).every((f) => f.endsWith('.ndjson')));
    const patients = readFileSync(join(out, 'Patient.ndjson'), 'utf8').trimEnd().split('\n');
    assert.equal(patients.length, 3);
    let total = 0;
    for (const file of readdirSync(out)) {
      const lines = readFileSync(join(out, file), 'utf8').split('\n');
      assert.equal(lines.pop(), '', `${file} ends with a newline`);
      for (const line of lines) {
        const resource = JSON.parse(line) as { resourceType: string };
        assert.equal(`${resource.resourceType}.ndjson`, file);
        assert.deepEqual(fhirErrors(resource), []);
      }
      // The summary's count for the file is the number of lines in it.
      assert.match(r.stdout, new RegExp(`${file.replace('.', '\\.')}\\s+${String(lines.length)}\\n`));
      total += lines.length;
    }
    assert.match(r.stdout, new RegExp(`Exported ${String(total)} resources`));
  });

  it('export refuses a folder with files unless --force, and unknown types', () => {
    const out = join(dir, 'busy');
    mkdirSync(out);
    writeFileSync(join(out, 'keep.txt'), 'x');
    const refused = itb(['fhir', 'export', out, '--as', 'nia']);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /is not empty; choose an empty folder or add --force/);
    const forced = itb(['fhir', 'export', out, '--as', 'nia', '--force', '--types', 'Patient']);
    assert.equal(forced.status, 0, forced.stderr);
    assert.deepEqual(readdirSync(out).sort(), ['Patient.ndjson', 'keep.txt']);
    const unknown = itb(['fhir', 'export', join(dir, 'none'), '--as', 'nia', '--types', 'Patient,Encounter']);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /--types: unknown Encounter/);
  });
});
