import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CliError } from './commands.ts';
import { runCli } from './main.ts';
import { calcGasCommand } from './measure-commands.ts';

/**
 * Runs `itb calc gas ARGS` in this process through the real command line (runCli, as bin/itb.js
 * does), capturing standard output and standard error.
 */
async function itbCalcGas(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = (chunk: string) => {
    stdout += chunk;
    return true;
  };
  process.stderr.write = (chunk: string) => {
    stderr += chunk;
    return true;
  };
  try {
    const code = await runCli(['calc', 'gas', ...args]);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

const goals = (...pairs: string[]) => pairs.flatMap((p) => ['--goal', p]);

describe('itb calc gas', () => {
  // clinical-reference.md, worked examples 16 and 17.
  const cases: [string[], string][] = [
    [goals('1:0', '1:1', '1:2'), '{"tScore": 63.69, "warnings": []}\n'],
    [goals('1:1', '1:0', '1:-1'), '{"tScore": 50.00, "warnings": []}\n'],
    [goals('1:-1', '1:-1', '1:-1'), '{"tScore": 36.31, "warnings": []}\n'],
    [goals('1:-2', '1:-2', '1:-2'), '{"tScore": 22.61, "warnings": []}\n'],
    [goals('2:1', '1:2'), '{"tScore": 66.06, "warnings": []}\n'],
  ];
  for (const [args, expected] of cases) {
    it(`${args.join(' ')} --json → ${expected.trim()}`, async () => {
      const r = await itbCalcGas([...args, '--json']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, expected);
      const parsed = JSON.parse(r.stdout) as { tScore: unknown; warnings: unknown };
      assert.equal(typeof parsed.tScore, 'number');
      // Every `itb calc … --json` carries `warnings`; a GAS score has none.
      assert.deepEqual(parsed.warnings, []);
    });
  }

  it('prints a readable line without --json', async () => {
    const r = await itbCalcGas(goals('2:1', '1:2'));
    assert.equal(r.stdout, 'GAS T-score: 66.06 (2 goals, rho 0.3)\n');
  });

  const bad: [string[], RegExp][] = [
    [goals('2:3'), /^--goal: the score must be a whole number from -2 to \+2, not 3/],
    [goals('0:1'), /^--goal: the weight must be a whole number from 1 to 9/],
    [goals('10:1'), /^--goal: the weight/],
    [goals('x'), /^--goal: give each goal as WEIGHT:SCORE/],
    [goals('1.5:1'), /^--goal: give each goal as WEIGHT:SCORE/],
    [goals('1:0.5'), /^--goal: give each goal as WEIGHT:SCORE/],
    [goals('1:1', '2:3'), /not 3 in "2:3"/],
    [[], /^--goal: give at least one goal/],
  ];
  for (const [args, message] of bad) {
    it(`refuses ${args.join(' ') || 'no goals'} naming --goal, with exit code 2`, async () => {
      const r = await itbCalcGas([...args, '--json']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '', 'nothing printed on standard output');
    });
  }

  it('throws a CliError with exit code 2 when called directly', () => {
    assert.throws(
      () => {
        calcGasCommand({ goal: ['2:3'] });
      },
      (err: unknown) => err instanceof CliError && err.exitCode === 2 && err.message.startsWith('--goal:'),
    );
  });
});
