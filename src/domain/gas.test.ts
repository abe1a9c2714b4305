import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatTScore, GAS_RHO, gasTScore, roundTo2, type WeightedScore } from './gas.ts';

const equal = (...scores: number[]): WeightedScore[] => scores.map((score) => ({ weight: 1, score }));

describe('GAS T-score: worked examples (clinical-reference.md, cases 16 and 17)', () => {
  const cases: [string, WeightedScore[], string][] = [
    ['16a: equal weights, scores 0, +1, +2', equal(0, 1, 2), '63.69'],
    ['16b: equal weights, scores +1, 0, −1', equal(1, 0, -1), '50.00'],
    ['16c: equal weights, baseline −1, −1, −1', equal(-1, -1, -1), '36.31'],
    ['16d: equal weights, −2, −2, −2', equal(-2, -2, -2), '22.61'],
    [
      '17: weights 2 and 1, scores +1 and +2',
      [
        { weight: 2, score: 1 },
        { weight: 1, score: 2 },
      ],
      '66.06',
    ],
  ];
  for (const [name, goals, expected] of cases) {
    it(`${name} → ${expected}`, () => {
      assert.equal(formatTScore(gasTScore(goals)), expected);
      assert.equal(roundTo2(gasTScore(goals)), Number(expected));
    });
  }

  it('uses ρ = 0.3 unless told otherwise', () => {
    assert.equal(GAS_RHO, 0.3);
    assert.equal(gasTScore(equal(0, 1, 2)), gasTScore(equal(0, 1, 2), 0.3));
    // With ρ = 0 the denominator is √Σw²: 3 goals at +1 give 50 + 30/√3.
    assert.equal(roundTo2(gasTScore(equal(1, 1, 1), 0)), 67.32);
  });

  it('refuses no goals, a weight of 0 or less and a ρ outside [0, 1)', () => {
    assert.throws(() => gasTScore([]), RangeError);
    assert.throws(() => gasTScore([{ weight: 0, score: 1 }]), RangeError);
    assert.throws(() => gasTScore([{ weight: -1, score: 1 }]), RangeError);
    assert.throws(() => gasTScore([{ weight: 1, score: Number.NaN }]), RangeError);
    assert.throws(() => gasTScore(equal(1), 1), RangeError);
    assert.throws(() => gasTScore(equal(1), -0.1), RangeError);
  });

  it('rounds only for display, half away from zero', () => {
    assert.equal(formatTScore(50), '50.00');
    assert.equal(roundTo2(63.685), 63.69);
    assert.equal(roundTo2(1.005), 1.01);
    assert.equal(roundTo2(-1.005), -1.01);
  });
});

const weight = fc.integer({ min: 1, max: 9 });
const score = fc.integer({ min: -2, max: 2 });
const goals = fc.array(fc.record({ weight, score }), { minLength: 1, maxLength: 8 });
const close = (a: number, b: number) => Math.abs(a - b) < 1e-9;

describe('GAS T-score: properties', () => {
  it('is 50 when every goal is scored 0 (achieved as expected)', () => {
    fc.assert(
      fc.property(fc.array(weight, { minLength: 1, maxLength: 8 }), (ws) => {
        assert.ok(close(gasTScore(ws.map((w) => ({ weight: w, score: 0 }))), 50));
      }),
    );
  });

  it('rises strictly when any one score rises', () => {
    fc.assert(
      fc.property(goals, fc.nat(), (gs, pick) => {
        const i = pick % gs.length;
        const goal = gs[i]!;
        fc.pre(goal.score < 2);
        const better = gs.map((g, j) => (j === i ? { ...g, score: g.score + 1 } : g));
        assert.ok(gasTScore(better) > gasTScore(gs));
      }),
    );
  });

  it('gives 100 − T when every score is negated', () => {
    fc.assert(
      fc.property(goals, (gs) => {
        const negated = gs.map((g) => ({ ...g, score: -g.score }));
        assert.ok(close(gasTScore(negated), 100 - gasTScore(gs)));
      }),
    );
  });

  it('does not depend on the order of the goals', () => {
    fc.assert(
      fc.property(goals, fc.nat(), (gs, seed) => {
        const shuffled = [...gs];
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = (seed + i * 7919) % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        assert.ok(close(gasTScore(shuffled), gasTScore(gs)));
        assert.ok(close(gasTScore([...gs].reverse()), gasTScore(gs)));
      }),
    );
  });
});
