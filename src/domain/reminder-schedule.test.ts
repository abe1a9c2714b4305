import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { PlainDate } from './calendar-date.ts';
import {
  dueSlot,
  reminderDateText,
  reminderPersonalisation,
  reminderSlots,
  stillTimely,
} from './reminder-schedule.ts';

const POLICY = { daysBefore: [7, 1], sendTime: '09:00', timeZone: 'Europe/London' };
const d = (s: string) => s as PlainDate;

describe('reminder windows (REMINDER_DAYS_BEFORE 7 and 1, sent from 09:00 local)', () => {
  const table: { onDate: string; expected: [number, string, string, string][]; why: string }[] = [
    {
      why: 'winter (GMT): 09:00 local is 09:00 UTC',
      onDate: '2026-12-15',
      expected: [
        [7, '2026-12-08', '2026-12-08T09:00:00.000Z', '2026-12-14T09:00:00.000Z'],
        [1, '2026-12-14', '2026-12-14T09:00:00.000Z', '2026-12-15T00:00:00.000Z'],
      ],
    },
    {
      why: 'summer (BST): 09:00 local is 08:00 UTC and the day starts at 23:00 UTC the evening before',
      onDate: '2026-07-15',
      expected: [
        [7, '2026-07-08', '2026-07-08T08:00:00.000Z', '2026-07-14T08:00:00.000Z'],
        [1, '2026-07-14', '2026-07-14T08:00:00.000Z', '2026-07-14T23:00:00.000Z'],
      ],
    },
    {
      why: 'the clocks go forward (29 March 2026) between the two reminders',
      onDate: '2026-04-01',
      expected: [
        [7, '2026-03-25', '2026-03-25T09:00:00.000Z', '2026-03-31T08:00:00.000Z'],
        [1, '2026-03-31', '2026-03-31T08:00:00.000Z', '2026-03-31T23:00:00.000Z'],
      ],
    },
    {
      why: 'the clocks go back (25 October 2026) between the two reminders',
      onDate: '2026-10-27',
      expected: [
        [7, '2026-10-20', '2026-10-20T08:00:00.000Z', '2026-10-26T09:00:00.000Z'],
        [1, '2026-10-26', '2026-10-26T09:00:00.000Z', '2026-10-27T00:00:00.000Z'],
      ],
    },
    {
      why: 'an appointment on 1 March: the 1-day reminder goes on 28 February',
      onDate: '2027-03-01',
      expected: [
        [7, '2027-02-22', '2027-02-22T09:00:00.000Z', '2027-02-28T09:00:00.000Z'],
        [1, '2027-02-28', '2027-02-28T09:00:00.000Z', '2027-03-01T00:00:00.000Z'],
      ],
    },
  ];
  for (const row of table) {
    it(`${row.onDate}: ${row.why}`, () => {
      const slots = reminderSlots(d(row.onDate), POLICY);
      assert.deepEqual(
        slots.map((s) => [s.daysBefore, s.sendOn, s.sendFrom, s.sendUntil]),
        row.expected,
      );
    });
  }

  it('a reminder day whose send time is skipped by the clocks opens an hour later', () => {
    const slots = reminderSlots(d('2026-03-30'), { ...POLICY, daysBefore: [1], sendTime: '01:30' });
    assert.equal(slots[0]?.sendFrom, '2026-03-29T01:30:00.000Z'); // 02:30 BST
  });

  it('ignores repeated and non-positive days and orders furthest first', () => {
    const slots = reminderSlots(d('2026-12-15'), { ...POLICY, daysBefore: [1, 7, 1, 0, -2] });
    assert.deepEqual(
      slots.map((s) => s.daysBefore),
      [7, 1],
    );
  });
});

describe('which reminder is due', () => {
  const on = d('2026-12-15');
  const table: [string, number | null, string][] = [
    ['2026-12-08T08:59:59.000Z', null, 'before the first window opens'],
    ['2026-12-08T09:00:00.000Z', 7, 'the moment the 7-day window opens'],
    ['2026-12-12T16:00:00.000Z', 7, 'an appointment booked 3 days ahead still gets a first reminder'],
    ['2026-12-14T08:59:59.000Z', 7, 'the last moment of the 7-day window'],
    ['2026-12-14T09:00:00.000Z', 1, 'the 1-day window opens and the 7-day one closes'],
    ['2026-12-14T23:59:59.000Z', 1, 'late on the day before'],
    ['2026-12-15T00:00:00.000Z', null, 'on the appointment day: nothing is sent'],
    ['2026-12-20T10:00:00.000Z', null, 'after the appointment'],
  ];
  for (const [now, expected, why] of table) {
    it(`${now}: ${why}`, () => {
      assert.equal(dueSlot(on, POLICY, now)?.daysBefore ?? null, expected);
    });
  }

  it('a queued reminder is timely only before the appointment day starts (BST)', () => {
    assert.equal(stillTimely(d('2026-07-15'), POLICY, '2026-07-14T22:59:59.000Z'), true);
    assert.equal(stillTimely(d('2026-07-15'), POLICY, '2026-07-14T23:00:00.000Z'), false);
  });

  it('at most one window is open at any instant, and windows never reach the appointment day', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3000 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 24 * 60 - 1 }),
        (dayOffset, days, minuteOfDay) => {
          const base = Date.UTC(2025, 0, 1) + dayOffset * 86_400_000;
          const onDate = new Date(base).toISOString().slice(0, 10) as PlainDate;
          const policy = { ...POLICY, daysBefore: days, sendTime: '09:00' };
          const slots = reminderSlots(onDate, policy);
          const now = new Date(base - 10 * 86_400_000 + minuteOfDay * 60_000 * 15).toISOString();
          const open = slots.filter((s) => s.sendFrom <= now && now < s.sendUntil);
          assert.ok(open.length <= 1);
          for (const s of slots) {
            assert.ok(s.sendFrom <= s.sendUntil);
            assert.ok(stillTimely(onDate, policy, new Date(Date.parse(s.sendUntil) - 1).toISOString()));
          }
        },
      ),
    );
  });
});

describe('what a reminder carries', () => {
  it('the first name, the day in words, the place and the phone: nothing clinical', () => {
    assert.deepEqual(
      reminderPersonalisation({
        givenName: ' Mary Anne ',
        onDate: d('2026-12-15'),
        timeText: 'at the time in your appointment letter',
        place: 'Neuro Rehab Unit, Leeds',
        servicePhone: '0113 000 0000',
      }),
      {
        first_name: 'Mary',
        appointment_date: 'Tuesday 15 December 2026',
        appointment_time: 'at the time in your appointment letter',
        place: 'Neuro Rehab Unit, Leeds',
        service_phone: '0113 000 0000',
      },
    );
    assert.equal(reminderDateText(d('2027-02-28')), 'Sunday 28 February 2027');
  });
});
