import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sessionNeedsTouch, sessionState, type SessionPolicy } from './session-policy.ts';

const policy: SessionPolicy = {
  idleTimeoutSeconds: 1800,
  absoluteTimeoutSeconds: 43200,
  touchIntervalSeconds: 60,
};
const s = (createdAgo: number, seenAgo: number, now: number) => ({
  createdAtMs: now - createdAgo * 1000,
  lastSeenAtMs: now - seenAgo * 1000,
});

describe('session time-outs', () => {
  const now = 10_000_000_000;
  const cases: [string, number, number, string][] = [
    ['fresh', 0, 0, 'active'],
    ['idle one second short of the limit', 100, 1799, 'active'],
    ['idle exactly the limit', 100, 1800, 'idle-expired'],
    ['busy but at the absolute limit', 43200, 0, 'absolute-expired'],
    ['one second short of the absolute limit', 43199, 0, 'active'],
  ];
  for (const [name, created, seen, state] of cases) {
    it(name, () => {
      assert.equal(sessionState(s(created, seen, now), now, policy), state);
    });
  }
  it('writes last-seen at most once a minute', () => {
    assert.equal(sessionNeedsTouch(now - 59_000, now, policy), false);
    assert.equal(sessionNeedsTouch(now - 60_000, now, policy), true);
  });
});
