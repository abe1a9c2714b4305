import assert from 'node:assert/strict';
import { itbCalc } from './itb-calc.ts';

/**
 * Shared by the `itb calc` command-line tests (src/cli/pump-calc-cli-*.test.ts): worked example
 * 4's arguments, and bad input refused with any non-zero exit (calcRefused in itb-calc.ts holds
 * the exit to 2).
 */

// Worked example 4 (clinical-reference.md).
export const example4 = [
  'refill',
  '--reservoir-ml',
  '20',
  '--fill-ml',
  '20',
  '--concentration',
  '500',
  '--dose',
  '150',
  '--alarm-ml',
  '2',
  '--filled-on',
  '2025-01-06',
];

/** Bad input: a non-zero exit, every named option in standard error, nothing on standard output. */
export async function refused(args: string[], ...expected: (string | RegExp)[]): Promise<string> {
  const r = await itbCalc([...args, '--json']);
  assert.notEqual(r.code, 0, `exit code for ${args.join(' ')}`);
  assert.equal(r.stdout, '', 'nothing printed on standard output');
  for (const e of expected) {
    if (typeof e === 'string') {
      assert.ok(r.stderr.includes(e), `standard error names ${e}:\n${r.stderr}`);
    } else {
      assert.match(r.stderr, e);
    }
  }
  return r.stderr;
}
