import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { addDays, type PlainDate } from '../../domain/calendar-date.ts';
import { DEFAULT_PUMP_RULES, type PumpRules, type ReviewOffset } from '../../domain/pump-rules.ts';
import { nextReviewDue } from '../../domain/review-schedule.ts';
import { reviewsBefore } from './caseload-rows.ts';

/** The plain way: count the reviews one by one until one falls on or after today. */
function reviewsBeforeOneByOne(rules: PumpRules, implantedOn: PlainDate, today: PlainDate): number {
  let n = 0;
  while (n < 500 && nextReviewDue(rules.reviewSchedule, implantedOn, n).dueOn < today) {
    n += 1;
  }
  return n;
}

test('reviewsBefore: worked examples with the default schedule (2w, 6w, 3m, 6m, 12m, then yearly)', () => {
  const cases: [PlainDate, PlainDate, number][] = [
    ['2026-12-01' as PlainDate, '2026-12-01' as PlainDate, 0],
    ['2026-11-01' as PlainDate, '2026-12-01' as PlainDate, 1],
    ['2025-12-01' as PlainDate, '2026-12-01' as PlainDate, 4],
    ['2025-12-01' as PlainDate, '2026-12-02' as PlainDate, 5],
    ['2016-12-01' as PlainDate, '2026-12-01' as PlainDate, 13],
  ];
  for (const [implantedOn, today, expected] of cases) {
    assert.equal(
      reviewsBefore(DEFAULT_PUMP_RULES, implantedOn, today),
      expected,
      `${implantedOn} → ${today}`,
    );
    assert.equal(reviewsBeforeOneByOne(DEFAULT_PUMP_RULES, implantedOn, today), expected);
  }
});

test('reviewsBefore counts what counting one by one counts, for any schedule and dates', () => {
  const offset = fc.record({
    amount: fc.integer({ min: 1, max: 30 }),
    unit: fc.constantFrom<ReviewOffset['unit']>('w', 'm'),
  });
  fc.assert(
    fc.property(
      fc.array(offset, { maxLength: 6 }),
      fc.integer({ min: 0, max: 24 }),
      fc.integer({ min: 0, max: 40_000 }),
      fc.integer({ min: 0, max: 40_000 }),
      (offsets, thenEveryMonths, implantDay, importDay) => {
        const rules: PumpRules = {
          ...DEFAULT_PUMP_RULES,
          reviewSchedule: { offsets, thenEveryMonths },
        };
        const implantedOn = addDays('1950-01-01' as PlainDate, implantDay);
        const today = addDays('1950-01-01' as PlainDate, importDay);
        assert.equal(
          reviewsBefore(rules, implantedOn, today),
          reviewsBeforeOneByOne(rules, implantedOn, today),
        );
      },
    ),
    { numRuns: 300 },
  );
});
