import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from './main.ts';

/** `itb calc residual …` through the real command line, standard output and error captured. */
async function residual(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
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
    const code = await runCli(['calc', 'residual', ...args]);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

async function json(args: string[]): Promise<Record<string, unknown>> {
  const r = await residual([...args, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

const codes = (r: Record<string, unknown>) => (r.flags as { code: string }[]).map((f) => f.code);

// The ran-dry example: a 20 mL fill at 0.5 mL/day, drawn 60 days later.
const EXAMPLE = [
  '--fill-ml',
  '20',
  '--filled-on',
  '2025-01-06',
  '--daily-volume-ml',
  '0.5',
  '--on',
  '2025-03-07',
  '--withdrawn-ml',
  '0',
  '--reservoir-ml',
  '20',
];

describe('itb calc residual: what the refill finds', () => {
  it('the ran-dry example: 20 mL at 0.5 mL/day ran dry on 2025-02-15 (40 days), flagged', async () => {
    // 20 mL ÷ 0.5 mL/day = 40 days → 2025-01-06 + 40 = 2025-02-15; 60 days × 0.5 = 30 mL needed.
    const r = await json(EXAMPLE);
    assert.equal(r.flagged, true);
    assert.equal(r.ranDryOn, '2025-02-15');
    assert.equal(r.expectedMl, 0);
    assert.deepEqual(codes(r), ['RAN_DRY']);
    assert.deepEqual(r.warnings, r.flags);
    assert.match((r.flags as { message: string }[])[0]?.message ?? '', /ran dry on 15 February 2025/);
  });

  it('whatever was withdrawn: 4 mL drawn back still leaves RAN_DRY', async () => {
    const r = await json([...EXAMPLE.slice(0, 9), '4', ...EXAMPLE.slice(10)]);
    assert.equal(r.ranDryOn, '2025-02-15');
    assert.ok(codes(r).includes('RAN_DRY'));
  });

  it('a day before it ran dry: not flagged, no date', async () => {
    // 2025-02-14: 39 × 0.5 = 19.5 mL → 0.5 mL expected, 0.5 mL withdrawn.
    const r = await json([
      '--fill-ml',
      '20',
      '--filled-on',
      '2025-01-06',
      '--daily-volume-ml',
      '0.5',
      '--on',
      '2025-02-14',
      '--withdrawn-ml',
      '0.5',
      '--reservoir-ml',
      '20',
    ]);
    assert.equal(r.ranDryOn, null);
    assert.equal(r.flagged, false);
    assert.equal(r.expectedMl, 0.5);
  });

  it('--alarm-ml: refilled on the alarm date is AFTER_ALARM', async () => {
    // (20 − 2) ÷ 0.3 = 60 days → alarm 2025-03-07; 60 × 0.3 = 18 → 2 mL expected and withdrawn.
    const base = [
      '--fill-ml',
      '20',
      '--filled-on',
      '2025-01-06',
      '--daily-volume-ml',
      '0.3',
      '--withdrawn-ml',
      '2',
      '--reservoir-ml',
      '20',
      '--alarm-ml',
      '2',
    ];
    const on = await json([...base, '--on', '2025-03-07']);
    assert.equal(on.alarmOn, '2025-03-07');
    assert.deepEqual(codes(on), ['AFTER_ALARM']);
    assert.equal(on.flagged, true);
    // The day before: 59 × 0.3 = 17.7 → 2.3 mL expected; 2 mL withdrawn is 0.3 mL (13 %) short.
    const before = await json([...base, '--on', '2025-03-06']);
    assert.deepEqual(codes(before), []);
    assert.equal(before.flagged, false);
  });

  it('--expected-ml: the programmer’s figure 3 mL off the computed one is EXPECTED_RESIDUAL_MISMATCH', async () => {
    // Computed: 20 − 56 × 0.25 = 6 mL; typed 9 mL, withdrawn 9 mL (no discrepancy from the typed figure).
    const args = [
      '--fill-ml',
      '20',
      '--filled-on',
      '2025-01-01',
      '--daily-volume-ml',
      '0.25',
      '--on',
      '2025-02-26',
      '--withdrawn-ml',
      '9',
      '--reservoir-ml',
      '20',
    ];
    const r = await json([...args, '--expected-ml', '9']);
    assert.equal(r.expectedMl, 6);
    assert.equal(r.programmerExpectedMl, 9);
    assert.equal(r.discrepancyMl, 0);
    assert.deepEqual(codes(r), ['EXPECTED_RESIDUAL_MISMATCH']);
    // Within 1 mL: 6.9 typed and withdrawn.
    const close = await json([...args.slice(0, 9), '6.9', ...args.slice(10), '--expected-ml', '6.9']);
    assert.deepEqual(codes(close), []);
  });

  it('flags a discrepancy by percentage alone: 0.5 mL short of 2 mL (25 %)', async () => {
    // 20 − 36 × 0.5 = 2 mL expected; 1.5 withdrawn: −0.5 mL is within 1 mL, −25 % beyond 20 %.
    const r = await json([
      '--fill-ml',
      '20',
      '--filled-on',
      '2025-01-06',
      '--daily-volume-ml',
      '0.5',
      '--on',
      '2025-02-11',
      '--withdrawn-ml',
      '1.5',
      '--reservoir-ml',
      '20',
    ]);
    assert.equal(r.discrepancyMl, -0.5);
    assert.equal(r.discrepancyPercent, -25);
    assert.deepEqual(codes(r), ['RESIDUAL_DISCREPANCY']);
  });

  it('prints the day it ran dry and each flag in text', async () => {
    const r = await residual(EXAMPLE);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Ran dry on: 15 February 2025/);
    assert.match(r.stdout, /^Warning: The pump ran dry/m);
  });

  it('refuses an alarm volume at or above the fill and a programmer’s figure above the reservoir, naming each', async () => {
    const r = await residual([...EXAMPLE, '--alarm-ml', '20', '--expected-ml', '21', '--json']);
    assert.notEqual(r.code, 0);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /--alarm-ml: Low-reservoir alarm volume \(20 mL\) must be less than/);
    assert.match(r.stderr, /--expected-ml: .*\(21 mL\) must not be more than the reservoir/);
    const typed = await residual([...EXAMPLE, '--alarm-ml', '2mL', '--json']);
    assert.match(typed.stderr, /--alarm-ml: give/);
  });
});
