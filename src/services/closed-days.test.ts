import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closedDaysBetween } from './closed-days.ts';

describe('closed days', () => {
  it("holds England's bank holidays with substitute days, and the service's own", () => {
    const days = closedDaysBetween(2026, 2027, ['2026-12-24']);
    for (const d of [
      '2026-04-03',
      '2026-04-06',
      '2026-05-04',
      '2026-08-31',
      '2026-12-25',
      '2026-12-28',
      '2027-12-27',
      '2026-12-24',
    ]) {
      assert.ok(days.has(d), d);
    }
    assert.ok(!days.has('2026-03-17'), "St Patrick's Day is not a bank holiday in England");
  });
});
