import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { daysBetween, type PlainDate } from './calendar-date.ts';
import { DEFAULT_PUMP_RULES } from './pump-rules.ts';
import {
  dailyVolumeMl,
  expectedResidualMl,
  refillPlan,
  refillPlanErrors,
  residualCheck,
  wholeDaysDown,
  type RefillPlanInput,
} from './refill-arithmetic.ts';
import { countDays } from '../../test/support/test-calendar.ts';
import { example4 } from '../../test/support/refill-plan-fixtures.ts';

/** The refill arithmetic against the worked examples and default rules of docs/clinical-reference.md. */

const d = (s: string) => s as PlainDate;
const rules = DEFAULT_PUMP_RULES;

// ---------------------------------------------------------------------------------------------
// Worked examples
// ---------------------------------------------------------------------------------------------
describe('worked examples (clinical-reference.md)', () => {
  const dailyVolumes: [string, number, number, number][] = [
    ['1: 400 mcg/day at 2000 mcg/mL', 400, 2000, 0.2],
    ['2: 400 mcg/day at 500 mcg/mL', 400, 500, 0.8],
    ['4: 150 mcg/day at 500 mcg/mL', 150, 500, 0.3],
    ['5: 300 mcg/day at 2000 mcg/mL', 300, 2000, 0.15],
    ['14: 600 mcg/day at 2000 mcg/mL (in the 0.25–0.5 mL/day range)', 600, 2000, 0.3],
    ['14: 600 mcg/day at 500 mcg/mL (too fast)', 600, 500, 1.2],
    ['18: screening bolus 50 mcg at 50 mcg/mL', 50, 50, 1.0],
    ['18: screening bolus 75 mcg at 50 mcg/mL', 75, 50, 1.5],
    ['18: screening bolus 100 mcg at 50 mcg/mL', 100, 50, 2.0],
  ];
  for (const [name, dose, concentration, expected] of dailyVolumes) {
    it(`example ${name} → ${expected} mL`, () => {
      assert.equal(dailyVolumeMl(dose, concentration), expected);
    });
  }

  it('example 14: 2000 mcg/mL puts 600 mcg/day in the ideal 0.25–0.5 mL/day; 500 mcg/mL does not', () => {
    const inRange = (v: number) => v >= 0.25 && v <= 0.5;
    assert.equal(inRange(dailyVolumeMl(600, 2000)), true);
    assert.equal(inRange(dailyVolumeMl(600, 500)), false);
  });

  const plans: {
    name: string;
    input: RefillPlanInput;
    dailyVolumeMl: number;
    daysToAlarm: number;
    alarmDate: string;
    refillDueBy: string;
    limitedBy: 'alarm' | 'stability';
  }[] = [
    {
      name: '3: 20 mL at 0.5 mL/day runs about 40 days',
      input: { ...example4, doseMcgPerDay: 250, alarmMl: 0 },
      dailyVolumeMl: 0.5,
      daysToAlarm: 40,
      alarmDate: '2025-02-15',
      refillDueBy: '2025-02-08',
      limitedBy: 'alarm',
    },
    {
      name: '3: 20 mL at 1.0 mL/day runs about 20 days',
      input: { ...example4, doseMcgPerDay: 500, alarmMl: 0 },
      dailyVolumeMl: 1,
      daysToAlarm: 20,
      alarmDate: '2025-01-26',
      refillDueBy: '2025-01-19',
      limitedBy: 'alarm',
    },
    {
      name: '4: 18 ÷ 0.3 = 60 days to alarm, due 7 days before',
      input: example4,
      dailyVolumeMl: 0.3,
      daysToAlarm: 60,
      alarmDate: '2025-03-07',
      refillDueBy: '2025-02-28',
      limitedBy: 'alarm',
    },
    {
      name: '5: (40 − 2) ÷ 0.15 = 253.3 days, capped at 180 days by stability',
      input: {
        ...example4,
        reservoirMl: 40,
        fillMl: 40,
        concentrationMcgPerMl: 2000,
        doseMcgPerDay: 300,
      },
      dailyVolumeMl: 0.15,
      daysToAlarm: 38 / 0.15,
      alarmDate: '2025-09-16', // fill + 253
      refillDueBy: '2025-07-05', // fill + 180
      limitedBy: 'stability',
    },
    {
      name: '6: 20 mL at 0.15 mL/day lasts 133.3 days: volume limits it, not stability',
      input: { ...example4, concentrationMcgPerMl: 2000, doseMcgPerDay: 300, alarmMl: 0 },
      dailyVolumeMl: 0.15,
      daysToAlarm: 20 / 0.15,
      alarmDate: '2025-05-19', // fill + 133
      refillDueBy: '2025-05-12',
      limitedBy: 'alarm',
    },
  ];
  for (const p of plans) {
    it(`example ${p.name}`, () => {
      assert.deepEqual(refillPlanErrors(p.input, rules.hardLimits), []);
      const plan = refillPlan(p.input);
      assert.equal(plan.dailyVolumeMl, p.dailyVolumeMl);
      assert.ok(Math.abs(plan.daysToAlarm - p.daysToAlarm) < 1e-9, `${plan.daysToAlarm} days`);
      assert.equal(plan.alarmDate, p.alarmDate);
      assert.equal(plan.refillDueBy, p.refillDueBy);
      assert.equal(plan.limitedBy, p.limitedBy);
      // The dates by the independent calendar too.
      assert.equal(plan.alarmDate, countDays(p.input.filledOn, Math.floor(p.daysToAlarm + 1e-9)));
    });
  }

  it('a fill that reaches its alarm within the buffer is due on the fill day, never before it', () => {
    // 17 mL at 3 mL/day: 5.67 days, alarm on day 5; 7 days before that would be before the fill.
    const plan = refillPlan({ ...example4, alarmMl: 3, doseMcgPerDay: 1500 });
    assert.equal(plan.alarmDate, '2025-01-11');
    assert.equal(plan.refillDueBy, '2025-01-06');
    assert.equal(plan.limitedBy, 'alarm');
  });

  it('example 4: the due date is day 53 and well under the 180-day cap', () => {
    const plan = refillPlan(example4);
    assert.equal(daysBetween(example4.filledOn, plan.refillDueBy), 53);
    assert.equal(plan.daysToAlarm, 60, 'exactly 60, not 59.999…');
  });

  it('example 5: the stability cap is the fill date + 180 days', () => {
    const plan = refillPlan({
      ...example4,
      reservoirMl: 40,
      fillMl: 40,
      concentrationMcgPerMl: 2000,
      doseMcgPerDay: 300,
    });
    assert.equal(plan.refillDueBy, countDays('2025-01-06', 180));
    assert.equal(wholeDaysDown(plan.daysToAlarm), 253);
  });

  it('example 6: 180 days at 300 mcg/day needs 54,000 mcg = 27 mL, more than a 20 mL reservoir', () => {
    const mlFor180Days = 180 * dailyVolumeMl(300, 2000);
    assert.ok(Math.abs(mlFor180Days - 27) < 1e-9, `${mlFor180Days} mL`);
    const plan = refillPlan({ ...example4, concentrationMcgPerMl: 2000, doseMcgPerDay: 300, alarmMl: 0 });
    assert.ok(plan.daysToAlarm < 180, 'a full 20 mL reservoir runs out before the stability limit');
  });

  const residuals: {
    name: string;
    reservoirMl: number;
    dailyVolumeMl: number;
    days: number;
    withdrawnMl: number;
    expectedMl: number;
    discrepancyMl: number;
    discrepancyPercent: number;
    thresholdMl: number;
  }[] = [
    {
      name: '11: 20 mL at 0.25 mL/day, 56 days, 4.2 mL drained: −1.8 mL (−30 %), over 1 mL',
      reservoirMl: 20,
      dailyVolumeMl: 0.25,
      days: 56,
      withdrawnMl: 4.2,
      expectedMl: 6,
      discrepancyMl: -1.8,
      discrepancyPercent: -30,
      thresholdMl: 1,
    },
    {
      name: '12: 40 mL at 0.2 mL/day, 140 days, 9.5 mL drained: −2.5 mL (−20.83 %), over 2 mL',
      reservoirMl: 40,
      dailyVolumeMl: 0.2,
      days: 140,
      withdrawnMl: 9.5,
      expectedMl: 12,
      discrepancyMl: -2.5,
      discrepancyPercent: -20.83,
      thresholdMl: 2,
    },
  ];
  for (const r of residuals) {
    it(`example ${r.name}, flagged`, () => {
      const filledOn = d('2025-01-06');
      const expectedMl = expectedResidualMl({
        fillMl: r.reservoirMl,
        filledOn,
        dailyVolumeMl: r.dailyVolumeMl,
        on: d(countDays(filledOn, r.days)),
      });
      assert.ok(Math.abs(expectedMl - r.expectedMl) < 1e-9, `expected ${expectedMl}`);
      const check = residualCheck(
        { expectedMl, withdrawnMl: r.withdrawnMl, reservoirMl: r.reservoirMl },
        rules.discrepancy,
      );
      assert.deepEqual(check, {
        expectedMl: r.expectedMl,
        discrepancyMl: r.discrepancyMl,
        discrepancyPercent: r.discrepancyPercent,
        thresholdMl: r.thresholdMl,
        flagged: true,
      });
    });
  }

  it('example 11: under the ASRA rule alone (more than 2 mL) it would not be flagged', () => {
    const asra = { smallReservoirMaxMl: 20, smallThresholdMl: 2, largeThresholdMl: 2, percentThreshold: 100 };
    assert.equal(residualCheck({ expectedMl: 6, withdrawnMl: 4.2, reservoirMl: 20 }, asra).flagged, false);
  });
});

describe('default pump rules match docs/clinical-reference.md', () => {
  it('buffer 7 days, stability 180 days, thresholds 1 mL (≤ 20 mL) and 2 mL, due soon 7 days', () => {
    assert.equal(rules.refillBufferDays, 7);
    assert.equal(rules.stabilityDays, 180);
    assert.deepEqual(rules.discrepancy, {
      smallReservoirMaxMl: 20,
      smallThresholdMl: 1,
      largeThresholdMl: 2,
      percentThreshold: 20,
    });
    assert.equal(rules.dueSoonDays, 7);
  });

  it('titration +30 % spinal, +15 % cerebral, −20 % cut, ±20 % maintenance, 8 h long effect', () => {
    assert.deepEqual(rules.titration, {
      titrationSpinalRisePercent: 30,
      titrationCerebralRisePercent: 15,
      titrationCutPercent: 20,
      maintenanceChangePercent: 20,
      childRisePercent: 15,
      highDoseFromMcgPerDay: 500,
      highDoseRisePercent: 20,
      maxChangeFactor: 10,
    });
    assert.equal(rules.startDoseLongEffectHours, 8);
  });
});
