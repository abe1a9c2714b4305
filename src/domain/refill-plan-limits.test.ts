import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlainDate } from './calendar-date.ts';
import { DEFAULT_PUMP_RULES } from './pump-rules.ts';
import { refillPlan, refillPlanErrors, type RefillPlanInput } from './refill-arithmetic.ts';

/** The hard limits on a refill plan's settings and its alarm date (clinical-reference.md 6). */

const rules = DEFAULT_PUMP_RULES;
// Worked example 4: 20 mL of 500 mcg/mL at 150 mcg/day, alarm 2 mL, filled 2025-01-06.
const example4: RefillPlanInput = {
  reservoirMl: 20,
  fillMl: 20,
  concentrationMcgPerMl: 500,
  doseMcgPerDay: 150,
  alarmMl: 2,
  filledOn: '2025-01-06' as PlainDate,
  bufferDays: 7,
  maxIntervalDays: 180,
};
const fields = (input: Partial<RefillPlanInput>, stability?: number) =>
  refillPlanErrors(
    { ...example4, ...input },
    rules.hardLimits,
    stability === undefined ? undefined : { stabilityDays: stability },
  ).map((e) => e.field);

describe('an alarm on or before the fill day is refused', () => {
  it('fill 3 mL, alarm 2 mL at 1.5 mL/day: 1 ÷ 1.5 = 0.67 days, the alarm on the fill day', () => {
    // 750 mcg/day ÷ 500 mcg/mL = 1.5 mL/day.
    const input = { ...example4, fillMl: 3, doseMcgPerDay: 750 };
    const errors = refillPlanErrors(input, rules.hardLimits);
    assert.deepEqual(
      errors.map((e) => e.field),
      ['fillMl'],
    );
    assert.match(
      errors[0]?.message ?? '',
      /^The alarm would sound on the fill day: 3 mL less the alarm volume of 2 mL lasts 0\.67 days at 1\.5 mL a day/,
    );
    assert.equal(refillPlan(input).alarmDate, '2025-01-06');
  });

  it('fill 3.5 mL: 1.5 ÷ 1.5 = 1 day, the alarm the next day, accepted', () => {
    const input = { ...example4, fillMl: 3.5, doseMcgPerDay: 750 };
    assert.deepEqual(refillPlanErrors(input, rules.hardLimits), []);
    assert.equal(refillPlan(input).alarmDate, '2025-01-07');
  });
});

describe('settings a pump or the drug cannot have', () => {
  it('refuses a reservoir size no pump model has (20 or 40 mL)', () => {
    assert.deepEqual(fields({ reservoirMl: 30, fillMl: 20 }), ['reservoirMl']);
    assert.deepEqual(fields({ reservoirMl: 40, fillMl: 20 }), []);
  });

  it('refuses a longest interval beyond the stability limit when given it', () => {
    assert.deepEqual(fields({ maxIntervalDays: 181 }, 180), ['maxIntervalDays']);
    assert.deepEqual(fields({ maxIntervalDays: 180 }, 180), []);
    // A service with a 90-day label.
    assert.deepEqual(fields({ maxIntervalDays: 91 }, 90), ['maxIntervalDays']);
  });
});
