import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type PlainDate } from './calendar-date.ts';
import { DEFAULT_PUMP_RULES } from './pump-rules.ts';
import {
  dailyVolumeMl,
  discrepancyThresholdMl,
  expectedResidualMl,
  residualCheck,
} from './refill-arithmetic.ts';

/** The refill arithmetic's residual volume: the discrepancy threshold and the expected residual. */

const d = (s: string) => s as PlainDate;
const rules = DEFAULT_PUMP_RULES;

// ---------------------------------------------------------------------------------------------
// Residual discrepancy boundaries
// ---------------------------------------------------------------------------------------------
describe('residual discrepancy: strictly more than the threshold, either direction', () => {
  const cases: [string, number, number, number, boolean][] = [
    // [name, reservoir, expected, withdrawn, flagged]
    ['20 mL, exactly 1.0 mL less', 20, 6, 5, false],
    ['20 mL, exactly 1.0 mL more', 20, 6, 7, false],
    ['20 mL, 1.01 mL less', 20, 6, 4.99, true],
    ['20 mL, 1.01 mL more', 20, 6, 7.01, true],
    ['20 mL, 0.99 mL less', 20, 6, 5.01, false],
    ['40 mL, exactly 2.0 mL less', 40, 12, 10, false],
    ['40 mL, exactly 2.0 mL more', 40, 12, 14, false],
    ['40 mL, 2.01 mL less', 40, 12, 9.99, true],
    ['40 mL, 2.01 mL more', 40, 12, 14.01, true],
    ['40 mL, 1.5 mL less (would be flagged in a 20 mL pump)', 40, 12, 10.5, false],
    ['10 mL reservoir uses the small threshold', 10, 5, 3.9, true],
    // 8 → 6.9 mL: 1.1 mL but only 13.75 %, so the percentage rule (more than 20 %) stays quiet.
    ['20.5 mL reservoir uses the large threshold', 20.5, 8, 6.9, false],
    ['nothing expected, 0.5 mL came out', 20, 0, 0.5, false],
    ['nothing expected, 1.5 mL came out', 20, 0, 1.5, true],
  ];
  for (const [name, reservoirMl, expectedMl, withdrawnMl, flagged] of cases) {
    it(`${name}: ${flagged ? 'flagged' : 'not flagged'}`, () => {
      const check = residualCheck({ expectedMl, withdrawnMl, reservoirMl }, rules.discrepancy);
      assert.equal(check.flagged, flagged);
      assert.equal(check.thresholdMl, discrepancyThresholdMl(reservoirMl, rules.discrepancy));
    });
  }

  it('binary noise never turns exactly 1 mL into "more than 1 mL"', () => {
    // Example 4's 0.3 mL/day for 18 days: 20 − 18 × 0.3 is 14.600000000000001 in binary, not 14.6.
    const expectedMl = expectedResidualMl({
      fillMl: 20,
      filledOn: d('2025-01-06'),
      dailyVolumeMl: dailyVolumeMl(150, 500),
      on: d('2025-01-24'),
    });
    assert.notEqual(expectedMl, 14.6, 'the test needs an inexact expected volume');
    for (const withdrawnMl of [13.6, 15.6]) {
      const check = residualCheck({ expectedMl, withdrawnMl, reservoirMl: 20 }, rules.discrepancy);
      assert.equal(check.expectedMl, 14.6);
      assert.equal(Math.abs(check.discrepancyMl), 1);
      assert.equal(check.flagged, false, `${withdrawnMl} mL drained`);
    }
    const noisy = residualCheck(
      { expectedMl: 5, withdrawnMl: 6.000000000000001, reservoirMl: 20 },
      rules.discrepancy,
    );
    assert.equal(noisy.flagged, false);
  });

  it('gives no percentage when nothing was expected', () => {
    const check = residualCheck({ expectedMl: 0, withdrawnMl: 0.5, reservoirMl: 20 }, rules.discrepancy);
    assert.equal(check.discrepancyPercent, null);
    assert.equal(check.discrepancyMl, 0.5);
  });

  it('reports a positive discrepancy when more came out than expected', () => {
    const check = residualCheck({ expectedMl: 6, withdrawnMl: 7.5, reservoirMl: 20 }, rules.discrepancy);
    assert.equal(check.discrepancyMl, 1.5);
    assert.equal(check.discrepancyPercent, 25);
    assert.equal(check.flagged, true);
  });
});

describe('expected residual volume', () => {
  const base = { fillMl: 20, filledOn: d('2025-01-06'), dailyVolumeMl: 0.3 };
  it('is the whole fill on the fill day and before it', () => {
    assert.equal(expectedResidualMl({ ...base, on: d('2025-01-06') }), 20);
    assert.equal(expectedResidualMl({ ...base, on: d('2025-01-01') }), 20);
  });
  it('never goes below zero', () => {
    assert.equal(expectedResidualMl({ ...base, on: d('2025-04-06') }), 0); // 90 days × 0.3 = 27 mL
    assert.equal(expectedResidualMl({ ...base, on: d('2026-01-06') }), 0);
  });
});
