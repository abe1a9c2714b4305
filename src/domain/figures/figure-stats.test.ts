import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  countOf,
  median,
  nearestRankPercentile,
  percentOf,
  rateHeadline,
  spreadOfCounts,
} from './figure-stats.ts';

describe('figure arithmetic', () => {
  for (const [values, expected] of [
    [[], null],
    [[7], 7],
    [[3, 1], 2],
    [[5, 1, 3], 3],
    [[4, 1, 3, 2], 2.5],
    [[0, 0, 10, 10], 5],
  ] as const) {
    it(`median of [${values.join(', ')}] is ${String(expected)}`, () => {
      assert.equal(median(values), expected);
    });
  }

  for (const [values, percent, expected] of [
    [[], 90, null],
    [[8], 90, 8],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90, 9],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90, 10],
    [[10, 1], 90, 10],
    [[1, 2, 3, 4], 50, 2],
  ] as const) {
    it(`nearest-rank ${percent}th percentile of [${values.join(', ')}] is ${String(expected)}`, () => {
      assert.equal(nearestRankPercentile(values, percent), expected);
    });
  }

  it('property: the 90th percentile is a value that occurred, with at least 90% of values at or below it', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 200 }), (values) => {
        const p90 = nearestRankPercentile(values, 90);
        assert.ok(p90 !== null && values.includes(p90));
        assert.ok(values.filter((v) => v <= p90).length >= 0.9 * values.length);
        assert.ok(values.filter((v) => v < p90).length < 0.9 * values.length);
      }),
    );
  });

  it('property: the median lies between the smallest and the largest, with half on either side', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 200 }), (values) => {
        const m = median(values) ?? NaN;
        assert.ok(m >= Math.min(...values) && m <= Math.max(...values));
        assert.ok(values.filter((v) => v <= m).length >= values.length / 2);
        assert.ok(values.filter((v) => v >= m).length >= values.length / 2);
      }),
    );
  });

  it('words rates and counts, with no rate when there is nothing to divide by', () => {
    assert.equal(percentOf(7, 8), 87.5);
    assert.equal(percentOf(1, 3), 33.3);
    assert.equal(percentOf(0, 0), null);
    assert.equal(rateHeadline(7, 8), '87.5% (7 of 8)');
    assert.equal(rateHeadline(0, 0), 'None in the period');
    assert.equal(countOf(1, 'referral'), '1 referral');
    assert.equal(countOf(2, 'referral'), '2 referrals');
  });

  it('the spread of values given as counts is that of the values listed out', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 60 }), { maxLength: 200 }), (values) => {
        const counts = new Map<number, number>();
        for (const v of values) {
          counts.set(v, (counts.get(v) ?? 0) + 1);
        }
        const spread = spreadOfCounts([...counts].map(([value, n]) => ({ value, n })));
        assert.deepEqual(spread, {
          n: values.length,
          median: median(values),
          p90: nearestRankPercentile(values, 90),
          longest: values.length === 0 ? null : Math.max(...values),
        });
      }),
    );
  });
});
