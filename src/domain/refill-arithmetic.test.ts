import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import fc from 'fast-check';
import { addDays, addMonths, daysBetween, isoWeekday, type PlainDate } from './calendar-date.ts';
import { DEFAULT_PUMP_RULES } from './pump-rules.ts';
import {
  concentrationErrors,
  dailyVolumeMl,
  discrepancyThresholdMl,
  doseErrors,
  expectedResidualMl,
  refillPlan,
  refillPlanErrors,
  refillPlanWithChanges,
  residualCheck,
  round2,
  wholeDaysDown,
  type RefillPlanInput,
} from './refill-arithmetic.ts';
import { workingDayOnOrBefore } from './refill-worklist.ts';

const d = (s: string) => s as PlainDate;
const rules = DEFAULT_PUMP_RULES;

/** Worked example 4 (clinical-reference.md): the base of most cases below. */
const example4: RefillPlanInput = {
  reservoirMl: 20,
  fillMl: 20,
  concentrationMcgPerMl: 500,
  doseMcgPerDay: 150,
  alarmMl: 2,
  filledOn: d('2025-01-06'),
  bufferDays: 7,
  maxIntervalDays: 180,
};

// ---------------------------------------------------------------------------------------------
// An independent calendar for the tests: a day-by-day counter over a month-length table, so the
// expected dates never come from the Date arithmetic in calendar-date.ts.
// ---------------------------------------------------------------------------------------------
const MONTH_LENGTHS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const monthLength = (y: number, m: number) => (m === 2 && isLeap(y) ? 29 : MONTH_LENGTHS[m - 1]!);
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function countDays(date: string, n: number): string {
  let [y, m, day] = date.split('-').map(Number) as [number, number, number];
  for (let i = 0; i < n; i += 1) {
    day += 1;
    if (day > monthLength(y, m)) {
      day = 1;
      m += 1;
      if (m > 12) {
        m = 1;
        y += 1;
      }
    }
  }
  for (let i = 0; i > n; i -= 1) {
    day -= 1;
    if (day < 1) {
      m -= 1;
      if (m < 1) {
        m = 12;
        y -= 1;
      }
      day = monthLength(y, m);
    }
  }
  return `${pad(y, 4)}-${pad(m)}-${pad(day)}`;
}

/** UK clock changes 2024–2030 (last Sundays of March and October), found by counting weekdays from Monday 1 January 2024. */
function ukClockChanges(): string[] {
  const found: string[] = [];
  let date = '2024-01-01';
  let weekday = 0; // 0 Monday … 6 Sunday
  const lastSunday = new Map<string, string>();
  while (date <= '2030-12-31') {
    const month = date.slice(5, 7);
    if (weekday === 6 && (month === '03' || month === '10')) {
      lastSunday.set(date.slice(0, 7), date);
    }
    date = countDays(date, 1);
    weekday = (weekday + 1) % 7;
  }
  for (const value of lastSunday.values()) {
    found.push(value);
  }
  return found.sort();
}

const CLOCK_CHANGES = ukClockChanges();

describe('the test calendar itself', () => {
  it('finds the published UK clock changes 2024–2030', () => {
    assert.deepEqual(CLOCK_CHANGES, [
      '2024-03-31',
      '2024-10-27',
      '2025-03-30',
      '2025-10-26',
      '2026-03-29',
      '2026-10-25',
      '2027-03-28',
      '2027-10-31',
      '2028-03-26',
      '2028-10-29',
      '2029-03-25',
      '2029-10-28',
      '2030-03-31',
      '2030-10-27',
    ]);
  });

  it('counts across 29 February and back', () => {
    assert.equal(countDays('2028-02-28', 1), '2028-02-29');
    assert.equal(countDays('2027-02-28', 1), '2027-03-01');
    assert.equal(countDays('2028-03-01', -1), '2028-02-29');
    assert.equal(countDays('2024-12-31', 1), '2025-01-01');
  });
});

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

// ---------------------------------------------------------------------------------------------
// Properties over realistic decimal inputs
// ---------------------------------------------------------------------------------------------

/** A realistic plan, with its numbers kept as integers (tenths of a mL, hundredths of a mcg) for exact checks. */
interface GeneratedPlan {
  readonly input: RefillPlanInput;
  readonly fillTenths: number;
  readonly alarmTenths: number;
  readonly doseHundredths: number;
}

const concentrationArb = fc.oneof(fc.constantFrom(50, 500, 1000, 2000), fc.integer({ min: 10, max: 3000 }));
const filledOnArb = fc.integer({ min: 0, max: 365 * 15 }).map((n) => addDays(d('2020-01-01'), n));
const planArb: fc.Arbitrary<GeneratedPlan> = fc
  .record({
    reservoirMl: fc.constantFrom(20, 40),
    fillFraction: fc.integer({ min: 1, max: 1000 }),
    alarmTenths: fc.integer({ min: 0, max: 30 }),
    concentrationMcgPerMl: concentrationArb,
    doseHundredths: fc.integer({ min: 100, max: 300_000 }),
    filledOn: filledOnArb,
    bufferDays: fc.integer({ min: 0, max: 60 }),
    maxIntervalDays: fc.integer({ min: 1, max: 366 }),
  })
  .map((r) => {
    const maxTenths = r.reservoirMl * 10;
    const fillTenths =
      r.alarmTenths + 1 + Math.floor(((maxTenths - r.alarmTenths - 1) * r.fillFraction) / 1000);
    return {
      fillTenths,
      alarmTenths: r.alarmTenths,
      doseHundredths: r.doseHundredths,
      input: {
        reservoirMl: r.reservoirMl,
        fillMl: fillTenths / 10,
        alarmMl: r.alarmTenths / 10,
        concentrationMcgPerMl: r.concentrationMcgPerMl,
        doseMcgPerDay: r.doseHundredths / 100,
        filledOn: r.filledOn,
        bufferDays: r.bufferDays,
        maxIntervalDays: r.maxIntervalDays,
      },
    };
  });

/** Exact whole days to alarm: (fill − alarm) × concentration ÷ dose, in integers. */
function exactWholeDaysToAlarm(g: GeneratedPlan): number {
  const numerator = (g.fillTenths - g.alarmTenths) * g.input.concentrationMcgPerMl * 10;
  return Math.floor(numerator / g.doseHundredths);
}

describe('refill arithmetic: properties', () => {
  it('accepts every realistic generated plan', () => {
    fc.assert(
      // A plan whose alarm would sound on the fill day is refused (its own test below).
      fc.property(
        planArb.filter((g) => exactWholeDaysToAlarm(g) >= 1),
        (g) => {
          assert.deepEqual(refillPlanErrors(g.input, rules.hardLimits), []);
        },
      ),
    );
  });

  it('(a) conserves volume: expected residual + elapsed days × daily volume = fill, while above zero', () => {
    fc.assert(
      fc.property(planArb, fc.integer({ min: -30, max: 800 }), (g, elapsed) => {
        const plan = refillPlan(g.input);
        const residual = expectedResidualMl({
          fillMl: g.input.fillMl,
          filledOn: g.input.filledOn,
          dailyVolumeMl: plan.dailyVolumeMl,
          on: addDays(g.input.filledOn, elapsed),
        });
        const used = Math.max(0, elapsed) * plan.dailyVolumeMl;
        if (residual > 0) {
          assert.ok(Math.abs(residual + used - g.input.fillMl) < 1e-9, `${residual} + ${used}`);
        } else {
          assert.ok(used >= g.input.fillMl - 1e-9);
        }
        assert.ok(residual >= 0 && residual <= g.input.fillMl);
      }),
    );
  });

  it('(b) a higher dose never gives a later alarm date or due date', () => {
    fc.assert(
      fc.property(planArb, fc.integer({ min: 0, max: 300_000 }), (g, extraHundredths) => {
        const higher = Math.min(300_000, g.doseHundredths + extraHundredths) / 100;
        const low = refillPlan(g.input);
        const high = refillPlan({ ...g.input, doseMcgPerDay: higher });
        assert.ok(high.alarmDate <= low.alarmDate, `${high.alarmDate} after ${low.alarmDate}`);
        assert.ok(high.refillDueBy <= low.refillDueBy, `${high.refillDueBy} after ${low.refillDueBy}`);
      }),
    );
  });

  it('(c) the due date is never after the alarm date nor after fill + stability, and is one of them', () => {
    fc.assert(
      fc.property(planArb, (g) => {
        const plan = refillPlan(g.input);
        const byStability = countDays(g.input.filledOn, g.input.maxIntervalDays);
        // A fill that reaches its alarm within the buffer is due on the fill day, not before it.
        const alarmLessBuffer = countDays(plan.alarmDate, -g.input.bufferDays);
        const byAlarm = alarmLessBuffer < g.input.filledOn ? g.input.filledOn : alarmLessBuffer;
        assert.ok(plan.refillDueBy <= plan.alarmDate);
        assert.ok(plan.refillDueBy >= g.input.filledOn);
        assert.ok(plan.refillDueBy <= byStability);
        assert.equal(plan.refillDueBy, byStability < byAlarm ? byStability : byAlarm);
        assert.equal(plan.limitedBy, byStability < byAlarm ? 'stability' : 'alarm');
      }),
    );
  });

  it('(d) the alarm date rounds down: never after fill + exact days, never a day or more earlier', () => {
    fc.assert(
      fc.property(planArb, (g) => {
        const plan = refillPlan(g.input);
        const wholeDays = exactWholeDaysToAlarm(g);
        const exactDays =
          ((g.fillTenths - g.alarmTenths) * g.input.concentrationMcgPerMl * 10) / g.doseHundredths;
        const days = daysBetween(g.input.filledOn, plan.alarmDate);
        assert.ok(days <= exactDays, `${days} days > exact ${exactDays}`);
        assert.ok(days > exactDays - 1, `${days} days ≤ exact ${exactDays} − 1`);
        assert.equal(days, wholeDays);
        assert.equal(plan.alarmDate, countDays(g.input.filledOn, wholeDays));
      }),
      { numRuns: 2000 },
    );
  });

  it('(e) residualCheck flags iff |withdrawn − expected| > threshold or > 20 % of expected, at 0.01', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(20, 40),
        fc.integer({ min: 0, max: 4000 }),
        fc.integer({ min: 0, max: 4000 }),
        (reservoirMl, expectedHundredths, withdrawnHundredths) => {
          const check = residualCheck(
            { expectedMl: expectedHundredths / 100, withdrawnMl: withdrawnHundredths / 100, reservoirMl },
            rules.discrepancy,
          );
          const thresholdHundredths = reservoirMl <= 20 ? 100 : 200;
          const diff = withdrawnHundredths - expectedHundredths;
          // Percent to 0.01 %, compared strictly with the 20 % default.
          const beyondPercent =
            expectedHundredths > 0 && Math.abs(round2((diff / expectedHundredths) * 100)) > 20;
          assert.equal(check.flagged, Math.abs(diff) > thresholdHundredths || beyondPercent);
          assert.equal(check.discrepancyMl, diff / 100);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('(e) and near the threshold: every whole-hundredth discrepancy around ±1 and ±2 mL', () => {
    // From 11 mL expected, 2.01 mL is under 20 %, so only the mL threshold can flag.
    for (let expectedHundredths = 1100; expectedHundredths <= 4000; expectedHundredths += 7) {
      for (const offset of [-201, -200, -199, -101, -100, -99, 99, 100, 101, 199, 200, 201]) {
        const withdrawnHundredths = expectedHundredths + offset;
        if (withdrawnHundredths < 0) {
          continue;
        }
        for (const reservoirMl of [20, 40]) {
          const check = residualCheck(
            { expectedMl: expectedHundredths / 100, withdrawnMl: withdrawnHundredths / 100, reservoirMl },
            rules.discrepancy,
          );
          const threshold = reservoirMl <= 20 ? 100 : 200;
          assert.equal(
            check.flagged,
            Math.abs(offset) > threshold,
            `${expectedHundredths / 100} vs ${withdrawnHundredths / 100} in ${reservoirMl} mL`,
          );
        }
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Plans with dose or concentration changes between refills (refillPlanWithChanges)
// ---------------------------------------------------------------------------------------------

/** Change days (from the fill) and daily volumes in thousandths of a mL, so the reference is exact. */
interface Change {
  readonly day: number;
  readonly thousandths: number;
}

/**
 * The conservative pump, day by day: on a day a change is made, the largest daily volume in force
 * at any time that day is used (the function's own rule: a rise from the start of its day, a cut
 * from the next). Returns the whole days until the volume would go below the alarm volume.
 */
function conservativeWholeDays(fillTenths: number, alarmTenths: number, changes: readonly Change[]): number {
  let volume = fillTenths * 100;
  const alarm = alarmTenths * 100;
  for (let n = 0; n < 100_000; n += 1) {
    const before = changes.filter((c) => c.day < n);
    const rates = changes.filter((c) => c.day === n).map((c) => c.thousandths);
    const carried = before[before.length - 1];
    if (carried) {
      rates.push(carried.thousandths);
    }
    const rate = Math.max(...rates);
    if (volume - rate < alarm) {
      return n;
    }
    volume -= rate;
  }
  return 100_000;
}

function withChanges(
  fillTenths: number,
  alarmTenths: number,
  changes: readonly Change[],
  filledOn = d('2026-01-01'),
) {
  return refillPlanWithChanges({
    fillMl: fillTenths / 10,
    filledOn,
    alarmMl: alarmTenths / 10,
    segments: changes.map((c) => ({ from: addDays(filledOn, c.day), dailyVolumeMl: c.thousandths / 1000 })),
    bufferDays: 7,
    maxIntervalDays: 180,
  });
}

const changesArb = fc
  .record({
    fillTenths: fc.integer({ min: 50, max: 400 }),
    alarmTenths: fc.integer({ min: 0, max: 30 }),
    first: fc.integer({ min: 25, max: 2000 }),
    later: fc.array(
      fc.record({ day: fc.integer({ min: 0, max: 200 }), thousandths: fc.integer({ min: 25, max: 2000 }) }),
      {
        maxLength: 4,
      },
    ),
  })
  .filter((r) => r.alarmTenths < r.fillTenths)
  .map((r) => ({
    fillTenths: r.fillTenths,
    alarmTenths: r.alarmTenths,
    changes: [{ day: 0, thousandths: r.first }, ...[...r.later].sort((a, b) => a.day - b.day)],
  }));

describe('refill plan with changes between refills', () => {
  it('with no change it is the plain refill plan', () => {
    fc.assert(
      fc.property(planArb, (g) => {
        const plain = refillPlan(g.input);
        const changed = refillPlanWithChanges({
          fillMl: g.input.fillMl,
          filledOn: g.input.filledOn,
          alarmMl: g.input.alarmMl,
          segments: [{ from: g.input.filledOn, dailyVolumeMl: plain.dailyVolumeMl }],
          bufferDays: g.input.bufferDays,
          maxIntervalDays: g.input.maxIntervalDays,
        });
        assert.equal(changed.alarmDate, plain.alarmDate);
        assert.equal(changed.refillDueBy, plain.refillDueBy);
        assert.equal(changed.limitedBy, plain.limitedBy);
        assert.equal(changed.dailyVolumeMl, plain.dailyVolumeMl);
        assert.ok(Math.abs(changed.daysToAlarm - plain.daysToAlarm) < 1e-9);
      }),
    );
  });

  it('counts a rise from the start of its day', () => {
    // 20 mL at 1 mL/day, alarm 2 mL; 2 mL/day from day 5 (6 January): 5 mL used, (15 − 2) ÷ 2 = 6.5 days more.
    const plan = withChanges(200, 20, [
      { day: 0, thousandths: 1000 },
      { day: 5, thousandths: 2000 },
    ]);
    assert.equal(plan.alarmDate, '2026-01-12');
    assert.equal(plan.refillDueBy, '2026-01-05');
    assert.equal(plan.dailyVolumeMl, 2);
    assert.equal(plan.daysToAlarm, 11.5);
  });

  it('counts a cut from the next day', () => {
    // 0.5 mL/day from day 5: day 5 still at 1 mL, so 6 mL used, (14 − 2) ÷ 0.5 = 24 days from day 6.
    const plan = withChanges(200, 20, [
      { day: 0, thousandths: 1000 },
      { day: 5, thousandths: 500 },
    ]);
    assert.equal(plan.alarmDate, '2026-01-31');
  });

  it('keeps the stability limit from the fill', () => {
    const plan = withChanges(400, 20, [
      { day: 0, thousandths: 150 },
      { day: 30, thousandths: 100 },
    ]);
    assert.equal(plan.limitedBy, 'stability');
    assert.equal(plan.refillDueBy, countDays('2026-01-01', 180));
  });

  it('matches the conservative day-by-day count when each change is on its own day before the alarm', () => {
    fc.assert(
      fc.property(changesArb, ({ fillTenths, alarmTenths, changes }) => {
        const days = changes.map((c) => c.day);
        fc.pre(new Set(days).size === days.length);
        const reference = conservativeWholeDays(fillTenths, alarmTenths, changes);
        fc.pre(days.every((day) => day < reference));
        const plan = withChanges(fillTenths, alarmTenths, changes);
        assert.equal(plan.alarmDate, countDays('2026-01-01', reference));
      }),
      { numRuns: 1000 },
    );
  });

  // The function's doc: "the estimate never runs later than the pump". Two ways it does:
  it('never puts the alarm later than the pump, whatever the changes', () => {
    fc.assert(
      fc.property(changesArb, ({ fillTenths, alarmTenths, changes }) => {
        const reference = conservativeWholeDays(fillTenths, alarmTenths, changes);
        const plan = withChanges(fillTenths, alarmTenths, changes);
        assert.ok(
          plan.alarmDate <= countDays('2026-01-01', reference),
          `alarm ${plan.alarmDate}, but the pump reaches its alarm volume on ${countDays('2026-01-01', reference)}`,
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('a change made after the pump reached its alarm does not move the alarm date later', () => {
    // 20 mL at 1 mL/day, alarm 2 mL: the alarm is on 19 January. The dose is cut on 31 January,
    // before the overdue refill: the pump has been at its alarm volume for 12 days.
    const before = withChanges(200, 20, [{ day: 0, thousandths: 1000 }]);
    assert.equal(before.alarmDate, '2026-01-19');
    const after = withChanges(200, 20, [
      { day: 0, thousandths: 1000 },
      { day: 30, thousandths: 500 },
    ]);
    assert.equal(after.alarmDate, '2026-01-19');
  });

  it('two changes on one day, a cut then a rise above the old rate, count the rise from the start of the day', () => {
    // 1 → 0.5 → 2 mL/day, both on 6 January: at least as early as the single change 1 → 2 mL/day.
    const single = withChanges(200, 0, [
      { day: 0, thousandths: 1000 },
      { day: 5, thousandths: 2000 },
    ]);
    const twice = withChanges(200, 0, [
      { day: 0, thousandths: 1000 },
      { day: 5, thousandths: 500 },
      { day: 5, thousandths: 2000 },
    ]);
    assert.equal(single.alarmDate, '2026-01-13');
    assert.ok(twice.alarmDate <= single.alarmDate, `${twice.alarmDate} is later than ${single.alarmDate}`);
  });
});

// ---------------------------------------------------------------------------------------------
// Clock changes, 29 February and the process time zone
// ---------------------------------------------------------------------------------------------

const dateFills: string[] = [
  ...CLOCK_CHANGES.flatMap((change) => [countDays(change, -1), change, countDays(change, 1)]),
  '2024-02-29',
  '2028-02-29',
];

/** Plans with known exact whole days (in integers: tenths of mL, mcg, mcg/mL). */
const datePlans: { fillTenths: number; alarmTenths: number; concentration: number; dose: number }[] = [
  { fillTenths: 200, alarmTenths: 20, concentration: 500, dose: 150 }, // 60 days
  { fillTenths: 400, alarmTenths: 20, concentration: 2000, dose: 300 }, // 253.3 days
  { fillTenths: 200, alarmTenths: 15, concentration: 1000, dose: 400 }, // 46.25 days
  { fillTenths: 200, alarmTenths: 30, concentration: 500, dose: 1000 }, // 8.5 days
  { fillTenths: 186, alarmTenths: 20, concentration: 2000, dose: 97 }, // 342.2 days
  { fillTenths: 200, alarmTenths: 20, concentration: 500, dose: 250 }, // 36 days
];

function planFor(filledOn: string, p: (typeof datePlans)[number]): RefillPlanInput {
  return {
    reservoirMl: p.fillTenths > 200 ? 40 : 20,
    fillMl: p.fillTenths / 10,
    alarmMl: p.alarmTenths / 10,
    concentrationMcgPerMl: p.concentration,
    doseMcgPerDay: p.dose,
    filledOn: d(filledOn),
    bufferDays: 7,
    maxIntervalDays: 180,
  };
}

describe('dates across every UK clock change 2024–2030 and 29 February', () => {
  for (const filledOn of dateFills) {
    it(`a fill on ${filledOn}: alarm = fill + whole days by calendar count`, () => {
      for (const p of datePlans) {
        const wholeDays = Math.floor(((p.fillTenths - p.alarmTenths) * p.concentration) / (10 * p.dose));
        const plan = refillPlan(planFor(filledOn, p));
        assert.equal(plan.alarmDate, countDays(filledOn, wholeDays), JSON.stringify(p));
        const byAlarm = countDays(filledOn, wholeDays - 7);
        const byStability = countDays(filledOn, 180);
        assert.equal(plan.refillDueBy, byStability < byAlarm ? byStability : byAlarm);
        // Two calendar days after the fill are two days of drug, whatever the clocks did.
        const residual = expectedResidualMl({
          fillMl: p.fillTenths / 10,
          filledOn: d(filledOn),
          dailyVolumeMl: plan.dailyVolumeMl,
          on: d(countDays(filledOn, 2)),
        });
        assert.ok(Math.abs(residual - (p.fillTenths / 10 - 2 * plan.dailyVolumeMl)) < 1e-12);
      }
    });
  }

  it('an alarm date can fall on 29 February', () => {
    // 18 mL at 0.6 mL/day = 30 days: 30 January 2028 + 30 days.
    const plan = refillPlan({ ...example4, doseMcgPerDay: 300, filledOn: d('2028-01-30') });
    assert.equal(plan.alarmDate, '2028-02-29');
    assert.equal(plan.refillDueBy, '2028-02-22');
  });

  it('a fill on 29 February counts 180 days like any other day', () => {
    const plan = refillPlan({
      ...example4,
      reservoirMl: 40,
      fillMl: 40,
      concentrationMcgPerMl: 2000,
      doseMcgPerDay: 300,
      filledOn: d('2024-02-29'),
    });
    assert.equal(plan.limitedBy, 'stability');
    assert.equal(plan.refillDueBy, countDays('2024-02-29', 180));
    assert.equal(plan.refillDueBy, '2024-08-27');
  });
});

describe('the process time zone changes nothing', () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    if (originalTz === undefined) {
      delete process.env.TZ;
    } else {
      process.env.TZ = originalTz;
    }
  });

  /** Everything date-like the refill arithmetic produces, for the same inputs. */
  function everything(): unknown[] {
    const closed = new Set(['2026-12-25', '2026-12-28', '2027-03-26', '2027-03-29']);
    return dateFills.flatMap((filledOn) => [
      ...datePlans.map((p) => refillPlan(planFor(filledOn, p))),
      expectedResidualMl({
        fillMl: 20,
        filledOn: d(filledOn),
        dailyVolumeMl: 0.3,
        on: d(countDays(filledOn, 1)),
      }),
      addDays(d(filledOn), 1),
      addDays(d(filledOn), -1),
      addMonths(d(filledOn), 1),
      isoWeekday(d(filledOn)),
      workingDayOnOrBefore(d(filledOn), closed),
    ]);
  }

  it('gives identical results with TZ set to Europe/London, UTC and far-off zones', () => {
    process.env.TZ = 'UTC';
    const utc = everything();
    // Check the runtime TZ change really took effect, so the comparison means something.
    assert.equal(new Date(2026, 6, 1).getTimezoneOffset(), 0);
    process.env.TZ = 'Europe/London';
    assert.equal(new Date(2026, 6, 1).getTimezoneOffset(), -60, 'BST in July');
    assert.equal(new Date(2026, 0, 1).getTimezoneOffset(), 0, 'GMT in January');
    assert.deepEqual(everything(), utc);
    for (const tz of ['Pacific/Kiritimati', 'America/Los_Angeles', 'Australia/Lord_Howe']) {
      process.env.TZ = tz;
      assert.deepEqual(everything(), utc, tz);
    }
  });
});
