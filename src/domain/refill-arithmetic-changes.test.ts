import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { addDays, type PlainDate } from './calendar-date.ts';
import { refillPlan, refillPlanWithChanges } from './refill-arithmetic.ts';
import { countDays } from '../../test/support/test-calendar.ts';
import { planArb } from '../../test/support/refill-plan-fixtures.ts';

/** Refill plans with dose or concentration changes between refills (refillPlanWithChanges). */

const d = (s: string) => s as PlainDate;

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
