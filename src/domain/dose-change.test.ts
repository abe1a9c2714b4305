import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { doseChangeCheck, startingDose, type Origin, type Phase } from './dose-change.ts';
import { DEFAULT_PUMP_RULES } from './pump-rules.ts';
import { round2 } from './refill-arithmetic.ts';

const rules = DEFAULT_PUMP_RULES.titration;
const longEffect = DEFAULT_PUMP_RULES;

const check = (currentMcgPerDay: number, proposedMcgPerDay: number, origin: Origin, phase: Phase) =>
  doseChangeCheck({ currentMcgPerDay, proposedMcgPerDay, origin, phase }, rules);

describe('worked example 7: starting dose from a 50 mcg test dose', () => {
  const cases: [string, number, boolean | undefined, number, 'double' | 'same'][] = [
    ['(a) effect 6 h: twice the test dose', 6, undefined, 100, 'double'],
    ['(b) effect 10 h (more than 8 h): the test dose itself', 10, undefined, 50, 'same'],
    ['effect exactly 8 h is not "more than 8 h": double', 8, undefined, 100, 'double'],
    ['effect 8.01 h: same', 8.01, undefined, 50, 'same'],
    ['effect 6 h with adverse reactions: same [CMSC]', 6, true, 50, 'same'],
    ['effect 6 h, adverse reactions recorded as no: double', 6, false, 100, 'double'],
  ];
  for (const [name, effectHours, adverseReactions, dailyDoseMcg, rule] of cases) {
    it(`${name} → ${dailyDoseMcg} mcg/day`, () => {
      const input =
        adverseReactions === undefined
          ? { testDoseMcg: 50, effectHours }
          : { testDoseMcg: 50, effectHours, adverseReactions };
      assert.deepEqual(startingDose(input, longEffect), { dailyDoseMcg, rule });
    });
  }

  it('hourly rates: 100 mcg/day is 4.17 mcg/h, 50 mcg/day is 2.08 mcg/h', () => {
    assert.equal(
      round2(startingDose({ testDoseMcg: 50, effectHours: 6 }, longEffect).dailyDoseMcg / 24),
      4.17,
    );
    assert.equal(
      round2(startingDose({ testDoseMcg: 50, effectHours: 10 }, longEffect).dailyDoseMcg / 24),
      2.08,
    );
  });

  it('takes the long-effect hours from configuration', () => {
    const twelveHours = { ...DEFAULT_PUMP_RULES, startDoseLongEffectHours: 12 };
    assert.equal(startingDose({ testDoseMcg: 75, effectHours: 10 }, twelveHours).rule, 'double');
    assert.equal(startingDose({ testDoseMcg: 75, effectHours: 10 }, twelveHours).dailyDoseMcg, 150);
  });
});

describe('worked examples 8–10: dose change limits', () => {
  const cases: {
    name: string;
    current: number;
    proposed: number;
    origin: Origin;
    phase: Phase;
    changePercent: number;
    limitPercent: number;
    withinLimit: boolean;
  }[] = [
    // Example 8: spinal titration, +30 % a day.
    {
      name: '8: spinal 100 → 130',
      current: 100,
      proposed: 130,
      origin: 'spinal',
      phase: 'titration',
      changePercent: 30,
      limitPercent: 30,
      withinLimit: true,
    },
    {
      name: '8: spinal 100 → 131',
      current: 100,
      proposed: 131,
      origin: 'spinal',
      phase: 'titration',
      changePercent: 31,
      limitPercent: 30,
      withinLimit: false,
    },
    {
      name: '8: spinal day 3, 130 → 169',
      current: 130,
      proposed: 169,
      origin: 'spinal',
      phase: 'titration',
      changePercent: 30,
      limitPercent: 30,
      withinLimit: true,
    },
    {
      name: '8: spinal day 3, 130 → 170',
      current: 130,
      proposed: 170,
      origin: 'spinal',
      phase: 'titration',
      changePercent: 30.77,
      limitPercent: 30,
      withinLimit: false,
    },
    {
      name: '8: spinal 100 → 169 in one day is too much',
      current: 100,
      proposed: 169,
      origin: 'spinal',
      phase: 'titration',
      changePercent: 69,
      limitPercent: 30,
      withinLimit: false,
    },
    // Example 9: cerebral titration, +15 % a day.
    {
      name: '9: cerebral 100 → 115',
      current: 100,
      proposed: 115,
      origin: 'cerebral',
      phase: 'titration',
      changePercent: 15,
      limitPercent: 15,
      withinLimit: true,
    },
    {
      name: '9: cerebral 100 → 116',
      current: 100,
      proposed: 116,
      origin: 'cerebral',
      phase: 'titration',
      changePercent: 16,
      limitPercent: 15,
      withinLimit: false,
    },
    {
      name: '9: cerebral day 3, 115 → 132.25',
      current: 115,
      proposed: 132.25,
      origin: 'cerebral',
      phase: 'titration',
      changePercent: 15,
      limitPercent: 15,
      withinLimit: true,
    },
    {
      name: '9: cerebral day 3, 115 → 132.5',
      current: 115,
      proposed: 132.5,
      origin: 'cerebral',
      phase: 'titration',
      changePercent: 15.22,
      limitPercent: 15,
      withinLimit: false,
    },
    {
      name: '9: cerebral 100 → 130 is within spinal but not cerebral limits',
      current: 100,
      proposed: 130,
      origin: 'cerebral',
      phase: 'titration',
      changePercent: 30,
      limitPercent: 15,
      withinLimit: false,
    },
    // Example 10: cerebral maintenance, ±20 %.
    {
      name: '10a: maintenance 400 → 480',
      current: 400,
      proposed: 480,
      origin: 'cerebral',
      phase: 'maintenance',
      changePercent: 20,
      limitPercent: 20,
      withinLimit: true,
    },
    {
      name: '10a: maintenance 400 → 481',
      current: 400,
      proposed: 481,
      origin: 'cerebral',
      phase: 'maintenance',
      changePercent: 20.25,
      limitPercent: 20,
      withinLimit: false,
    },
    {
      name: '10a: maintenance 400 → 420',
      current: 400,
      proposed: 420,
      origin: 'cerebral',
      phase: 'maintenance',
      changePercent: 5,
      limitPercent: 20,
      withinLimit: true,
    },
    {
      name: '10b: maintenance 400 → 320',
      current: 400,
      proposed: 320,
      origin: 'cerebral',
      phase: 'maintenance',
      changePercent: -20,
      limitPercent: -20,
      withinLimit: true,
    },
    {
      name: '10b: maintenance 400 → 319',
      current: 400,
      proposed: 319,
      origin: 'cerebral',
      phase: 'maintenance',
      changePercent: -20.25,
      limitPercent: -20,
      withinLimit: false,
    },
    {
      name: '10b: maintenance 400 → 360',
      current: 400,
      proposed: 360,
      origin: 'cerebral',
      phase: 'maintenance',
      changePercent: -10,
      limitPercent: -20,
      withinLimit: true,
    },
    {
      name: 'maintenance spinal uses the same ±20 %',
      current: 400,
      proposed: 481,
      origin: 'spinal',
      phase: 'maintenance',
      changePercent: 20.25,
      limitPercent: 20,
      withinLimit: false,
    },
    // Titration cuts: 20 % either origin.
    {
      name: 'titration cut 100 → 80 (spinal)',
      current: 100,
      proposed: 80,
      origin: 'spinal',
      phase: 'titration',
      changePercent: -20,
      limitPercent: -20,
      withinLimit: true,
    },
    {
      name: 'titration cut 100 → 79 (spinal)',
      current: 100,
      proposed: 79,
      origin: 'spinal',
      phase: 'titration',
      changePercent: -21,
      limitPercent: -20,
      withinLimit: false,
    },
    {
      name: 'titration cut 100 → 80 (cerebral)',
      current: 100,
      proposed: 80,
      origin: 'cerebral',
      phase: 'titration',
      changePercent: -20,
      limitPercent: -20,
      withinLimit: true,
    },
    {
      name: 'titration cut 100 → 79.99 (cerebral)',
      current: 100,
      proposed: 79.99,
      origin: 'cerebral',
      phase: 'titration',
      changePercent: -20.01,
      limitPercent: -20,
      withinLimit: false,
    },
    {
      name: 'no change is within the limit',
      current: 250,
      proposed: 250,
      origin: 'spinal',
      phase: 'titration',
      changePercent: 0,
      limitPercent: 30,
      withinLimit: true,
    },
  ];
  for (const c of cases) {
    it(`${c.name}: ${c.changePercent} % against ${c.limitPercent} % → ${c.withinLimit ? 'within' : 'beyond'}`, () => {
      assert.deepEqual(check(c.current, c.proposed, c.origin, c.phase), {
        changePercent: c.changePercent,
        limitPercent: c.limitPercent,
        withinLimit: c.withinLimit,
      });
    });
  }

  it('takes the limits from configuration', () => {
    const stricter = { ...rules, titrationSpinalRisePercent: 10 };
    const result = doseChangeCheck(
      { currentMcgPerDay: 100, proposedMcgPerDay: 111, origin: 'spinal', phase: 'titration' },
      stricter,
    );
    assert.deepEqual(result, { changePercent: 11, limitPercent: 10, withinLimit: false });
  });
});

describe('dose change: properties', () => {
  // Doses to 0.01 mcg, kept as integers so the exact percentage can be compared without binary noise.
  const doseArb = fc.integer({ min: 100, max: 300_000 });
  const originArb = fc.constantFrom<Origin>('spinal', 'cerebral');
  const phaseArb = fc.constantFrom<Phase>('titration', 'maintenance');

  it('withinLimit iff |change| ≤ |limit|, and the limit has the sign of the change', () => {
    fc.assert(
      fc.property(doseArb, doseArb, originArb, phaseArb, (current, proposed, origin, phase) => {
        const result = check(current / 100, proposed / 100, origin, phase);
        assert.equal(result.withinLimit, Math.abs(result.changePercent) <= Math.abs(result.limitPercent));
        if (proposed > current) {
          assert.ok(result.limitPercent > 0);
        }
        if (proposed < current && result.changePercent !== 0) {
          assert.ok(result.limitPercent < 0);
          assert.ok(result.changePercent < 0);
        }
        // A change too small to show at 0.01 % counts as no change (either limit would pass it).
        if (result.changePercent === 0) {
          assert.equal(result.withinLimit, true);
          return;
        }
        const phaseLimit =
          phase === 'maintenance'
            ? rules.maintenanceChangePercent
            : proposed > current
              ? origin === 'spinal'
                ? rules.titrationSpinalRisePercent
                : rules.titrationCerebralRisePercent
              : rules.titrationCutPercent;
        // From 500 mcg/day up a rise is held to +20 % as well [CMSC].
        const expectedLimit =
          proposed > current && current / 100 >= rules.highDoseFromMcgPerDay
            ? Math.min(phaseLimit, rules.highDoseRisePercent)
            : phaseLimit;
        assert.equal(Math.abs(result.limitPercent), expectedLimit);
      }),
      { numRuns: 3000 },
    );
  });

  it('judges the exact change: at or under the limit is within; 0.005 % or more over is not', () => {
    fc.assert(
      fc.property(doseArb, doseArb, originArb, phaseArb, (current, proposed, origin, phase) => {
        const result = check(current / 100, proposed / 100, origin, phase);
        const limit = Math.abs(result.limitPercent);
        const change = Math.abs(proposed - current);
        // |change| / current × 100 ≤ limit, in integers.
        if (change * 100 <= limit * current) {
          assert.equal(result.withinLimit, true);
        }
        // |change| / current × 100 ≥ limit + 0.005.
        if (change * 100_000 >= (limit * 1000 + 5) * current) {
          assert.equal(result.withinLimit, false);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('every dose exactly at the limit either way is within it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30_000 }),
        originArb,
        phaseArb,
        (currentTenths, origin, phase) => {
          const current = currentTenths / 10;
          const phaseRise =
            phase === 'maintenance'
              ? rules.maintenanceChangePercent
              : origin === 'spinal'
                ? rules.titrationSpinalRisePercent
                : rules.titrationCerebralRisePercent;
          // From 500 mcg/day up a rise is held to +20 % as well [CMSC].
          const rise =
            current >= rules.highDoseFromMcgPerDay
              ? Math.min(phaseRise, rules.highDoseRisePercent)
              : phaseRise;
          const cut = phase === 'maintenance' ? rules.maintenanceChangePercent : rules.titrationCutPercent;
          assert.equal(check(current, (current * (100 + rise)) / 100, origin, phase).withinLimit, true);
          assert.equal(check(current, (current * (100 - cut)) / 100, origin, phase).withinLimit, true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
