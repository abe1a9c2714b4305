import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { calcJson as json, calcRefused, itbCalc, withOption } from '../../test/support/itb-calc.ts';
import { refused } from '../../test/support/pump-calc-cli-fixtures.ts';

/** `itb calc residual` through the real command line: worked example 11 and its options. */

const example11 = [
  'residual',
  '--fill-ml',
  '20',
  '--filled-on',
  '2025-01-01',
  '--daily-volume-ml',
  '0.25',
  '--on',
  '2025-02-26',
  '--withdrawn-ml',
  '4.2',
  '--reservoir-ml',
  '20',
];

/** The residual output's figures (it also carries flags and warnings, checked by code). */
const FIGURES = [
  'elapsedDays',
  'expectedMl',
  'discrepancyMl',
  'discrepancyPercent',
  'thresholdMl',
  'flagged',
];
function figures(r: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(FIGURES.map((k) => [k, r[k]]));
}
const flagCodes = (r: Record<string, unknown>) => (r.flags as { code: string }[]).map((f) => f.code);

describe('itb calc residual', () => {
  it('worked example 11: expected 6, discrepancy −1.8 mL (−30%), flagged at 1 mL', async () => {
    const r = await json(example11);
    assert.deepEqual(figures(r), {
      elapsedDays: 56,
      expectedMl: 6,
      discrepancyMl: -1.8,
      discrepancyPercent: -30,
      thresholdMl: 1,
      flagged: true,
    });
    assert.deepEqual(flagCodes(r), ['RESIDUAL_DISCREPANCY']);
  });

  it('worked example 12: expected 12, discrepancy −2.5 mL (−20.83%), flagged at 2 mL', async () => {
    const r = await json([
      'residual',
      '--fill-ml',
      '40',
      '--filled-on',
      '2025-01-01',
      '--daily-volume-ml',
      '0.2',
      '--on',
      '2025-05-21', // 140 days
      '--withdrawn-ml',
      '9.5',
      '--reservoir-ml',
      '40',
    ]);
    assert.deepEqual(figures(r), {
      elapsedDays: 140,
      expectedMl: 12,
      discrepancyMl: -2.5,
      discrepancyPercent: -20.83,
      thresholdMl: 2,
      flagged: true,
    });
  });

  it('gives a null percentage when nothing was expected, and 1 mL exactly is not a discrepancy', async () => {
    // Nothing is expected only once the fill has run out (20 mL at 0.25 mL/day: 80 days), so the
    // refill is flagged: the pump ran dry. The 1 mL drawn back is not a discrepancy.
    const empty = await json(withOption(withOption(example11, '--on', '2025-06-01'), '--withdrawn-ml', '1'));
    assert.equal(empty.expectedMl, 0);
    assert.equal(empty.discrepancyPercent, null);
    assert.equal(empty.discrepancyMl, 1);
    assert.deepEqual(flagCodes(empty), ['RAN_DRY']);
    // 6 mL expected, 7 mL withdrawn: exactly 1 mL (16.67 %), not flagged.
    const exactly = await json(withOption(example11, '--withdrawn-ml', '7'));
    assert.equal(exactly.discrepancyMl, 1);
    assert.equal(exactly.flagged, false);
  });

  it('prints readable text without --json', async () => {
    const r = await itbCalc(example11);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Expected residual: 6 mL after 56 days\n/);
    assert.match(r.stdout, /-1\.8 mL \(-30%\)/);
    assert.match(r.stdout, /Flagged/);
    // Each finding on a line of its own, as every itb calc command prints its warnings.
    assert.match(r.stdout, /^Warning: .*1\.8 mL/m);
  });

  it('refuses a withdrawn volume above the reservoir, naming --withdrawn-ml', async () => {
    await refused(withOption(example11, '--withdrawn-ml', '21'), '--withdrawn-ml: Volume withdrawn (21 mL)');
  });

  it('refuses a fill above the reservoir, naming --fill-ml', async () => {
    await refused(withOption(example11, '--fill-ml', '20.5'), '--fill-ml: ');
  });

  it('refuses a withdrawal dated before the fill, naming --on', async () => {
    await refused(withOption(example11, '--on', '2024-12-31'), '--on: ');
  });

  it('refuses a zero daily volume and a zero reservoir', async () => {
    await refused(withOption(example11, '--daily-volume-ml', '0'), '--daily-volume-ml: ');
    await refused(withOption(example11, '--reservoir-ml', '0'), '--reservoir-ml: ');
  });

  it('refuses an alarm volume of 0 and a reservoir no pump model has, as calc refill does (exit 2)', async () => {
    await calcRefused(
      [...example11, '--alarm-ml', '0'],
      /^--alarm-ml: Low-reservoir alarm volume must be more than 0 mL: read the pump's own off the programmer$/m,
    );
    // Pump models come with 20 or 40 mL reservoirs; the 20 mL fill fits in 30 but no pump has one.
    await calcRefused(
      withOption(example11, '--reservoir-ml', '30'),
      /^--reservoir-ml: Reservoir size must be one a pump model has: 20 or 40 mL, not 30$/m,
    );
    // A 2 mL alarm and the 40 mL reservoir are accepted.
    const ok = await json([...withOption(example11, '--reservoir-ml', '40'), '--alarm-ml', '2']);
    assert.equal(ok.expectedMl, 6);
  });

  it('refuses malformed numbers and dates, and missing options, naming each', async () => {
    await refused(withOption(example11, '--withdrawn-ml', '4,2'), '--withdrawn-ml: give');
    await refused(withOption(example11, '--on', '2025-13-01'), '--on: must be a real date');
    await refused(withOption(example11, '--reservoir-ml', null), '--reservoir-ml');
  });
});
