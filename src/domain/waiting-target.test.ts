import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { addDays, type PlainDate } from './calendar-date.ts';
import {
  assessWait,
  compareByRisk,
  DEFAULT_WAITING_RULES,
  targetDateFor,
  targetDaysFor,
  WAIT_STATUSES,
  waitStatusText,
  type AppointmentFact,
  type WaitStatus,
} from './waiting-target.ts';

const d = (s: string) => s as PlainDate;
const rules = DEFAULT_WAITING_RULES;

describe('target date: 42 calendar days from the date received', () => {
  const cases: [string, string, string][] = [
    ['ordinary', '2026-03-02', '2026-04-13'],
    ['across the spring clock change (29 March 2026)', '2026-03-20', '2026-05-01'],
    ['across the autumn clock change (25 October 2026)', '2026-10-20', '2026-12-01'],
    ['from a month end', '2026-01-31', '2026-03-14'],
    ['into a leap day', '2028-01-18', '2028-02-29'],
    ['from a leap day', '2028-02-29', '2028-04-11'],
    ['across a non-leap February', '2027-02-01', '2027-03-15'],
    ['across the year end', '2026-12-15', '2027-01-26'],
    ['from 31 December', '2026-12-31', '2027-02-11'],
  ];
  for (const [name, received, target] of cases) {
    it(`${name}: ${received} → ${target}`, () => {
      assert.equal(targetDateFor(d(received), 42), target);
    });
  }

  it('takes the number of days from configuration', () => {
    assert.equal(targetDateFor(d('2026-03-02'), 28), '2026-03-30');
    assert.equal(targetDateFor(d('2026-03-02'), 0), '2026-03-02');
  });
});

describe('waiting status (received 2026-03-02, target 2026-04-13, due soon at 7 days left)', () => {
  const received = d('2026-03-02');
  const booked = (date: string): AppointmentFact => ({ date: d(date), state: 'booked' });
  const cancelled = (date: string): AppointmentFact => ({ date: d(date), state: 'cancelled' });
  const attended = (date: string): AppointmentFact => ({ date: d(date), state: 'attended' });
  const cases: {
    name: string;
    today: string;
    appointments: AppointmentFact[];
    status: WaitStatus;
    daysLeft: number;
    daysWaited: number;
    outcomeOverdue?: boolean;
  }[] = [
    {
      name: 'new, not booked',
      today: '2026-03-02',
      appointments: [],
      status: 'not-booked',
      daysLeft: 42,
      daysWaited: 0,
    },
    {
      name: '8 days left',
      today: '2026-04-05',
      appointments: [],
      status: 'not-booked',
      daysLeft: 8,
      daysWaited: 34,
    },
    {
      name: 'exactly 7 days left',
      today: '2026-04-06',
      appointments: [],
      status: 'due-soon',
      daysLeft: 7,
      daysWaited: 35,
    },
    {
      name: 'target day itself',
      today: '2026-04-13',
      appointments: [],
      status: 'due-soon',
      daysLeft: 0,
      daysWaited: 42,
    },
    {
      name: 'day after target',
      today: '2026-04-14',
      appointments: [],
      status: 'breached',
      daysLeft: -1,
      daysWaited: 43,
    },
    {
      name: 'booked on the target day',
      today: '2026-03-10',
      appointments: [booked('2026-04-13')],
      status: 'booked-within-target',
      daysLeft: 34,
      daysWaited: 8,
    },
    {
      name: 'booked the day after the target',
      today: '2026-03-10',
      appointments: [booked('2026-04-14')],
      status: 'will-breach',
      daysLeft: 34,
      daysWaited: 8,
    },
    {
      name: 'booked after the target, target passed',
      today: '2026-04-14',
      appointments: [booked('2026-04-20')],
      status: 'breached',
      daysLeft: -1,
      daysWaited: 43,
    },
    {
      name: 'cancelled booking counts as not booked',
      today: '2026-04-10',
      appointments: [cancelled('2026-04-08')],
      status: 'due-soon',
      daysLeft: 3,
      daysWaited: 39,
    },
    {
      name: 'rebooked after a cancellation',
      today: '2026-04-10',
      appointments: [cancelled('2026-04-08'), booked('2026-04-12')],
      status: 'booked-within-target',
      daysLeft: 3,
      daysWaited: 39,
    },
    {
      name: 'booked within target, date passed, no outcome yet',
      today: '2026-04-20',
      appointments: [booked('2026-04-01')],
      status: 'booked-within-target',
      daysLeft: -7,
      daysWaited: 49,
      outcomeOverdue: true,
    },
    {
      name: 'seen on the target day',
      today: '2026-05-01',
      appointments: [attended('2026-04-13')],
      status: 'seen-within-target',
      daysLeft: -18,
      daysWaited: 42,
    },
    {
      name: 'seen late',
      today: '2026-05-01',
      appointments: [cancelled('2026-04-01'), attended('2026-04-20')],
      status: 'seen-after-target',
      daysLeft: -18,
      daysWaited: 49,
    },
  ];
  for (const c of cases) {
    it(`${c.name} → ${c.status}`, () => {
      const a = assessWait(
        {
          priority: 'routine',
          receivedOn: received,
          acceptedOn: d('2026-03-05'),
          appointments: c.appointments,
        },
        d(c.today),
        rules,
      );
      assert.equal(a.status, c.status);
      assert.equal(a.targetDate, '2026-04-13');
      assert.equal(a.daysLeft, c.daysLeft);
      assert.equal(a.daysWaited, c.daysWaited);
      assert.equal(a.outcomeOverdue, c.outcomeOverdue ?? false);
    });
  }

  it('starts the clock at acceptance when configured so', () => {
    const a = assessWait(
      { priority: 'routine', receivedOn: received, acceptedOn: d('2026-03-05'), appointments: [] },
      d('2026-04-14'),
      { ...rules, clockStart: 'accepted' },
    );
    assert.equal(a.clockStartOn, '2026-03-05');
    assert.equal(a.targetDate, '2026-04-16');
    assert.equal(a.status, 'due-soon');
  });

  it('uses the configured due-soon window', () => {
    const a = assessWait(
      { priority: 'routine', receivedOn: received, acceptedOn: received, appointments: [] },
      d('2026-04-01'),
      {
        ...rules,
        dueSoonDays: 14,
      },
    );
    assert.equal(a.status, 'due-soon');
  });

  it('measures an urgent referral against its own, shorter target', () => {
    // Received 2 March 2026: urgent is due by 16 March (14 days), routine by 13 April (42).
    const facts = { receivedOn: received, acceptedOn: d('2026-03-05'), appointments: [] };
    const urgent = assessWait({ ...facts, priority: 'urgent' }, d('2026-03-20'), rules);
    assert.equal(urgent.targetDays, 14);
    assert.equal(urgent.targetDate, '2026-03-16');
    assert.equal(urgent.status, 'breached', 'four days past the urgent target');
    const routine = assessWait({ ...facts, priority: 'routine' }, d('2026-03-20'), rules);
    assert.equal(routine.targetDate, '2026-04-13');
    assert.equal(routine.status, 'not-booked');
    // A referral accepted before priorities were recorded keeps the routine target.
    assert.equal(assessWait({ ...facts, priority: null }, d('2026-03-20'), rules).targetDate, '2026-04-13');
    // Booked for 1 April: within the routine target, past the urgent one.
    const booked = { ...facts, appointments: [{ date: d('2026-04-01'), state: 'booked' as const }] };
    assert.equal(assessWait({ ...booked, priority: 'urgent' }, d('2026-03-06'), rules).status, 'will-breach');
    assert.equal(
      assessWait({ ...booked, priority: 'routine' }, d('2026-03-06'), rules).status,
      'booked-within-target',
    );
  });

  it('takes the urgent target from the setting, and the clock start as for routine', () => {
    const a = assessWait(
      { priority: 'urgent', receivedOn: received, acceptedOn: d('2026-03-05'), appointments: [] },
      d('2026-03-06'),
      { ...rules, urgentTargetDays: 10, clockStart: 'accepted' },
    );
    assert.deepEqual([a.clockStartOn, a.targetDate, a.daysLeft], ['2026-03-05', '2026-03-15', 9]);
    assert.equal(targetDaysFor('urgent', rules), 14);
    assert.equal(targetDaysFor('routine', rules), 42);
    assert.equal(targetDaysFor(null, rules), 42);
  });

  it('says how many days are left in words', () => {
    assert.equal(waitStatusText({ status: 'not-booked', daysLeft: 12 }), 'Not booked – 12 days left');
    assert.equal(waitStatusText({ status: 'due-soon', daysLeft: 1 }), 'Due soon – 1 day left');
    assert.equal(waitStatusText({ status: 'breached', daysLeft: -3 }), 'Breached');
  });
});

const dateArb = fc
  .date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
  .map((x) => x.toISOString().slice(0, 10) as PlainDate);
const factsArb = fc.record({
  urgent: fc.boolean(),
  receivedOn: dateArb,
  acceptOffset: fc.integer({ min: 0, max: 30 }),
  appointments: fc.array(
    fc.record({
      offset: fc.integer({ min: 0, max: 120 }),
      state: fc.constantFrom('booked' as const, 'cancelled' as const, 'attended' as const),
    }),
    { maxLength: 4 },
  ),
});

describe('waiting status properties', () => {
  it('never goes from breached back to within target as the days pass', () => {
    fc.assert(
      fc.property(
        factsArb,
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 1, max: 100 }),
        (f, start, step) => {
          const facts = {
            priority: f.urgent ? ('urgent' as const) : ('routine' as const),
            receivedOn: f.receivedOn,
            acceptedOn: addDays(f.receivedOn, f.acceptOffset),
            appointments: f.appointments.map((a) => ({
              date: addDays(f.receivedOn, a.offset),
              state: a.state,
            })),
          };
          const before = assessWait(facts, addDays(f.receivedOn, start), rules);
          const after = assessWait(facts, addDays(f.receivedOn, start + step), rules);
          if (before.status === 'breached' || before.status === 'seen-after-target') {
            assert.ok(
              after.status === 'breached' || after.status === 'seen-after-target',
              `${before.status} became ${after.status}`,
            );
          }
          // Risk only grows with time while nothing else changes.
          assert.ok(WAIT_STATUSES.indexOf(after.status) <= WAIT_STATUSES.indexOf(before.status));
        },
      ),
    );
  });

  it('is breached once the target has passed with nobody seen and nothing booked by the target', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 43, max: 400 }), (received, waited) => {
        const a = assessWait(
          { priority: 'routine', receivedOn: received, acceptedOn: received, appointments: [] },
          addDays(received, waited),
          rules,
        );
        assert.equal(a.status, 'breached');
        assert.equal(a.daysWaited, waited);
        assert.equal(a.daysLeft, 42 - waited);
      }),
    );
  });
});

describe('risk order', () => {
  it('puts breaches first, then urgent before routine, then the fewest days left', () => {
    const make = (
      status: WaitStatus,
      priority: 'routine' | 'urgent',
      daysLeft: number,
      receivedOn = '2026-01-01',
    ) => ({
      assessment: {
        ...assessWait(
          { priority: 'routine', receivedOn: d(receivedOn), acceptedOn: d(receivedOn), appointments: [] },
          d(receivedOn),
          rules,
        ),
        status,
        daysLeft,
      },
      priority,
      receivedOn: d(receivedOn),
    });
    const items = [
      make('booked-within-target', 'urgent', 20),
      make('not-booked', 'routine', 30),
      make('not-booked', 'routine', 10),
      make('due-soon', 'routine', 3),
      make('not-booked', 'urgent', 30),
      make('breached', 'routine', -5),
      make('will-breach', 'routine', 12),
    ];
    const sorted = [...items]
      .sort(compareByRisk)
      .map((i) => `${i.assessment.status}/${i.priority}/${i.assessment.daysLeft}`);
    assert.deepEqual(sorted, [
      'breached/routine/-5',
      'will-breach/routine/12',
      'due-soon/routine/3',
      'not-booked/urgent/30',
      'not-booked/routine/10',
      'not-booked/routine/30',
      'booked-within-target/urgent/20',
    ]);
  });
});
