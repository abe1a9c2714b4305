import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { addDays, type PlainDate } from './calendar-date.ts';
import { segmentsWithStops } from './plan-stops.ts';
import { refillPlanWithChanges } from './refill-arithmetic.ts';

const d = (s: string) => s as PlainDate;
const FILL = d('2026-11-10');
const plan = (segments: ReturnType<typeof segmentsWithStops>) =>
  refillPlanWithChanges({
    fillMl: 20,
    filledOn: FILL,
    alarmMl: 2,
    segments,
    bufferDays: 7,
    maxIntervalDays: 180,
  });

describe('a fill’s plan with the days the pump stood stopped', () => {
  it('with no stop, the plan is the fill’s own', () => {
    // (20 − 2) ÷ 0.3 = 60 days → 10 November + 60 = 9 January; due 7 days before, 2 January.
    const p = plan(segmentsWithStops([{ from: FILL, dailyVolumeMl: 0.3 }], []));
    assert.equal(p.alarmDate, '2027-01-09');
    assert.equal(p.refillDueBy, '2027-01-02');
  });

  it('stopped from 20 to 27 November: the alarm moves 6 days later (the pause day and the restart day count)', () => {
    // 10–20 Nov: 11 days (the pause day charged in full) × 0.3 = 3.3 mL; 21–26 Nov: nothing;
    // 27 Nov on: 0.3 mL/day. 18 − 3.3 = 14.7 mL above the alarm → 14.7 ÷ 0.3 = 49 days from 27 Nov
    // → day 17 + 49 = 66 days after the fill → 15 January; due 8 January.
    const p = plan(
      segmentsWithStops(
        [{ from: FILL, dailyVolumeMl: 0.3 }],
        [{ from: d('2026-11-20'), until: d('2026-11-27') }],
      ),
    );
    assert.equal(p.alarmDate, '2027-01-15');
    assert.equal(p.refillDueBy, '2027-01-08');
  });

  it('a change programmed while stopped runs from the restart', () => {
    const s = segmentsWithStops(
      [
        { from: FILL, dailyVolumeMl: 0.3 },
        { from: d('2026-11-22'), dailyVolumeMl: 0.36 },
      ],
      [{ from: d('2026-11-20'), until: d('2026-11-27') }],
    );
    assert.deepEqual(s, [
      { from: FILL, dailyVolumeMl: 0.3 },
      { from: d('2026-11-20'), dailyVolumeMl: 0 },
      { from: d('2026-11-27'), dailyVolumeMl: 0.36 },
    ]);
  });

  it('property: a stop never brings the alarm date earlier, nor later by more than its length', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 60 }).map((x) => x / 100),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 20 }),
        (rate, startAfter, length) => {
          const base = plan(segmentsWithStops([{ from: FILL, dailyVolumeMl: rate }], []));
          const from = addDays(FILL, startAfter);
          const stopped = plan(
            segmentsWithStops(
              [{ from: FILL, dailyVolumeMl: rate }],
              [{ from, until: addDays(from, length) }],
            ),
          );
          assert.ok(stopped.alarmDate >= base.alarmDate);
          assert.ok(stopped.alarmDate <= addDays(base.alarmDate, length));
        },
      ),
    );
  });
});
