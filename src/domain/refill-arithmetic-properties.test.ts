import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { addDays, daysBetween } from './calendar-date.ts';
import { DEFAULT_PUMP_RULES } from './pump-rules.ts';
import {
  expectedResidualMl,
  refillPlan,
  refillPlanErrors,
  residualCheck,
  round2,
} from './refill-arithmetic.ts';
import { countDays } from '../../test/support/test-calendar.ts';
import { planArb, type GeneratedPlan } from '../../test/support/refill-plan-fixtures.ts';

/** The refill arithmetic's properties over realistic generated plans. */

const rules = DEFAULT_PUMP_RULES;

// ---------------------------------------------------------------------------------------------
// Properties over realistic decimal inputs
// ---------------------------------------------------------------------------------------------

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
