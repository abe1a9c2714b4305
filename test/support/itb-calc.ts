import assert from 'node:assert/strict';
import { runCli } from '../../src/cli/main.ts';

/**
 * Runs `itb calc ARGS` in this process through the real command line (runCli, as bin/itb.js
 * does), capturing standard output and standard error.
 */
export async function itbCalc(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
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
    const code = await runCli(['calc', ...args]);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

/** Runs the command with --json and returns the parsed object, failing on any error output. */
export async function calcJson(args: string[]): Promise<Record<string, unknown>> {
  const r = await itbCalc([...args, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.ok(r.stdout.endsWith('}\n'), 'one JSON object on one line');
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

/** Bad input: exit code 2, every expected text in standard error, nothing on standard output. */
export async function calcRefused(args: string[], ...expected: (string | RegExp)[]): Promise<string> {
  const r = await itbCalc([...args, '--json']);
  assert.equal(r.code, 2, `exit code for ${args.join(' ')}: ${r.stderr}`);
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

/** Replaces (or, with null, removes) one option's value in an argument list. */
export function withOption(args: readonly string[], option: string, value: string | null): string[] {
  const i = args.indexOf(option);
  assert.ok(i >= 0, `${option} is in the base arguments`);
  const copy = [...args];
  copy.splice(i, 2, ...(value === null ? [] : [option, value]));
  return copy;
}
