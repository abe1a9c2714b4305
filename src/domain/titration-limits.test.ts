import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  beyondChangeFactor,
  changeLimit,
  doseChangeCheck,
  limitPhase,
  type Origin,
  type Phase,
} from './dose-change.ts';
import { DEFAULT_PUMP_RULES } from './pump-rules.ts';

const rules = DEFAULT_PUMP_RULES.titration;

/** The paediatric and high-dose rise limits, the tenfold hard limit and the phase from history [CMSC]. */

describe('titration by age and dose', () => {
  const table: {
    name: string;
    current: number;
    proposed: number;
    origin: Origin;
    phase: Phase;
    child: boolean;
    changePercent: number;
    limitPercent: number;
    withinLimit: boolean;
  }[] = [
    // A child: 5–15 % [CMSC]. (116 − 100) ÷ 100 = 16 % > 15 %.
    {
      name: 'child, spinal titration, 100 → 116',
      current: 100,
      proposed: 116,
      origin: 'spinal',
      phase: 'titration',
      child: true,
      changePercent: 16,
      limitPercent: 15,
      withinLimit: false,
    },
    {
      name: 'child, spinal titration, 100 → 115',
      current: 100,
      proposed: 115,
      origin: 'spinal',
      phase: 'titration',
      child: true,
      changePercent: 15,
      limitPercent: 15,
      withinLimit: true,
    },
    // The same rise for an adult in spinal titration is inside +30 %.
    {
      name: 'adult, spinal titration, 100 → 116',
      current: 100,
      proposed: 116,
      origin: 'spinal',
      phase: 'titration',
      child: false,
      changePercent: 16,
      limitPercent: 30,
      withinLimit: true,
    },
    // The child limit applies in maintenance too (+15 % under the maintenance +20 %).
    {
      name: 'child, maintenance, 400 → 470',
      current: 400,
      proposed: 470,
      origin: 'cerebral',
      phase: 'maintenance',
      child: true,
      changePercent: 17.5,
      limitPercent: 15,
      withinLimit: false,
    },
    // Cuts keep the phase's limit: −20 %.
    {
      name: 'child, titration cut 100 → 80',
      current: 100,
      proposed: 80,
      origin: 'spinal',
      phase: 'titration',
      child: true,
      changePercent: -20,
      limitPercent: -20,
      withinLimit: true,
    },
    // From 500 mcg/day a rise above 20 % needs a reason: (740 − 600) ÷ 600 = 23.33 %.
    {
      name: 'adult, spinal titration, 600 → 740',
      current: 600,
      proposed: 740,
      origin: 'spinal',
      phase: 'titration',
      child: false,
      changePercent: 23.33,
      limitPercent: 20,
      withinLimit: false,
    },
    {
      name: 'adult, spinal titration, 600 → 720',
      current: 600,
      proposed: 720,
      origin: 'spinal',
      phase: 'titration',
      child: false,
      changePercent: 20,
      limitPercent: 20,
      withinLimit: true,
    },
    {
      name: 'adult, spinal titration, 500 → 601',
      current: 500,
      proposed: 601,
      origin: 'spinal',
      phase: 'titration',
      child: false,
      changePercent: 20.2,
      limitPercent: 20,
      withinLimit: false,
    },
    // Just under 500: the spinal +30 % applies. (620 − 499) ÷ 499 = 24.25 %.
    {
      name: 'adult, spinal titration, 499 → 620',
      current: 499,
      proposed: 620,
      origin: 'spinal',
      phase: 'titration',
      child: false,
      changePercent: 24.25,
      limitPercent: 30,
      withinLimit: true,
    },
    // The high-dose limit never widens a smaller one: cerebral titration stays +15 %.
    {
      name: 'adult, cerebral titration, 600 → 700',
      current: 600,
      proposed: 700,
      origin: 'cerebral',
      phase: 'titration',
      child: false,
      changePercent: 16.67,
      limitPercent: 15,
      withinLimit: false,
    },
  ];
  for (const c of table) {
    it(`${c.name}: ${c.changePercent} % against ${c.limitPercent} %`, () => {
      assert.deepEqual(
        doseChangeCheck(
          {
            currentMcgPerDay: c.current,
            proposedMcgPerDay: c.proposed,
            origin: c.origin,
            phase: c.phase,
            child: c.child,
          },
          rules,
        ),
        { changePercent: c.changePercent, limitPercent: c.limitPercent, withinLimit: c.withinLimit },
      );
    });
  }

  it('says which rule set the limit', () => {
    const base = {
      currentMcgPerDay: 100,
      origin: 'spinal' as const,
      phase: 'titration' as const,
      rising: true,
    };
    assert.equal(changeLimit({ ...base, child: true }, rules).basis, 'child');
    assert.equal(changeLimit(base, rules).basis, 'phase');
    assert.equal(changeLimit({ ...base, currentMcgPerDay: 600 }, rules).basis, 'high-dose');
    // A child at a high dose: both are 15 and 20; the child's 15 is the smaller.
    assert.deepEqual(changeLimit({ ...base, currentMcgPerDay: 600, child: true }, rules), {
      limitPercent: 15,
      basis: 'child',
    });
  });
});

describe('the tenfold hard limit', () => {
  const table: [current: number, proposed: number, refused: boolean][] = [
    [100, 1000, false], // exactly 10 times
    [100, 1001, true],
    [100, 10, false], // exactly a tenth
    [100, 9.99, true],
    [400, 40, false],
    [400, 39, true],
    [1.5, 1500, true], // 1.5 typed in mg, then corrected to mcg: still a thousandfold change
  ];
  for (const [current, proposed, refused] of table) {
    it(`${current} → ${proposed} mcg/day: ${refused ? 'refused' : 'allowed'}`, () => {
      assert.equal(beyondChangeFactor(current, proposed, rules), refused);
    });
  }

  it('refuses exactly when proposed ÷ current > 10 or < 1/10 (integers)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 300_000 }), fc.integer({ min: 100, max: 300_000 }), (a, b) => {
        assert.equal(beyondChangeFactor(a / 100, b / 100, rules), b > 10 * a || 10 * b < a);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the phase from the pump history', () => {
  it('is titration until a maintenance prescription has been confirmed', () => {
    assert.equal(limitPhase([]), 'titration');
    assert.equal(limitPhase(['titration', 'titration']), 'titration');
    assert.equal(limitPhase(['titration', 'maintenance']), 'maintenance');
  });
});

describe('titration limits: properties', () => {
  it('a child or a high dose never widens the limit, and a rise is never allowed past the smallest that applies', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 300_000 }),
        fc.integer({ min: 100, max: 300_000 }),
        fc.constantFrom<Origin>('spinal', 'cerebral'),
        fc.constantFrom<Phase>('titration', 'maintenance'),
        fc.boolean(),
        (current, proposed, origin, phase, child) => {
          const input = { currentMcgPerDay: current / 100, proposedMcgPerDay: proposed / 100, origin, phase };
          const adult = doseChangeCheck(input, rules);
          const result = doseChangeCheck({ ...input, child }, rules);
          assert.ok(Math.abs(result.limitPercent) <= Math.abs(adult.limitPercent));
          if (proposed > current && child) {
            assert.ok(result.limitPercent <= rules.childRisePercent);
          }
          if (proposed > current && current / 100 >= rules.highDoseFromMcgPerDay) {
            assert.ok(result.limitPercent <= rules.highDoseRisePercent);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
