import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { startingDose } from './dose-change.ts';
import { DEFAULT_PUMP_RULES, startDoseMaxMcgPerDay, type PumpRules } from './pump-rules.ts';

/**
 * F5 bounded: the starting daily dose never exceeds twice the largest allowed test bolus
 * (startDoseMaxMcgPerDay: 2 × 100 mcg = 200 mcg/day by default) [LABEL-SKY], [CHEO].
 */
const RULES = DEFAULT_PUMP_RULES;

describe('startingDose with the pump rules', () => {
  it('the most a starting dose may be: 2 × 100 mcg (the top rung) = 200 mcg/day', () => {
    assert.equal(startDoseMaxMcgPerDay(RULES.testDose), 200);
  });

  // test dose, effect hours, adverse reactions, daily dose, rule
  const table: [number, number, boolean, number, 'double' | 'same'][] = [
    [100, 4, false, 200, 'double'], // 100 mcg × 2 = 200 mcg/day, the maximum itself
    [100, 10, false, 100, 'same'], // 10 h > 8 h: the dose itself, 100 mcg/day
    [100, 4, true, 100, 'same'], // adverse reactions: the dose itself [CMSC]
    [75, 8, false, 150, 'double'], // 8 h is not more than 8 h: 75 × 2 = 150
    [50, 6, false, 100, 'double'], // worked example 7a: 50 × 2 = 100
    [50, 10, false, 50, 'same'], // worked example 7b
    // A larger figure is refused wherever it is entered; one that never passed that check
    // (an old record) still cannot give more than 200 mcg/day.
    [150, 4, false, 200, 'double'], // 150 × 2 = 300, bounded to 200
    [3000, 12, false, 200, 'same'], // 3000, bounded to 200
  ];
  for (const [testDoseMcg, effectHours, adverseReactions, dailyDoseMcg, rule] of table) {
    it(`${testDoseMcg} mcg, effect ${effectHours} h${adverseReactions ? ', adverse reactions' : ''} → ${dailyDoseMcg} mcg/day (${rule})`, () => {
      assert.deepEqual(startingDose({ testDoseMcg, effectHours, adverseReactions }, RULES), {
        dailyDoseMcg,
        rule,
      });
    });
  }

  it('reads the long-effect hours and the ladder from the rules', () => {
    const rules: PumpRules = {
      ...RULES,
      startDoseLongEffectHours: 6,
      testDose: { ...RULES.testDose, ladderMcg: [25, 50] },
    };
    // 7 h > 6 h: the dose itself.
    assert.deepEqual(startingDose({ testDoseMcg: 50, effectHours: 7 }, rules), {
      dailyDoseMcg: 50,
      rule: 'same',
    });
    // Top rung 50: at most 2 × 50 = 100 mcg/day.
    assert.equal(startDoseMaxMcgPerDay(rules.testDose), 100);
    assert.equal(startingDose({ testDoseMcg: 75, effectHours: 4 }, rules).dailyDoseMcg, 100);
  });

  it('property: never more than twice the largest allowed bolus, whatever the figures', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 48, noNaN: true }),
        fc.boolean(),
        (testDoseMcg, effectHours, adverseReactions) =>
          startingDose({ testDoseMcg, effectHours, adverseReactions }, RULES).dailyDoseMcg <= 200,
      ),
    );
  });
});
