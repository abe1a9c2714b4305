import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { addDays, type PlainDate } from './calendar-date.ts';
import { refillPlanWithChanges } from './refill-arithmetic.ts';
import {
  alarmDateFromHistory,
  pausesSinceFill,
  residualFromHistory,
  sameEveryDay,
  type ProgrammedSegment,
  type StoppedSpan,
} from './residual-history.ts';

/**
 * The software's expected residual with the pump stopped with its drug inside (paused for an
 * MRI scan or surgery, not emptied), and which pauses since a fill count (residual-history.test.ts
 * holds the residual without stops).
 */

const d = (s: string) => s as PlainDate;
function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${String(actual)}, expected ${String(expected)}`);
}

// 6 January 2025 is a Monday.
const FILL = d('2025-01-06');

const rateArb = fc.integer({ min: 1, max: 200 }).map((h) => h / 100); // 0.01–2 mL/day
const segmentsArb = fc
  .array(
    fc.record({
      offset: fc.integer({ min: 0, max: 120 }),
      rates: fc.array(rateArb, { minLength: 7, maxLength: 7 }),
      bolus: fc.integer({ min: 0, max: 50 }).map((h) => h / 100),
    }),
    { minLength: 1, maxLength: 5 },
  )
  .map((xs) =>
    xs
      .map((x, i) => ({ ...x, offset: i === 0 ? 0 : x.offset }))
      .sort((a, b) => a.offset - b.offset)
      .map((x): ProgrammedSegment => ({
        from: addDays(FILL, x.offset),
        continuousMlByWeekday: x.rates,
        bolusMlPerDay: x.bolus,
      })),
  );
const fillArb = fc.integer({ min: 10, max: 400 }).map((t) => t / 10);
const stop = (from: string, until: string): StoppedSpan => ({ from: d(from), until: d(until) });

describe('the expected residual with the pump stopped: worked examples', () => {
  const cases: {
    name: string;
    dailyMl: number;
    on: string;
    segments?: ProgrammedSegment[];
    stopped: StoppedSpan[];
    continuousMl: number;
    stoppedDays: number;
    ranDryOn: string | null;
  }[] = [
    {
      // Stopped on 16 January (day 10), restarted on the 17th: one day with no delivery.
      // 60 days to 7 March, 59 charged: 59 × 0.3 = 17.7 → 20 − 17.7 = 2.3 mL (2.0 without the stop).
      name: 'a one-day MRI stop: 2.3 mL left after 60 days at 0.3 mL/day, not 2.0',
      dailyMl: 0.3,
      on: '2025-03-07',
      stopped: [stop('2025-01-16', '2025-01-17')],
      continuousMl: 2.3,
      stoppedDays: 1,
      ranDryOn: null,
    },
    {
      // 0.5 mL/day with 3 days stopped (16, 17 and 18 January, days 10–12). 20 ÷ 0.5 = 40 running
      // days: days 0–9 (10) and 13–42 (30) → empty as day 43 begins, 18 February (15 February
      // without the stop). 57 of the 60 days charged: 57 × 0.5 = 28.5 → 8.5 mL short.
      name: 'a pump that ran dry around a three-day stop: dry on 18 February, 3 days later',
      dailyMl: 0.5,
      on: '2025-03-07',
      stopped: [stop('2025-01-16', '2025-01-19')],
      continuousMl: -8.5,
      stoppedDays: 3,
      ranDryOn: '2025-02-18',
    },
    {
      // Still stopped at the refill: paused on 25 February (day 50), refilled 7 March (day 60).
      // Days 0–49 charged: 50 × 0.3 = 15 → 5.0 mL.
      name: 'a stop still open at the refill counts up to the refill day',
      dailyMl: 0.3,
      on: '2025-03-07',
      stopped: [stop('2025-02-25', '2025-03-07')],
      continuousMl: 5,
      stoppedDays: 10,
      ranDryOn: null,
    },
    {
      // Stopped 16 to 21 January (days 10–14); a rise to 0.6 programmed on the 18th, while stopped.
      // Days 0–9 at 0.3 = 3.0; days 10–14 nothing; days 15–24 at 0.6 = 6.0 → 20 − 9 = 11.0 mL on
      // 31 January (day 25).
      name: 'a change programmed while stopped runs from the restart',
      dailyMl: 0.3,
      on: '2025-01-31',
      segments: [sameEveryDay(FILL, 0.3), sameEveryDay(d('2025-01-18'), 0.6)],
      stopped: [stop('2025-01-16', '2025-01-21')],
      continuousMl: 11,
      stoppedDays: 5,
      ranDryOn: null,
    },
    {
      // Overlapping stops, 16–21 and 18–26 January: days 10–19 once, 10 days. Refilled 5 February
      // (day 30): 20 charged × 0.3 = 6.0 → 14.0 mL.
      name: 'overlapping stops count each day once',
      dailyMl: 0.3,
      on: '2025-02-05',
      stopped: [stop('2025-01-16', '2025-01-21'), stop('2025-01-18', '2025-01-26')],
      continuousMl: 14,
      stoppedDays: 10,
      ranDryOn: null,
    },
    {
      // A stop from 20 December to 8 January covers only the fill's days 0 and 1 (6 and 7
      // January); one after the refill none. Refilled 16 January (day 10): 8 × 0.3 = 2.4 → 17.6 mL.
      name: 'only the stopped days between the fill and the refill count',
      dailyMl: 0.3,
      on: '2025-01-16',
      stopped: [stop('2024-12-20', '2025-01-08'), stop('2025-01-20', '2025-01-25')],
      continuousMl: 17.6,
      stoppedDays: 2,
      ranDryOn: null,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const h = residualFromHistory({
        fillMl: 20,
        filledOn: FILL,
        on: d(c.on),
        segments: c.segments ?? [sameEveryDay(FILL, c.dailyMl)],
        stopped: c.stopped,
      });
      close(h.continuousMl, c.continuousMl, 'continuous');
      assert.equal(h.stoppedDays, c.stoppedDays);
      assert.equal(h.ranDryOn, c.ranDryOn);
    });
  }

  it('the alarm date is put off by each day stopped before it', () => {
    const input = { fillMl: 20, filledOn: FILL, alarmMl: 2, segments: [sameEveryDay(FILL, 0.3)] };
    // (20 − 2) ÷ 0.3 = 60 days → 7 March, as the plan dates it.
    assert.equal(alarmDateFromHistory({ ...input, stopped: [] }), '2025-03-07');
    // One day stopped on 16 January: 61 days → 8 March.
    assert.equal(
      alarmDateFromHistory({ ...input, stopped: [stop('2025-01-16', '2025-01-17')] }),
      '2025-03-08',
    );
    // Ten days stopped from 25 February (day 50, with 20 − 15 = 5 mL left): the 3 mL above the
    // alarm last 10 more running days, days 60–69 → 17 March.
    assert.equal(
      alarmDateFromHistory({ ...input, stopped: [stop('2025-02-25', '2025-03-07')] }),
      '2025-03-17',
    );
    // No alarm below the fill, or a programme that delivers nothing: no date.
    assert.equal(alarmDateFromHistory({ ...input, alarmMl: 20, stopped: [] }), null);
  });
});

describe('which pauses since the fill count, and how (pausesSinceFill)', () => {
  const ON = d('2025-03-07');
  const pause = (pausedOn: string, resumedOn: string | null, emptied: boolean) => ({
    pausedOn: d(pausedOn),
    resumedOn: resumedOn === null ? null : d(resumedOn),
    emptied,
  });
  const cases: [string, ReturnType<typeof pause>[], string | null, StoppedSpan[]][] = [
    ['no pause', [], null, []],
    [
      'a one-day MRI stop: stopped one day, not emptied',
      [pause('2025-01-16', '2025-01-17', false)],
      null,
      [stop('2025-01-16', '2025-01-17')],
    ],
    [
      'emptied after the fill: the fill ended there',
      [pause('2025-01-16', '2025-01-17', true)],
      '2025-01-16',
      [stop('2025-01-16', '2025-01-17')],
    ],
    // Emptied for a scan and refilled after it the same day: the new fill starts full.
    [
      'emptied on the fill day: taken as before the fill, stopped until the resume',
      [pause('2025-01-06', '2025-01-08', true)],
      null,
      [stop('2025-01-06', '2025-01-08')],
    ],
    ['emptied on the refill day, before the refill', [pause('2025-03-07', null, true)], '2025-03-07', []],
    ['paused and resumed before the fill', [pause('2024-12-01', '2024-12-05', true)], null, []],
    // Refilled during a pause that had emptied it: that fill never ran before the refill.
    [
      'a pause open since before the fill stops it from the fill day to the refill',
      [pause('2025-01-01', null, true)],
      null,
      [stop('2025-01-06', '2025-03-07')],
    ],
    [
      'still stopped at the refill',
      [pause('2025-02-25', null, false)],
      null,
      [stop('2025-02-25', '2025-03-07')],
    ],
    [
      'two pauses: the first emptying one ends the fill',
      [pause('2025-02-20', '2025-02-21', true), pause('2025-01-16', '2025-01-17', false)],
      '2025-02-20',
      [stop('2025-01-16', '2025-01-17'), stop('2025-02-20', '2025-02-21')],
    ],
  ];
  for (const [name, pauses, emptiedOn, stopped] of cases) {
    it(name, () => {
      const r = pausesSinceFill(pauses, FILL, ON);
      assert.equal(r.emptiedOn, emptiedOn);
      assert.deepEqual(r.stopped, stopped);
    });
  }
});

const stopsArb = fc.array(
  fc.record({ from: fc.integer({ min: -10, max: 200 }), days: fc.integer({ min: 0, max: 30 }) }),
  { maxLength: 3 },
);
const toStops = (xs: readonly { from: number; days: number }[]): StoppedSpan[] =>
  xs.map((x) => ({ from: addDays(FILL, x.from), until: addDays(FILL, x.from + x.days) }));

describe('the expected residual with the pump stopped: properties', () => {
  it('a stop never lowers the expected residual, nor brings the day it ran dry earlier', () => {
    fc.assert(
      fc.property(
        fillArb,
        segmentsArb,
        fc.integer({ min: 0, max: 200 }),
        stopsArb,
        (fillMl, segments, days, xs) => {
          const on = addDays(FILL, days);
          const without = residualFromHistory({ fillMl, filledOn: FILL, on, segments });
          const withStops = residualFromHistory({
            fillMl,
            filledOn: FILL,
            on,
            segments,
            stopped: toStops(xs),
          });
          assert.ok(withStops.continuousMl >= without.continuousMl - 1e-9);
          assert.ok(withStops.withBolusesMl >= without.withBolusesMl - 1e-9);
          if (withStops.ranDryOn !== null) {
            assert.ok(without.ranDryOn !== null && withStops.ranDryOn >= without.ranDryOn);
          }
          if (withStops.ranDryWithBolusesOn !== null) {
            assert.ok(
              without.ranDryWithBolusesOn !== null &&
                withStops.ranDryWithBolusesOn >= without.ranDryWithBolusesOn,
            );
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('stopped every day from the fill to the refill, the whole fill is left', () => {
    fc.assert(
      fc.property(fillArb, segmentsArb, fc.integer({ min: 0, max: 200 }), (fillMl, segments, days) => {
        const on = addDays(FILL, days);
        const h = residualFromHistory({
          fillMl,
          filledOn: FILL,
          on,
          segments,
          stopped: [{ from: FILL, until: on }],
        });
        assert.equal(h.continuousMl, fillMl);
        assert.equal(h.withBolusesMl, fillMl);
        assert.equal(h.stoppedDays, days);
        assert.equal(h.ranDryOn, null);
      }),
      { numRuns: 300 },
    );
  });

  it('at a constant rate, k days stopped before it ran dry put the day k later', () => {
    fc.assert(
      fc.property(
        fillArb,
        rateArb,
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 1, max: 30 }),
        (fillMl, rate, at, k) => {
          // Whole days in fill ÷ rate, counted in hundredths so binary fractions do not blur it.
          const whole = Math.floor(Math.round(fillMl * 100) / Math.round(rate * 100) + 1e-9);
          const from = whole === 0 ? 0 : at % whole;
          fc.pre(whole > 0 && from < whole);
          const on = addDays(FILL, whole + k + 5);
          const segments = [sameEveryDay(FILL, rate)];
          const without = residualFromHistory({ fillMl, filledOn: FILL, on, segments });
          const stopped = [{ from: addDays(FILL, from), until: addDays(FILL, from + k) }];
          const withStop = residualFromHistory({ fillMl, filledOn: FILL, on, segments, stopped });
          assert.equal(without.ranDryOn, addDays(FILL, whole));
          assert.equal(withStop.ranDryOn, addDays(FILL, whole + k));
          close(withStop.continuousMl, without.continuousMl + k * rate, 'k days less charged');
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('with nothing stopped the alarm date is the plan’s; a stop never brings it earlier', () => {
    fc.assert(
      fc.property(
        fillArb,
        segmentsArb,
        fc.integer({ min: 1, max: 90 }),
        stopsArb,
        (fillMl, segments, alarmPct, xs) => {
          const alarmMl = Math.round(fillMl * alarmPct) / 100;
          fc.pre(alarmMl < fillMl);
          const input = { fillMl, filledOn: FILL, alarmMl, segments };
          const plan = refillPlanWithChanges({
            ...input,
            segments: segments.map((s) => ({
              from: s.from,
              dailyVolumeMl: Math.max(...s.continuousMlByWeekday) + s.bolusMlPerDay,
            })),
            bufferDays: 0,
            maxIntervalDays: 366,
          });
          const none = alarmDateFromHistory({ ...input, stopped: [] });
          assert.equal(none, plan.alarmDate);
          const later = alarmDateFromHistory({ ...input, stopped: toStops(xs) });
          assert.ok(later !== null && later >= none);
        },
      ),
      { numRuns: 500 },
    );
  });
});
