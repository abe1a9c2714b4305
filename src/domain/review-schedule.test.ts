import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { addDays, type PlainDate } from './calendar-date.ts';
import { DEFAULT_PUMP_RULES, parseReviewOffsets, type ReviewScheduleRules } from './pump-rules.ts';
import { nextReviewDue, reviewLabel, reviewStanding, scheduledReview } from './review-schedule.ts';

const d = (s: string) => s as PlainDate;
const rules = DEFAULT_PUMP_RULES.reviewSchedule;

describe('review schedule after implant (default 2 w, 6 w, 3 m, 6 m, 12 m, then yearly)', () => {
  const fromJan31: [number, string, string][] = [
    [0, '2 weeks', '2026-02-14'],
    [1, '6 weeks', '2026-03-14'],
    [2, '3 months (30 April: April has no 31st)', '2026-04-30'],
    [3, '6 months', '2026-07-31'],
    [4, '12 months', '2027-01-31'],
    [5, 'yearly: 24 months', '2028-01-31'],
    [6, 'yearly: 36 months', '2029-01-31'],
    [7, 'yearly: 48 months', '2030-01-31'],
  ];
  for (const [index, name, expected] of fromJan31) {
    it(`implanted 2026-01-31, review ${index} (${name}) → ${expected}`, () => {
      assert.equal(scheduledReview(rules, d('2026-01-31'), index), expected);
    });
  }

  it('counts every yearly review from the implant, so a 29 February implant does not drift to the 28th', () => {
    const dates = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => scheduledReview(rules, d('2024-02-29'), i));
    assert.deepEqual(dates, [
      '2024-03-14',
      '2024-04-11',
      '2024-05-29',
      '2024-08-29',
      '2025-02-28',
      '2026-02-28',
      '2027-02-28',
      '2028-02-29',
    ]);
  });

  it('a 3-month review from 30 November crosses the year end: 28 February', () => {
    assert.equal(scheduledReview(rules, d('2026-11-30'), 2), '2027-02-28');
  });

  it('the reviews come in date order', () => {
    const dateArb = fc.integer({ min: 0, max: 365 * 30 }).map((n) => addDays(d('2010-01-01'), n));
    fc.assert(
      fc.property(dateArb, (implantedOn) => {
        let previous = implantedOn;
        for (let i = 0; i < 12; i += 1) {
          const next = scheduledReview(rules, implantedOn, i);
          assert.ok(next > previous, `review ${i} on ${next} is not after ${previous}`);
          previous = next;
        }
      }),
    );
  });
});

describe('next review due after n reviews held', () => {
  const cases: [number, string][] = [
    [0, '2026-02-14'],
    [1, '2026-03-14'],
    [2, '2026-04-30'],
    [3, '2026-07-31'],
    [4, '2027-01-31'],
    [5, '2028-01-31'],
    [9, '2032-01-31'],
  ];
  for (const [held, dueOn] of cases) {
    it(`${held} held → ${dueOn}`, () => {
      assert.deepEqual(nextReviewDue(rules, d('2026-01-31'), held), { dueOn, index: held });
    });
  }

  it('a missed review stays due: holding none still points at the 2-week review years later', () => {
    assert.equal(nextReviewDue(rules, d('2020-01-31'), 0).dueOn, '2020-02-14');
  });
});

describe('other schedules from configuration', () => {
  it('weeks-only offsets, then every 6 months from the last one', () => {
    const custom: ReviewScheduleRules = {
      offsets: [
        { amount: 2, unit: 'w' },
        { amount: 6, unit: 'w' },
      ],
      thenEveryMonths: 6,
    };
    const implanted = d('2026-01-31');
    assert.equal(scheduledReview(custom, implanted, 0), '2026-02-14');
    assert.equal(scheduledReview(custom, implanted, 1), '2026-03-14');
    assert.equal(scheduledReview(custom, implanted, 2), '2026-09-14');
    assert.equal(scheduledReview(custom, implanted, 3), '2027-03-14');
  });

  it('no offsets at all: every n months from the implant', () => {
    const custom: ReviewScheduleRules = { offsets: [], thenEveryMonths: 12 };
    assert.equal(scheduledReview(custom, d('2026-01-31'), 0), '2027-01-31');
    assert.equal(scheduledReview(custom, d('2026-01-31'), 1), '2028-01-31');
  });
});

describe('review labels', () => {
  it('names the template items and the reviews after them', () => {
    assert.equal(reviewLabel(rules, 0), '2 weeks review');
    assert.equal(reviewLabel(rules, 2), '3 months review');
    assert.equal(reviewLabel(rules, 5), 'Review 6 (every 12 months)');
    assert.equal(
      reviewLabel({ offsets: [{ amount: 1, unit: 'm' }], thenEveryMonths: 12 }, 0),
      '1 month review',
    );
  });
});

describe('parseReviewOffsets (the REVIEW_SCHEDULE setting)', () => {
  it('reads the default', () => {
    assert.deepEqual(parseReviewOffsets('2w,6w,3m,6m,12m'), rules.offsets);
  });

  it('allows spaces and a stray comma', () => {
    assert.deepEqual(parseReviewOffsets(' 2w , 6w,, 3m ,'), [
      { amount: 2, unit: 'w' },
      { amount: 6, unit: 'w' },
      { amount: 3, unit: 'm' },
    ]);
  });

  const bad = ['', ' , ', '2', 'w', '2d', '2 w', '0w', '1000m', '-2w', '2.5m', '2w;6w', '2W'];
  for (const text of bad) {
    it(`refuses "${text}"`, () => {
      assert.equal(parseReviewOffsets(text), null);
    });
  }
});

describe('the next review and how long it is overdue (implanted 31 January 2026)', () => {
  const cases: [number, string, string, number, number][] = [
    // held, today, due on, days left, days overdue
    [0, '2026-02-01', '2026-02-14', 13, 0],
    [0, '2026-02-14', '2026-02-14', 0, 0],
    [0, '2026-02-15', '2026-02-14', -1, 1],
    [0, '2026-02-26', '2026-02-14', -12, 12],
    [1, '2026-02-26', '2026-03-14', 16, 0],
    [2, '2026-06-13', '2026-04-30', -44, 44],
    [5, '2028-03-01', '2028-01-31', -30, 30],
  ];
  for (const [held, today, dueOn, daysLeft, daysOverdue] of cases) {
    it(`${String(held)} held, on ${today}: due ${dueOn}, ${String(daysOverdue)} days overdue`, () => {
      const s = reviewStanding(rules, d('2026-01-31'), held, d(today));
      assert.equal(s.dueOn, dueOn);
      assert.equal(s.daysLeft, daysLeft);
      assert.equal(s.daysOverdue, daysOverdue);
      assert.equal(s.label, reviewLabel(rules, held));
    });
  }
});
