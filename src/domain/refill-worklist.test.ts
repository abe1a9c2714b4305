import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { addDays, isoWeekday, type PlainDate } from './calendar-date.ts';
import {
  compareStandings,
  dateStatus,
  ESCALATED,
  REFILL_STATUSES,
  refillStanding,
  type RefillFacts,
  type RefillStatus,
} from './refill-worklist.ts';
import { workingDayOnOrBefore } from './working-days.ts';

const d = (s: string) => s as PlainDate;

/** England bank holidays around Christmas 2026 and Easter 2027 (gov.uk). */
const CLOSED = new Set([
  '2026-12-25', // Christmas Day, Friday
  '2026-12-28', // Boxing Day (substitute day), Monday
  '2027-01-01', // New Year's Day, Friday
  '2027-03-26', // Good Friday
  '2027-03-29', // Easter Monday
]);

describe('workingDayOnOrBefore', () => {
  const cases: [string, string, string][] = [
    ['Sunday 27 December 2026, between Christmas and the Boxing Day substitute', '2026-12-27', '2026-12-24'],
    ['Boxing Day substitute, Monday 28 December 2026', '2026-12-28', '2026-12-24'],
    ['Boxing Day itself, Saturday 26 December 2026', '2026-12-26', '2026-12-24'],
    ['Christmas Day, Friday 25 December 2026', '2026-12-25', '2026-12-24'],
    ['Tuesday 29 December 2026 is a working day', '2026-12-29', '2026-12-29'],
    ["New Year's Day, Friday 1 January 2027", '2027-01-01', '2026-12-31'],
    ['Sunday 3 January 2027, past New Year', '2027-01-03', '2026-12-31'],
    ['Easter Monday, 29 March 2027', '2027-03-29', '2027-03-25'],
    ['Easter Sunday, 28 March 2027', '2027-03-28', '2027-03-25'],
    ['Good Friday, 26 March 2027', '2027-03-26', '2027-03-25'],
    ['Tuesday after Easter, 30 March 2027', '2027-03-30', '2027-03-30'],
    ['an ordinary Saturday', '2026-06-13', '2026-06-12'],
    ['an ordinary Sunday', '2026-06-14', '2026-06-12'],
    ['an ordinary Wednesday', '2026-06-10', '2026-06-10'],
  ];
  for (const [name, date, expected] of cases) {
    it(`${name}: ${date} → ${expected}`, () => {
      assert.equal(workingDayOnOrBefore(d(date), CLOSED), expected);
    });
  }

  it('only the closed days it is given count: without them Christmas Day is a Friday like any other', () => {
    assert.equal(workingDayOnOrBefore(d('2026-12-25'), new Set()), '2026-12-25');
    assert.equal(workingDayOnOrBefore(d('2026-12-27'), new Set()), '2026-12-25');
  });

  it('always gives a working day, on or before the date, with no working day skipped', () => {
    const dateArb = fc.integer({ min: 0, max: 365 * 3 }).map((n) => addDays(d('2026-01-01'), n));
    fc.assert(
      fc.property(dateArb, (date) => {
        const result = workingDayOnOrBefore(date, CLOSED);
        assert.ok(result <= date);
        assert.ok(isoWeekday(result) <= 5 && !CLOSED.has(result));
        for (let x = addDays(result, 1); x <= date; x = addDays(x, 1)) {
          assert.ok(isoWeekday(x) > 5 || CLOSED.has(x), `${x} is a working day between`);
        }
      }),
    );
  });

  it('stops after a year on a setting that closes every day', () => {
    const everyDay = new Set<string>();
    for (let x = d('2025-01-01'); x <= '2026-12-31'; x = addDays(x, 1)) {
      everyDay.add(x);
    }
    assert.doesNotThrow(() => workingDayOnOrBefore(d('2026-06-01'), everyDay));
  });
});

describe('refill standing (today Monday 2026-06-01, due soon within 7 days)', () => {
  const today = d('2026-06-01');
  const facts = (refillDueBy: string | null, bookedOn: string | null, alarmDate?: string): RefillFacts => ({
    refillDueBy: refillDueBy === null ? null : d(refillDueBy),
    alarmDate: refillDueBy === null ? null : d(alarmDate ?? addDays(d(refillDueBy), 7)),
    bookedOn: bookedOn === null ? null : d(bookedOn),
  });
  const cases: {
    name: string;
    facts: RefillFacts;
    status: RefillStatus;
    dueOn: string | null;
    daysLeft: number | null;
  }[] = [
    {
      name: 'no fill recorded',
      facts: { refillDueBy: null, alarmDate: null, bookedOn: null },
      status: 'no-plan',
      dueOn: null,
      daysLeft: null,
    },
    {
      name: 'no fill recorded, even with a booking',
      facts: { refillDueBy: null, alarmDate: null, bookedOn: d('2026-06-03') },
      status: 'no-plan',
      dueOn: null,
      daysLeft: null,
    },
    {
      name: 'due last Friday, not booked',
      facts: facts('2026-05-29', null),
      status: 'overdue',
      dueOn: '2026-05-29',
      daysLeft: -3,
    },
    {
      name: 'due last Friday, booked today: still overdue',
      facts: facts('2026-05-29', '2026-06-01'),
      status: 'overdue',
      dueOn: '2026-05-29',
      daysLeft: -3,
    },
    {
      name: 'due yesterday (Sunday) moves to Friday: overdue',
      facts: facts('2026-05-31', '2026-06-02'),
      status: 'overdue',
      dueOn: '2026-05-29',
      daysLeft: -3,
    },
    {
      name: 'due today, not booked',
      facts: facts('2026-06-01', null),
      status: 'not-booked',
      dueOn: '2026-06-01',
      daysLeft: 0,
    },
    {
      name: 'due today, booked today',
      facts: facts('2026-06-01', '2026-06-01'),
      status: 'due-soon',
      dueOn: '2026-06-01',
      daysLeft: 0,
    },
    {
      name: 'due today, booked tomorrow',
      facts: facts('2026-06-01', '2026-06-02'),
      status: 'booked-late',
      dueOn: '2026-06-01',
      daysLeft: 0,
    },
    {
      name: 'due in 3 months, not booked',
      facts: facts('2026-09-01', null),
      status: 'not-booked',
      dueOn: '2026-09-01',
      daysLeft: 92,
    },
    {
      name: 'due in 7 days, booked on the due date',
      facts: facts('2026-06-08', '2026-06-08'),
      status: 'due-soon',
      dueOn: '2026-06-08',
      daysLeft: 7,
    },
    {
      name: 'due in 8 days, booked on the due date',
      facts: facts('2026-06-09', '2026-06-09'),
      status: 'booked',
      dueOn: '2026-06-09',
      daysLeft: 8,
    },
    {
      name: 'due in 8 days, booked a day after',
      facts: facts('2026-06-09', '2026-06-10'),
      status: 'booked-late',
      dueOn: '2026-06-09',
      daysLeft: 8,
    },
    {
      name: 'due on a Saturday, booked that Friday',
      facts: facts('2026-06-13', '2026-06-12'),
      status: 'booked',
      dueOn: '2026-06-12',
      daysLeft: 11,
    },
    {
      name: 'due Monday 15 June, booked that day',
      facts: facts('2026-06-15', '2026-06-15'),
      status: 'booked',
      dueOn: '2026-06-15',
      daysLeft: 14,
    },
    {
      name: 'due Sunday 14 June, booked Monday 15th: late',
      facts: facts('2026-06-14', '2026-06-15'),
      status: 'booked-late',
      dueOn: '2026-06-12',
      daysLeft: 11,
    },
  ];
  for (const c of cases) {
    it(`${c.name} → ${c.status}`, () => {
      const standing = refillStanding(c.facts, today, new Set(), 7);
      assert.equal(standing.status, c.status);
      assert.equal(standing.escalated, ESCALATED.has(c.status));
      assert.equal(standing.dueOn, c.dueOn);
      assert.equal(standing.daysLeft, c.daysLeft);
    });
  }

  it('escalates resume-overdue, overdue, no-plan, booked-late and not-booked; not paused, due-soon or booked', () => {
    assert.deepEqual(
      REFILL_STATUSES.filter((s) => ESCALATED.has(s)),
      ['resume-overdue', 'overdue', 'no-plan', 'booked-late', 'not-booked'],
    );
    assert.deepEqual(
      REFILL_STATUSES.filter((s) => !ESCALATED.has(s)),
      ['paused', 'due-soon', 'booked'],
    );
  });

  it('counts days to the alarm from today', () => {
    const standing = refillStanding(facts('2026-06-08', '2026-06-05', '2026-06-15'), today, new Set(), 7);
    assert.equal(standing.daysToAlarm, 14);
  });

  it('moves the due date over bank holidays: due Sunday 27 December 2026 is due Thursday 24th', () => {
    const christmas = refillStanding(facts('2026-12-27', '2026-12-29'), d('2026-12-21'), CLOSED, 7);
    assert.equal(christmas.dueOn, '2026-12-24');
    assert.equal(christmas.status, 'booked-late');
    const onTime = refillStanding(facts('2026-12-27', '2026-12-24'), d('2026-12-21'), CLOSED, 7);
    assert.equal(onTime.status, 'due-soon');
    assert.equal(onTime.daysLeft, 3);
  });

  it('takes "due soon" from configuration', () => {
    assert.equal(refillStanding(facts('2026-06-15', '2026-06-15'), today, new Set(), 14).status, 'due-soon');
    assert.equal(refillStanding(facts('2026-06-15', '2026-06-15'), today, new Set(), 13).status, 'booked');
  });
});

describe('a paused pump (today Monday 2026-06-01)', () => {
  const today = d('2026-06-01');
  // The stored plan (due 2026-05-20, overdue) is left in the facts to show that a pause, not the
  // plan, decides the status while the pump is paused.
  const paused = (resumeBy: string): RefillFacts => ({
    refillDueBy: d('2026-05-20'),
    alarmDate: d('2026-05-27'),
    bookedOn: null,
    resumeBy: d(resumeBy),
  });
  const cases: { name: string; resumeBy: string; status: RefillStatus; daysLeft: number }[] = [
    // 2026-06-01 → 2026-06-15: 14 days.
    { name: 'resume date in two weeks', resumeBy: '2026-06-15', status: 'paused', daysLeft: 14 },
    // 2026-06-01 → 2026-06-02: 1 day.
    { name: 'resume date tomorrow', resumeBy: '2026-06-02', status: 'paused', daysLeft: 1 },
    // The resume date reached with the pause still open: escalated.
    { name: 'resume date today', resumeBy: '2026-06-01', status: 'resume-overdue', daysLeft: 0 },
    // 2026-06-01 → 2026-05-29: −3 days.
    { name: 'resume date last Friday', resumeBy: '2026-05-29', status: 'resume-overdue', daysLeft: -3 },
  ];
  for (const c of cases) {
    it(`${c.name} (${c.resumeBy}) → ${c.status}, ${String(c.daysLeft)} days to the resume date`, () => {
      const standing = refillStanding(paused(c.resumeBy), today, new Set(), 7);
      assert.equal(standing.status, c.status);
      assert.equal(standing.escalated, c.status === 'resume-overdue');
      assert.equal(standing.daysLeft, c.daysLeft);
      assert.equal(standing.resumeBy, c.resumeBy);
      assert.equal(standing.dueOn, null, 'a paused pump has no refill due date of its own');
      assert.equal(standing.daysToAlarm, null);
    });
  }

  it('a paused pump with no plan is paused, not no-plan, until its resume date', () => {
    const facts: RefillFacts = {
      refillDueBy: null,
      alarmDate: null,
      bookedOn: null,
      resumeBy: d('2026-06-10'),
    };
    assert.equal(refillStanding(facts, today, new Set(), 7).status, 'paused');
    assert.equal(refillStanding(facts, d('2026-06-10'), new Set(), 7).status, 'resume-overdue');
  });

  it('a running pump (resume date null or absent) is ranked on its plan as before', () => {
    const running = { refillDueBy: d('2026-05-20'), alarmDate: d('2026-05-27'), bookedOn: null };
    assert.equal(refillStanding(running, today, new Set(), 7).status, 'overdue');
    assert.equal(refillStanding({ ...running, resumeBy: null }, today, new Set(), 7).status, 'overdue');
    assert.equal(refillStanding(running, today, new Set(), 7).resumeBy, null);
  });

  it('ranks a pause past its resume date first and a paused pump after the escalated ones', () => {
    const overdue = refillStanding(
      { refillDueBy: d('2026-05-20'), alarmDate: d('2026-05-27'), bookedOn: null },
      today,
      CLOSED,
      7,
    );
    const dueSoon = refillStanding(
      { refillDueBy: d('2026-06-05'), alarmDate: d('2026-06-12'), bookedOn: d('2026-06-04') },
      today,
      CLOSED,
      7,
    );
    const notBooked = refillStanding(
      { refillDueBy: d('2026-07-01'), alarmDate: d('2026-07-08'), bookedOn: null },
      today,
      CLOSED,
      7,
    );
    const pausedLater = refillStanding(paused('2026-06-20'), today, CLOSED, 7);
    const pausedSooner = refillStanding(paused('2026-06-10'), today, CLOSED, 7);
    const forgotten = refillStanding(paused('2026-05-31'), today, CLOSED, 7);
    assert.deepEqual(
      [dueSoon, pausedLater, notBooked, overdue, pausedSooner, forgotten]
        .sort(compareStandings)
        .map((s) => `${s.status} ${s.resumeBy ?? ''}`.trim()),
      [
        'resume-overdue 2026-05-31',
        'overdue',
        'not-booked',
        'paused 2026-06-10',
        'paused 2026-06-20',
        'due-soon',
      ],
    );
  });
});

describe('worklist order', () => {
  const today = d('2026-06-01');
  const dateArb = fc.integer({ min: -60, max: 200 }).map((n) => addDays(today, n));
  const factsArb: fc.Arbitrary<RefillFacts> = fc.oneof(
    fc.constant<RefillFacts>({ refillDueBy: null, alarmDate: null, bookedOn: null }),
    dateArb.map((resumeBy) => ({ refillDueBy: null, alarmDate: null, bookedOn: null, resumeBy })),
    fc
      .record({
        due: dateArb,
        alarmAfter: fc.integer({ min: 0, max: 30 }),
        booked: fc.option(fc.integer({ min: 0, max: 120 })),
      })
      .map(({ due, alarmAfter, booked }) => ({
        refillDueBy: due,
        alarmDate: addDays(due, alarmAfter),
        bookedOn: booked === null ? null : addDays(today, booked),
      })),
  );

  it('puts escalated entries first, then by status rank, due date and alarm', () => {
    fc.assert(
      fc.property(fc.array(factsArb, { maxLength: 40 }), (all) => {
        const sorted = all.map((f) => refillStanding(f, today, CLOSED, 7)).sort(compareStandings);
        const firstCalm = sorted.findIndex((s) => !s.escalated);
        if (firstCalm >= 0) {
          assert.ok(
            sorted.slice(firstCalm).every((s) => !s.escalated),
            'an escalated entry after a calm one',
          );
        }
        for (let i = 1; i < sorted.length; i += 1) {
          const a = sorted[i - 1]!;
          const b = sorted[i]!;
          const rankA = REFILL_STATUSES.indexOf(a.status);
          const rankB = REFILL_STATUSES.indexOf(b.status);
          assert.ok(rankA <= rankB);
          if (rankA === rankB && a.resumeBy !== null && b.resumeBy !== null) {
            assert.ok(a.resumeBy <= b.resumeBy);
          }
          if (rankA === rankB && a.dueOn !== null && b.dueOn !== null) {
            assert.ok(a.dueOn <= b.dueOn);
            if (a.dueOn === b.dueOn) {
              assert.ok((a.daysToAlarm ?? 0) <= (b.daysToAlarm ?? 0));
            }
          }
        }
      }),
    );
  });

  it('orders a mixed list as the service expects', () => {
    const standings = [
      refillStanding(
        { refillDueBy: d('2026-06-20'), alarmDate: d('2026-06-27'), bookedOn: d('2026-06-19') },
        today,
        CLOSED,
        7,
      ),
      refillStanding(
        { refillDueBy: d('2026-06-05'), alarmDate: d('2026-06-12'), bookedOn: d('2026-06-04') },
        today,
        CLOSED,
        7,
      ),
      refillStanding(
        { refillDueBy: d('2026-07-01'), alarmDate: d('2026-07-08'), bookedOn: null },
        today,
        CLOSED,
        7,
      ),
      refillStanding(
        { refillDueBy: d('2026-06-10'), alarmDate: d('2026-06-17'), bookedOn: d('2026-06-12') },
        today,
        CLOSED,
        7,
      ),
      refillStanding({ refillDueBy: null, alarmDate: null, bookedOn: null }, today, CLOSED, 7),
      refillStanding(
        { refillDueBy: d('2026-05-20'), alarmDate: d('2026-05-27'), bookedOn: null },
        today,
        CLOSED,
        7,
      ),
    ];
    assert.deepEqual(
      [...standings].sort(compareStandings).map((s) => s.status),
      ['overdue', 'no-plan', 'booked-late', 'not-booked', 'due-soon', 'booked'],
    );
  });

  it('within a status, the earlier due date first, then the earlier alarm', () => {
    const a = refillStanding(
      { refillDueBy: d('2026-07-01'), alarmDate: d('2026-07-10'), bookedOn: null },
      today,
      CLOSED,
      7,
    );
    const b = refillStanding(
      { refillDueBy: d('2026-07-01'), alarmDate: d('2026-07-08'), bookedOn: null },
      today,
      CLOSED,
      7,
    );
    const c = refillStanding(
      { refillDueBy: d('2026-06-30'), alarmDate: d('2026-07-20'), bookedOn: null },
      today,
      CLOSED,
      7,
    );
    assert.deepEqual([a, b, c].sort(compareStandings), [c, b, a]);
  });
});

describe('dateStatus (reviews and replacements)', () => {
  const today = d('2026-06-01');
  const cases: [string, 'overdue' | 'due-soon' | 'later'][] = [
    ['2026-05-31', 'overdue'],
    ['2026-06-01', 'due-soon'],
    ['2026-06-08', 'due-soon'],
    ['2026-06-09', 'later'],
  ];
  for (const [dueOn, status] of cases) {
    it(`due ${dueOn} → ${status}`, () => {
      assert.equal(dateStatus(d(dueOn), today, 7), status);
    });
  }
});
