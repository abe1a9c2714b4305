import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlainDate } from './calendar-date.ts';
import { checkBeyondTarget } from './booking-beyond-target.ts';

const d = (s: string) => s as PlainDate;

describe('checkBeyondTarget: a first appointment after the target needs confirming', () => {
  const target = d('2026-11-30');
  const cases = [
    ['the day before the target', '2026-11-29', false, 'within'],
    ['on the target date', '2026-11-30', false, 'within'],
    ['on the target date, ticked anyway', '2026-11-30', true, 'within'],
    ['the day after, not confirmed', '2026-12-01', false, 'unconfirmed'],
    ['the day after, confirmed', '2026-12-01', true, 'confirmed'],
    ['months after, confirmed', '2027-03-01', true, 'confirmed'],
  ] as const;
  for (const [name, date, confirmed, kind] of cases) {
    it(`${name} → ${kind}`, () => {
      assert.equal(checkBeyondTarget(d(date), target, confirmed).kind, kind);
    });
  }

  it('refuses naming the field and both dates, and keeps the target when confirmed', () => {
    const refused = checkBeyondTarget(d('2026-12-01'), target, false);
    assert.deepEqual(refused, {
      kind: 'unconfirmed',
      error: {
        field: 'confirmBeyondTarget',
        message:
          '1 December 2026 is after this referral\'s target date, 30 November 2026. Select "Confirm booking beyond the target" to book it anyway, or choose an earlier date',
      },
    });
    assert.deepEqual(checkBeyondTarget(d('2026-12-01'), target, true), {
      kind: 'confirmed',
      targetDate: target,
    });
  });
});
