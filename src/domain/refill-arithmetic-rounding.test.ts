import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_PUMP_RULES } from './pump-rules.ts';
import { dailyVolumeMl, residualCheck, round2, wholeDaysDown } from './refill-arithmetic.ts';

/** The refill arithmetic's rounding: round2 and wholeDaysDown. */

const rules = DEFAULT_PUMP_RULES;

// ---------------------------------------------------------------------------------------------
// Rounding
// ---------------------------------------------------------------------------------------------
describe('round2 and wholeDaysDown', () => {
  it('keeps a whole number of days that binary makes a hair short', () => {
    assert.equal(wholeDaysDown(18 / 0.3), 60);
    assert.equal(wholeDaysDown(18 / dailyVolumeMl(150, 500)), 60);
    assert.equal(wholeDaysDown(59.99), 59);
    assert.equal(wholeDaysDown(60), 60);
    assert.equal(wholeDaysDown(0), 0);
  });

  it('rounds to 0.01', () => {
    assert.equal(round2(1.005), 1.01);
    assert.equal(round2(-1.005), -1.01);
    assert.equal(round2(20.833333), 20.83);
    assert.equal(round2(-20.833333), -20.83);
    assert.equal(round2(0.1 + 0.2), 0.3);
    assert.equal(round2(0), 0);
  });

  // round2 nudges by Number.EPSILON, which is only an ulp for numbers near 1: above 2 the nudge is
  // lost, and Math.round takes halves towards +∞, so -x.xx5 goes towards zero. The result is
  // inconsistent halves (1.005 → 1.01 but 2.135 → 2.13; 1.505 → 1.51 but -1.505 → -1.5), unlike
  // gas.ts roundTo2, which rounds halves away from zero whatever the size.
  it('rounds a typed half-way value (x.xx5) away from zero at any size and either sign', () => {
    const wrong: string[] = [];
    for (let k = 5; k < 50_000; k += 10) {
      for (const sign of [1, -1]) {
        const typed = (sign * k) / 1000; // the nearest double to the decimal x.xx5
        const want = (sign * (k + 5)) / 1000;
        if (round2(typed) !== want) {
          wrong.push(`${typed} → ${round2(typed)} (want ${want})`);
        }
      }
    }
    assert.deepEqual(wrong.slice(0, 8), [], `${wrong.length} half-way values rounded inconsistently`);
  });

  it('treats a half-way discrepancy (1.005 mL) the same in both directions', () => {
    // A withdrawn volume read to 0.001 mL, 1.005 mL above or below an expected volume from 3 to 6 mL.
    const differ: string[] = [];
    for (let expectedHundredths = 300; expectedHundredths <= 600; expectedHundredths += 1) {
      const expectedMl = expectedHundredths / 100;
      const more = residualCheck(
        { expectedMl, withdrawnMl: (expectedHundredths * 10 + 1005) / 1000, reservoirMl: 20 },
        rules.discrepancy,
      );
      const less = residualCheck(
        { expectedMl, withdrawnMl: (expectedHundredths * 10 - 1005) / 1000, reservoirMl: 20 },
        rules.discrepancy,
      );
      if (more.flagged !== less.flagged || Math.abs(more.discrepancyMl) !== Math.abs(less.discrepancyMl)) {
        differ.push(`expected ${expectedMl}: +${more.discrepancyMl} vs ${less.discrepancyMl}`);
      }
    }
    assert.deepEqual(differ.slice(0, 5), [], `${differ.length} of 301 expected volumes`);
  });
});
