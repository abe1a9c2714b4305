import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DoseProgramme } from './dose-programme.ts';
import {
  anyModelDeliveryErrors,
  anyModelDeliveryRange,
  deliveryErrors,
  prescriptionLimitErrors,
  strengthErrors,
} from './prescription-limits.ts';
import { findPumpModel, PUMP_MODELS, type PumpModel } from './pump-device.ts';
import { DEFAULT_PUMP_RULES } from './pump-rules.ts';

const rules = {
  hardLimits: DEFAULT_PUMP_RULES.hardLimits,
  concentrations: DEFAULT_PUMP_RULES.concentrations,
  usualRange: DEFAULT_PUMP_RULES.usualRange,
  screeningConcentrationMcgPerMl: DEFAULT_PUMP_RULES.testDose.screeningConcentrationMcgPerMl,
};
const simple = (doseMcgPerDay: number, bolus: DoseProgramme['bolus'] = null): DoseProgramme => ({
  mode: 'simple',
  doseMcgPerDay,
  schedules: [],
  bolus,
});
const synchromed = findPumpModel('synchromed-ii');
const prometra = findPumpModel('prometra-ii');

describe('only the stocked strengths in a pump prescription (500, 1000, 2000 mcg/mL)', () => {
  const table: [strength: number, accepted: boolean, message?: RegExp][] = [
    [500, true],
    [1000, true],
    [2000, true],
    [
      750,
      false,
      /^Concentration must be one of the strengths the service stocks: 500, 1,000 or 2,000 mcg\/mL, not 750 mcg\/mL$/,
    ],
    [
      50,
      false,
      /^50 mcg\/mL is the screening strength, for test doses only: a pump is filled at 500, 1,000 or 2,000 mcg\/mL$/,
    ],
    // The unit-slip wording below 10 mcg/mL stays: 2 is mg/mL.
    [2, false, /looks like milligrams per mL \(2 mg\/mL is 2000 mcg\/mL\)/],
    [3001, false, /3000 mcg\/mL or less/],
  ];
  for (const [strength, accepted, message] of table) {
    it(`${strength} mcg/mL: ${accepted ? 'accepted' : 'refused'}`, () => {
      const errors = strengthErrors('concentrationMcgPerMl', strength, rules);
      assert.equal(errors.length === 0, accepted);
      if (message) {
        assert.equal(errors[0]!.field, 'concentrationMcgPerMl');
        assert.match(errors[0]!.message, message);
      }
    });
  }

  it('a service that dilutes to 1500 lists it', () => {
    assert.deepEqual(
      strengthErrors('c', 1500, { ...rules, concentrations: { stockedMcgPerMl: [500, 1500] } }),
      [],
    );
  });
});

describe("the pump model's delivery range (SynchroMed II 0.048–24 mL/day, GAP)", () => {
  it('every model declares a range or null', () => {
    assert.deepEqual(synchromed?.deliveryMlPerDay, { min: 0.048, max: 24 });
    assert.equal(prometra?.deliveryMlPerDay, null);
    assert.equal(PUMP_MODELS.length, 2);
  });

  it('refuses 0.04 mL/day and accepts 0.048 on a SynchroMed II', () => {
    // 80 ÷ 2000 = 0.04 mL/day, under 0.048.
    const low = deliveryErrors(simple(80), 2000, synchromed);
    assert.deepEqual(
      low.map((e) => e.field),
      ['programme.doseMcgPerDay'],
    );
    assert.match(
      low[0]?.message ?? '',
      /At 2,000 mcg\/mL, 80 mcg\/day is 0\.04 mL a day, less than the SynchroMed II \(8637\) can deliver \(at least 0\.048 mL a day\)/,
    );
    // 96 ÷ 2000 = 0.048 mL/day exactly.
    assert.deepEqual(deliveryErrors(simple(96), 2000, synchromed), []);
    // 20 ÷ 500 = 0.04 refused; 24 ÷ 500 = 0.048 accepted.
    assert.equal(deliveryErrors(simple(20), 500, synchromed).length, 1);
    assert.deepEqual(deliveryErrors(simple(24), 500, synchromed), []);
  });

  it('reads a dose too small to deliver as the unit slip it most often is', () => {
    // 1.5 ÷ 500 = 0.003 mL/day: undeliverable; 1.5 × 1000 = 1,500 is in the usual range.
    const [slip] = prescriptionLimitErrors(
      { concentrationMcgPerMl: 500, programme: simple(1.5) },
      synchromed,
      rules,
    );
    assert.match(
      slip?.message ?? '',
      /0\.003 mL a day, less than the SynchroMed II .*: did you mean 1,500 mcg\/day\?$/,
    );
    // 20 ÷ 500 = 0.04: 20 mcg/day is inside the usual range, so no slip; a weaker strength would do.
    const [twenty] = prescriptionLimitErrors(
      { concentrationMcgPerMl: 500, programme: simple(20) },
      synchromed,
      rules,
    );
    assert.match(twenty?.message ?? '', /use a weaker strength$/);
  });

  it('checks only the strength and the reservoir for a model with no range (Prometra II)', () => {
    assert.deepEqual(deliveryErrors(simple(20), 2000, prometra), []);
  });

  it('refuses a most-in-a-day volume above the maximum, naming the bolus when there is one', () => {
    const small: PumpModel = { ...(synchromed as PumpModel), deliveryMlPerDay: { min: 0.048, max: 1 } };
    // 900 + 3 × 50 = 1,050 mcg ÷ 1000 = 1.05 mL > 1.
    const errors = deliveryErrors(
      simple(900, { doseMcg: 50, maxPerDay: 3, lockoutMinutes: 60 }),
      1000,
      small,
    );
    assert.deepEqual(
      errors.map((e) => e.field),
      ['programme.bolus.maxPerDay'],
    );
    assert.deepEqual(deliveryErrors(simple(1000), 1000, small), []);
  });

  it('names the strength first: an unstocked strength is not also checked for delivery', () => {
    assert.deepEqual(
      prescriptionLimitErrors({ concentrationMcgPerMl: 750, programme: simple(20) }, synchromed, rules).map(
        (e) => e.field,
      ),
      ['concentrationMcgPerMl'],
    );
  });
});

describe('with no pump model named (itb calc): a volume no configured model can deliver', () => {
  it('spans the models that record a range: SynchroMed II 0.048–24; Prometra II records none', () => {
    assert.deepEqual(anyModelDeliveryRange(PUMP_MODELS), { min: 0.048, max: 24 });
    assert.equal(anyModelDeliveryRange([prometra as PumpModel]), null);
    const wide: PumpModel = { ...(synchromed as PumpModel), deliveryMlPerDay: { min: 0.02, max: 10 } };
    // The smallest minimum (0.02) and the largest maximum (24) of the two.
    assert.deepEqual(anyModelDeliveryRange([synchromed as PumpModel, wide]), { min: 0.02, max: 24 });
  });

  const table: [dose: number, strength: number, refused: RegExp | null][] = [
    // 20 ÷ 2000 = 0.01 mL/day < 0.048; at 1000 it is 0.02 and at 500 0.04, still too little.
    [
      20,
      2000,
      /^At 2,000 mcg\/mL, 20 mcg\/day is 0\.01 mL a day, less than any pump model can deliver \(at least 0\.048 mL a day\): check the dose \(no strength the service stocks makes it deliverable\)$/,
    ],
    // 30 ÷ 2000 = 0.015 < 0.048; 30 ÷ 500 = 0.06 would do.
    [30, 2000, /0\.015 mL a day, .*: use a weaker strength: 500 mcg\/mL$/],
    // 1.5 ÷ 2000 = 0.00075 mL/day; 1.5 × 1000 = 1,500 is in the usual range: a unit slip.
    [1.5, 2000, /0\.0008 mL a day, .*: did you mean 1,500 mcg\/day\?$/],
    // 96 ÷ 2000 = 0.048 exactly, and 24 ÷ 500 = 0.048: deliverable.
    [96, 2000, null],
    [24, 500, null],
    // 3000 ÷ 500 = 6 mL/day, under 24.
    [3000, 500, null],
  ];
  for (const [dose, strength, refused] of table) {
    it(`${dose} mcg/day at ${strength} mcg/mL: ${refused ? 'refused' : 'accepted'}`, () => {
      const errors = anyModelDeliveryErrors('dose', dose, strength, PUMP_MODELS, rules);
      if (refused) {
        assert.deepEqual(
          errors.map((e) => e.field),
          ['dose'],
        );
        assert.match(errors[0]!.message, refused);
      } else {
        assert.deepEqual(errors, []);
      }
    });
  }

  it('refuses above the largest maximum, naming the stronger strengths that would do', () => {
    // Stocked 10 and 500 mcg/mL: 3000 ÷ 10 = 300 mL/day > 24; 3000 ÷ 500 = 6 would do.
    const stocking = { ...rules, concentrations: { stockedMcgPerMl: [10, 500] } };
    const [high] = anyModelDeliveryErrors('dose', 3000, 10, PUMP_MODELS, stocking);
    assert.equal(
      high?.message,
      'At 10 mcg/mL, 3,000 mcg/day is 300 mL a day, more than any pump model can deliver (at most 24 mL a day): use a stronger strength: 500 mcg/mL',
    );
  });

  it('checks nothing when no model records a range', () => {
    assert.deepEqual(anyModelDeliveryErrors('dose', 1, 2000, [prometra as PumpModel], rules), []);
  });
});
