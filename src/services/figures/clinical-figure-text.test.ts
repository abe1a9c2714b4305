import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlainDate } from '../../domain/calendar-date.ts';
import { monthEndWithin } from './caseload-figures.ts';
import { NO_DATA, percent, rateText } from './clinical-figure-text.ts';
import { per100PumpYears, startOfDayInstant } from './complication-figures.ts';

describe('clinical figure arithmetic', () => {
  it('words a rate, and "no data" with nothing to divide by', () => {
    const cases: [number, number, number | null, string][] = [
      [174, 200, 87, '87% (174 of 200)'],
      [1, 3, 33.3, '33.3% (1 of 3)'],
      [2, 3, 66.7, '66.7% (2 of 3)'],
      [0, 5, 0, '0% (0 of 5)'],
      [0, 0, null, NO_DATA],
    ];
    for (const [n, d, p, text] of cases) {
      assert.equal(percent(n, d), p);
      assert.equal(rateText(n, d), text);
    }
  });

  it('gives complications per 100 pump-years, null with no pump-days', () => {
    // 3 complications in 2 pumps for a whole (non-leap) year: 2 × 365 days = 1.998 pump-years.
    assert.equal(per100PumpYears(3, 730), 150.1);
    assert.equal(per100PumpYears(1, 365.25), 100);
    assert.equal(per100PumpYears(0, 1000), 0);
    assert.equal(per100PumpYears(4, 0), null);
  });

  it('counts a month on its last day, or the range end when sooner', () => {
    assert.equal(monthEndWithin('2026-02', '2026-12-31' as PlainDate), '2026-02-28');
    assert.equal(monthEndWithin('2028-02', '2028-12-31' as PlainDate), '2028-02-29');
    assert.equal(monthEndWithin('2026-06', '2026-06-15' as PlainDate), '2026-06-15');
  });

  it("starts a day at midnight in the service's time zone", () => {
    assert.equal(startOfDayInstant('2026-07-01' as PlainDate, 'Europe/London'), '2026-06-30T23:00:00.000Z');
    assert.equal(startOfDayInstant('2026-01-01' as PlainDate, 'Europe/London'), '2026-01-01T00:00:00.000Z');
    assert.equal(startOfDayInstant('2026-03-29' as PlainDate, 'Europe/London'), '2026-03-29T00:00:00.000Z');
    assert.equal(startOfDayInstant('2026-03-30' as PlainDate, 'Europe/London'), '2026-03-29T23:00:00.000Z');
  });
});
