import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { calcJson } from '../../test/support/itb-calc.ts';

/**
 * Every `itb calc … --json` output carries `warnings` (an empty list when none), and every
 * warning's `field`, when there is one, is an option the person typed, never a domain field
 * name. One run of each subcommand, chosen to raise every warning it can where it has any.
 */

interface Warning {
  readonly code: string;
  readonly message: string;
  readonly field?: string;
}
const fieldsOf = (r: Record<string, unknown>) =>
  (r.warnings as Warning[]).map((w) => [w.code, w.field ?? null]);

describe('itb calc --json: warnings on every subcommand, each field an option', () => {
  it('target: warnings is [] (a waiting-time target has no usual range)', async () => {
    const r = await calcJson(['target', '--received', '2026-03-02']);
    assert.equal(r.targetDate, '2026-04-13');
    assert.deepEqual(r.warnings, []);
  });

  it('gas: warnings is [] (a goal score has no usual range)', async () => {
    const r = await calcJson(['gas', '--goal', '1:0', '--goal', '1:1', '--goal', '1:2']);
    assert.equal(r.tScore, 63.69);
    assert.deepEqual(r.warnings, []);
  });

  it('refill: DOSE_OUTSIDE_USUAL_RANGE names --dose', async () => {
    // 2,500 mcg/day, above the usual 12–2,000, inside the hard 3,000; 2500 ÷ 500 = 5 mL/day.
    const r = await calcJson([
      'refill',
      '--reservoir-ml',
      '20',
      '--fill-ml',
      '20',
      '--concentration',
      '500',
      '--dose',
      '2500',
      '--alarm-ml',
      '2',
      '--filled-on',
      '2025-01-06',
    ]);
    assert.deepEqual(fieldsOf(r), [['DOSE_OUTSIDE_USUAL_RANGE', '--dose']]);
  });

  it('residual: --on, --withdrawn-ml and --expected-ml; RAN_DRY with its day has no option', async () => {
    // 20 mL at 0.5 mL/day ran dry after 40 days, on 2025-02-15; the alarm at 2 mL came after
    // (20 − 2) ÷ 0.5 = 36 days, on 2025-02-11, before the refill on 2025-03-07. The programmer
    // showed 5 mL against the software's 0 (mismatch beyond 1 mL), and 0 withdrawn is 5 mL short
    // of the programmer's 5 (beyond 1 mL).
    const r = await calcJson([
      'residual',
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
      '--alarm-ml',
      '2',
      '--expected-ml',
      '5',
    ]);
    assert.equal(r.ranDryOn, '2025-02-15');
    assert.equal(r.alarmOn, '2025-02-11');
    const expected = [
      ['RAN_DRY', null],
      ['AFTER_ALARM', '--on'],
      ['RESIDUAL_DISCREPANCY', '--withdrawn-ml'],
      ['EXPECTED_RESIDUAL_MISMATCH', '--expected-ml'],
    ];
    assert.deepEqual(fieldsOf(r), expected);
    // `flags` is the same list.
    assert.deepEqual(r.flags, r.warnings);
  });

  it('residual: the programmer showing 0 mL names --expected-ml', async () => {
    // 20 mL at 0.25 mL/day for 56 days leaves 20 − 14 = 6 mL; the programmer shows 0.
    const r = await calcJson([
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
      '0',
      '--reservoir-ml',
      '20',
      '--expected-ml',
      '0',
    ]);
    assert.deepEqual(fieldsOf(r)[0], ['RAN_DRY', '--expected-ml']);
  });

  it('start-dose: BOLUS_OFF_LADDER names --test-dose', async () => {
    const r = await calcJson(['start-dose', '--test-dose', '60', '--effect-hours', '4']);
    assert.deepEqual(fieldsOf(r), [['BOLUS_OFF_LADDER', '--test-dose']]);
  });

  it('dose-change: both doses and the change name --current and --proposed', async () => {
    // 2,500 and 2,900 mcg/day are both above the usual 2,000; (2900 − 2500) ÷ 2500 = +16 % is
    // within the 20 % limit from 500 mcg/day up, so only the two range warnings.
    const r = await calcJson([
      'dose-change',
      '--current',
      '2500',
      '--proposed',
      '2900',
      '--origin',
      'spinal',
      '--phase',
      'titration',
    ]);
    assert.deepEqual(fieldsOf(r), [
      ['DOSE_OUTSIDE_USUAL_RANGE', '--current'],
      ['DOSE_OUTSIDE_USUAL_RANGE', '--proposed'],
    ]);
    // 100 → 116 for a 12-year-old: +16 % beyond the paediatric 15 %.
    const child = await calcJson([
      'dose-change',
      '--current',
      '100',
      '--proposed',
      '116',
      '--origin',
      'spinal',
      '--phase',
      'titration',
      '--age',
      '12',
    ]);
    assert.deepEqual(fieldsOf(child), [['DOSE_CHANGE_BEYOND_LIMIT', '--proposed']]);
  });

  it('daily-dose: FLEX_STEP_LARGE_SHARE names --step', async () => {
    // Worked example 15: the night step 22:00–06:00 at 20 mcg/h gives 160 of 320 mcg.
    const r = await calcJson([
      'daily-dose',
      '--step',
      '22:00-06:00=20',
      '--step',
      '06:00-22:00=10',
      '--concentration',
      '2000',
    ]);
    assert.deepEqual(fieldsOf(r), [['FLEX_STEP_LARGE_SHARE', '--step']]);
  });
});
