import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { withOption } from '../../test/support/itb-calc.ts';
import { example4 } from '../../test/support/pump-calc-cli-fixtures.ts';

/** `itb calc` run as its own process (bin/itb.js): settings from the environment, exit codes. */

describe('itb calc through the real process', () => {
  const bin = fileURLToPath(new URL('../../bin/itb.js', import.meta.url));
  const itb = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [bin, 'calc', ...args], {
      encoding: 'utf8',
      env: { ...process.env, REFILL_BUFFER_DAYS: undefined, REFILL_MAX_INTERVAL_DAYS: undefined, ...env },
    });

  it('REFILL_BUFFER_DAYS=10 in the environment changes the default buffer', () => {
    const plain = itb([...example4, '--json']);
    assert.equal(plain.status, 0, plain.stderr);
    assert.equal((JSON.parse(plain.stdout) as { refillDueBy: string }).refillDueBy, '2025-02-28');
    const r = itb([...example4, '--json'], { REFILL_BUFFER_DAYS: '10' });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { refillDueBy: string; bufferDays: number };
    assert.equal(out.bufferDays, 10);
    assert.equal(out.refillDueBy, '2025-02-25');
    // An explicit --buffer-days still wins over the setting.
    const explicit = itb([...example4, '--buffer-days', '7', '--json'], { REFILL_BUFFER_DAYS: '10' });
    assert.equal((JSON.parse(explicit.stdout) as { refillDueBy: string }).refillDueBy, '2025-02-28');
  });

  it('SERVICE_CLOSED_DAYS moves the working due date', () => {
    const r = itb([...example4, '--json'], { SERVICE_CLOSED_DAYS: '2025-02-28' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(
      (JSON.parse(r.stdout) as { refillDueByWorkingDay: string }).refillDueByWorkingDay,
      '2025-02-27',
    );
  });

  it('exits non-zero with the message on standard error and nothing on standard output', () => {
    const r = itb(withOption(example4, '--concentration', '0'));
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^--concentration: /);
  });
});
