import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { secondsUntilNextAttempt, type ThrottlePolicy } from './sign-in-throttle.ts';

const policy: ThrottlePolicy = {
  freeAttempts: 5,
  windowSeconds: 900,
  baseDelaySeconds: 30,
  maxDelaySeconds: 900,
};
const now = 1_000_000_000;
const failuresAt = (secondsAgo: number[]) => secondsAgo.map((s) => now - s * 1000);

describe('sign-in throttling', () => {
  const cases: [string, number[], number][] = [
    ['no failures: no wait', [], 0],
    ['four failures: no wait', [1, 2, 3, 4], 0],
    ['the fifth failure just now: 30 s', [0, 1, 2, 3, 4], 30],
    ['the fifth failure 10 s ago: 20 s left', [10, 11, 12, 13, 14], 20],
    ['six failures: 60 s from the last', [0, 1, 2, 3, 4, 5], 60],
    ['failures older than the window are forgotten', [901, 902, 903, 904, 905, 906], 0],
    ['many failures cap at the maximum', Array.from({ length: 40 }, (_, i) => i), 900],
  ];
  for (const [name, ago, wait] of cases) {
    it(name, () => {
      assert.equal(secondsUntilNextAttempt(failuresAt(ago), now, policy), wait);
    });
  }

  it('never locks out for good: after window plus maximum delay an attempt is allowed (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 899 }), { maxLength: 200 }), (ago) => {
        const later = now + (policy.windowSeconds + policy.maxDelaySeconds) * 1000;
        assert.equal(secondsUntilNextAttempt(failuresAt(ago), later, policy), 0);
      }),
    );
  });

  it('never asks for more than the maximum delay (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2000 }), { maxLength: 200 }), (ago) => {
        assert.ok(secondsUntilNextAttempt(failuresAt(ago), now, policy) <= policy.maxDelaySeconds);
      }),
    );
  });
});
