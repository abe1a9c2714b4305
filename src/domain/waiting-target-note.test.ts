import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { addDays, isoWeekday, type PlainDate } from './calendar-date.ts';
import { formatWithWeekday, targetDateFor, targetDayNote } from './waiting-target.ts';
import { isWorkingDay } from './working-days.ts';

const d = (s: string) => s as PlainDate;

/** England's bank holidays around Christmas 2026 and Easter 2027 (gov.uk/bank-holidays). */
const BANK_HOLIDAYS = new Set([
  '2026-12-25', // Friday, Christmas Day
  '2026-12-28', // Monday, Boxing Day (substitute day: 26 December is a Saturday)
  '2027-01-01', // Friday, New Year's Day
  '2027-03-26', // Good Friday
  '2027-03-29', // Easter Monday
]);
const DAYS = { bankHolidays: BANK_HOLIDAYS, closedDays: new Set(['2026-12-29', '2026-12-30', '2026-12-31']) };

describe('a target date that is not a working day is noted; the date itself is not moved', () => {
  const cases: [string, string, string | null][] = [
    // Received Saturday 24 October 2026 + 42 days = Saturday 5 December 2026.
    ['a Saturday', '2026-12-05', 'Saturday: not a working day; book by Friday 4 December 2026'],
    // Sunday 6 December: back over the weekend to Friday 4 December.
    ['a Sunday', '2026-12-06', 'Sunday: not a working day; book by Friday 4 December 2026'],
    [
      'Christmas Day (a Friday)',
      '2026-12-25',
      'Bank holiday: not a working day; book by Thursday 24 December 2026',
    ],
    // Monday 28 December (substitute Boxing Day) ← Sun 27, Sat 26, Fri 25 (bank holiday) ← Thursday 24.
    [
      'the substitute Boxing Day',
      '2026-12-28',
      'Bank holiday: not a working day; book by Thursday 24 December 2026',
    ],
    // Wednesday 30 December (service closed 29–31) ← 29 closed, 28 and 25 bank holidays ← Thursday 24.
    [
      'a day the service is closed',
      '2026-12-30',
      'Service closed: not a working day; book by Thursday 24 December 2026',
    ],
    // Easter Monday 29 March 2027 ← Sun, Sat, Good Friday ← Thursday 25 March.
    ['Easter Monday', '2027-03-29', 'Bank holiday: not a working day; book by Thursday 25 March 2027'],
    ['a working Friday', '2026-12-04', null],
    ['a working Monday after a bank holiday weekend', '2027-01-04', null],
  ];
  for (const [name, target, text] of cases) {
    it(`${name} (${target}) → ${text ?? 'no note'}`, () => {
      assert.equal(targetDayNote(d(target), DAYS)?.text ?? null, text);
    });
  }

  it('the 42nd day stays the target: received Saturday 24 October, target Saturday 5 December', () => {
    const target = targetDateFor(d('2026-10-24'), 42);
    assert.equal(target, '2026-12-05');
    assert.deepEqual(targetDayNote(target, DAYS), {
      kind: 'weekend',
      bookBy: '2026-12-04',
      text: 'Saturday: not a working day; book by Friday 4 December 2026',
    });
  });

  it('a bank holiday on a weekend is a weekend', () => {
    assert.equal(
      targetDayNote(d('2026-12-26'), { ...DAYS, bankHolidays: new Set(['2026-12-26']) })?.kind,
      'weekend',
    );
  });

  it('writes a date with its weekday', () => {
    assert.equal(formatWithWeekday(d('2026-12-04')), 'Friday 4 December 2026');
    assert.equal(formatWithWeekday(d('2028-02-29')), 'Tuesday 29 February 2028');
  });

  it('property: "book by" is the last working day before a target that is not one', () => {
    const closed = new Set([...DAYS.bankHolidays, ...DAYS.closedDays]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), (n) => {
        const target = addDays(d('2025-01-01'), n);
        const note = targetDayNote(target, DAYS);
        if (isWorkingDay(target, closed)) {
          assert.equal(note, null);
          return;
        }
        assert.ok(note);
        assert.ok(note.bookBy < target);
        assert.ok(isWorkingDay(note.bookBy, closed));
        for (let x = addDays(note.bookBy, 1); x < target; x = addDays(x, 1)) {
          assert.ok(!isWorkingDay(x, closed), `${x} lies between and is a working day`);
        }
        assert.equal(note.kind === 'weekend', isoWeekday(target) > 5);
      }),
    );
  });
});
