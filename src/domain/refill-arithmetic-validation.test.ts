import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_PUMP_RULES } from './pump-rules.ts';
import {
  concentrationErrors,
  doseErrors,
  refillPlanErrors,
  type RefillPlanInput,
} from './refill-arithmetic.ts';
import { example4 } from '../../test/support/refill-plan-fixtures.ts';

/** Refill plan validation: each error names its field. */

const rules = DEFAULT_PUMP_RULES;

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------
describe('refill plan validation: each error names its field', () => {
  const fields = (input: Partial<RefillPlanInput>) =>
    refillPlanErrors({ ...example4, ...input }, rules.hardLimits).map((e) => e.field);
  const only = (input: Partial<RefillPlanInput>, field: string) => {
    const errors = refillPlanErrors({ ...example4, ...input }, rules.hardLimits);
    assert.deepEqual(
      errors.map((e) => e.field),
      [field],
    );
    return errors[0]!.message;
  };

  it('accepts worked example 4', () => {
    assert.deepEqual(fields({}), []);
  });

  it('refuses a volume above the reservoir', () => {
    const message = only({ fillMl: 20.1 }, 'fillMl');
    assert.match(message, /Volume in the reservoir/);
    assert.match(message, /20\.1 mL/);
    assert.match(message, /20 mL/);
    assert.deepEqual(fields({ fillMl: 20 }), []);
    assert.deepEqual(fields({ reservoirMl: 40, fillMl: 40 }), []);
    assert.deepEqual(fields({ reservoirMl: 40, fillMl: 40.1 }), ['fillMl']);
  });

  it('refuses an alarm volume at or above the fill', () => {
    assert.match(only({ alarmMl: 20 }, 'alarmMl'), /Low-reservoir alarm volume \(20 mL\) must be less than/);
    assert.match(only({ alarmMl: 25 }, 'alarmMl'), /alarm volume/);
    // 0.3 mL above the alarm at 0.3 mL/day: the alarm a day after the fill (19.9 would sound on the fill day).
    assert.deepEqual(fields({ alarmMl: 19.7 }), []);
    assert.deepEqual(fields({ alarmMl: 0 }), []);
    assert.match(only({ alarmMl: -1 }, 'alarmMl'), /alarm volume/);
  });

  it('refuses a zero, negative or missing concentration', () => {
    for (const concentrationMcgPerMl of [0, -500, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.match(only({ concentrationMcgPerMl }, 'concentrationMcgPerMl'), /^Concentration .*mcg\/mL/);
    }
  });

  it('refuses a concentration of 2 (mg/mL typed for mcg/mL), saying it looks like milligrams per mL', () => {
    const message = only({ concentrationMcgPerMl: 2 }, 'concentrationMcgPerMl');
    assert.match(message, /^Concentration/);
    assert.match(message, /mg\/mL|milligram/);
    assert.match(message, /2000 mcg\/mL/);
    assert.match(only({ concentrationMcgPerMl: 0.5 }, 'concentrationMcgPerMl'), /500 mcg\/mL/);
  });

  it('refuses a dose of 0.4 (mg typed for mcg), saying it looks like milligrams', () => {
    const message = only({ doseMcgPerDay: 0.4 }, 'doseMcgPerDay');
    assert.match(message, /^Daily dose/);
    assert.match(message, /milligrams/);
    assert.match(message, /400 mcg/);
  });

  it('refuses a zero, negative or too large dose', () => {
    assert.match(only({ doseMcgPerDay: 0 }, 'doseMcgPerDay'), /^Daily dose .*greater than 0/);
    assert.match(only({ doseMcgPerDay: -150 }, 'doseMcgPerDay'), /^Daily dose/);
    assert.match(only({ doseMcgPerDay: 3000.01 }, 'doseMcgPerDay'), /3000 mcg or less/);
    assert.deepEqual(fields({ doseMcgPerDay: 3000 }), []);
    assert.deepEqual(fields({ doseMcgPerDay: 1 }), []);
  });

  it('refuses bad reservoir and fill volumes', () => {
    assert.match(only({ reservoirMl: 0 }, 'reservoirMl'), /^Reservoir size/);
    assert.match(only({ fillMl: 0 }, 'fillMl'), /^Volume in the reservoir/);
    assert.match(only({ fillMl: Number.NaN }, 'fillMl'), /^Volume in the reservoir/);
  });

  it('refuses a buffer or longest interval that is not a whole number in range', () => {
    assert.deepEqual(fields({ bufferDays: -1 }), ['bufferDays']);
    assert.deepEqual(fields({ bufferDays: 61 }), ['bufferDays']);
    assert.deepEqual(fields({ bufferDays: 1.5 }), ['bufferDays']);
    assert.deepEqual(fields({ bufferDays: 0 }), []);
    assert.deepEqual(fields({ bufferDays: 60 }), []);
    assert.deepEqual(fields({ maxIntervalDays: 0 }), ['maxIntervalDays']);
    assert.deepEqual(fields({ maxIntervalDays: 367 }), ['maxIntervalDays']);
    assert.deepEqual(fields({ maxIntervalDays: 366 }), []);
  });

  it('reports every bad field at once', () => {
    assert.deepEqual(fields({ concentrationMcgPerMl: 2, doseMcgPerDay: 0.4, bufferDays: -1 }), [
      'concentrationMcgPerMl',
      'doseMcgPerDay',
      'bufferDays',
    ]);
  });

  it('doseErrors and concentrationErrors use the field and label they are given', () => {
    const [dose] = doseErrors('bolus.doseMcg', 'Bolus dose', 0.025, rules.hardLimits);
    assert.equal(dose!.field, 'bolus.doseMcg');
    assert.match(dose!.message, /^Bolus dose .*milligrams \(0\.025 mg is 25 mcg\)/);
    const [conc] = concentrationErrors('drug.concentration', 3001, rules.hardLimits);
    assert.equal(conc!.field, 'drug.concentration');
    assert.match(conc!.message, /3000 mcg\/mL or less/);
    assert.deepEqual(concentrationErrors('c', 10, rules.hardLimits), []);
    assert.deepEqual(concentrationErrors('c', 3000, rules.hardLimits), []);
  });
});
