import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { addDays, type PlainDate } from './calendar-date.ts';
import {
  dailyCharges,
  residualFromHistory,
  sameEveryDay,
  type ProgrammedSegment,
} from './residual-history.ts';

const d = (s: string) => s as PlainDate;
function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${String(actual)}, expected ${String(expected)}`);
}

// 6 January 2025 is a Monday.
const FILL = d('2025-01-06');

describe('the software’s expected residual through a programme history: worked examples', () => {
  const cases: {
    name: string;
    fillMl: number;
    on: string;
    segments: ProgrammedSegment[];
    continuousMl: number;
    withBolusesMl: number;
    ranDryOn: string | null;
    ranDryWithBolusesOn: string | null;
  }[] = [
    {
      // 60 days × 0.5 mL = 30 mL from a 20 mL fill: 10 mL short. 20 ÷ 0.5 = 40 days → 15 February.
      name: 'worked example: 20 mL at 0.5 mL/day for 60 days ran dry on 2025-02-15',
      fillMl: 20,
      on: '2025-03-07',
      segments: [sameEveryDay(FILL, 0.5)],
      continuousMl: -10,
      withBolusesMl: -10,
      ranDryOn: '2025-02-15',
      ranDryWithBolusesOn: '2025-02-15',
    },
    {
      // 40 days × 0.5 = 20 mL: exactly empty as 15 February begins: ran dry that day.
      name: 'exactly empty on the refill day counts as run dry that day',
      fillMl: 20,
      on: '2025-02-15',
      segments: [sameEveryDay(FILL, 0.5)],
      continuousMl: 0,
      withBolusesMl: 0,
      ranDryOn: '2025-02-15',
      ranDryWithBolusesOn: '2025-02-15',
    },
    {
      // 39 days × 0.5 = 19.5 mL: 0.5 mL left on 14 February.
      name: 'a day earlier 0.5 mL is left: not dry',
      fillMl: 20,
      on: '2025-02-14',
      segments: [sameEveryDay(FILL, 0.5)],
      continuousMl: 0.5,
      withBolusesMl: 0.5,
      ranDryOn: null,
      ranDryWithBolusesOn: null,
    },
    {
      // 20 ÷ 0.3 = 66.67 days: empties during day 66 (13 March); on 13 March 0.2 mL is still left
      // as the day begins (66 × 0.3 = 19.8), so a refill that day came before it ran dry.
      name: '0.3 mL/day: 0.2 mL left as day 66 begins; dry on 13 March when refilled on 14 March',
      fillMl: 20,
      on: '2025-03-14',
      segments: [sameEveryDay(FILL, 0.3)],
      continuousMl: -0.1, // 67 × 0.3 = 20.1
      withBolusesMl: -0.1,
      ranDryOn: '2025-03-13',
      ranDryWithBolusesOn: '2025-03-13',
    },
    {
      // Programmed on day 10 (16 January), confirmed on day 12: counted from day 10.
      // Days 0–9: 10 × 0.3 = 3.0; day 10, the change day, the larger rate: 0.6;
      // days 11–29: 19 × 0.6 = 11.4. 3.0 + 0.6 + 11.4 = 15.0 → 20 − 15 = 5.0 mL on 5 February.
      // (Counted from day 12 it would be 12 × 0.3 + 0.6 + 17 × 0.6 = 14.4 → 5.6 mL.)
      name: 'a dose change programmed on day 10 counts from day 10: 5.0 mL left after 30 days',
      fillMl: 20,
      on: '2025-02-05',
      segments: [sameEveryDay(FILL, 0.3), sameEveryDay(d('2025-01-16'), 0.6)],
      continuousMl: 5,
      withBolusesMl: 5,
      ranDryOn: null,
      ranDryWithBolusesOn: null,
    },
    {
      // A cut from 0.5 to 0.2 on day 2: days 0 and 1 at 0.5, day 2 at the larger 0.5, days 3–9
      // at 0.2: 1.5 + 1.4 = 2.9 → 17.1 mL on day 10.
      name: 'a cut is charged the higher rate on its day',
      fillMl: 20,
      on: '2025-01-16',
      segments: [sameEveryDay(FILL, 0.5), sameEveryDay(d('2025-01-08'), 0.2)],
      continuousMl: 17.1,
      withBolusesMl: 17.1,
      ranDryOn: null,
      ranDryWithBolusesOn: null,
    },
    {
      // Continuous 0.3 mL/day, boluses up to 0.1 mL/day. 55 days: 16.5 mL continuous, 3.5 left;
      // with every bolus 0.4 × 55 = 22 mL, 2 mL short; 20 ÷ 0.4 = 50 days → 25 February.
      name: 'only the bolus allowance empties it: dry with boluses on 25 February',
      fillMl: 20,
      on: '2025-03-02',
      segments: [sameEveryDay(FILL, 0.3, 0.1)],
      continuousMl: 3.5,
      withBolusesMl: -2,
      ranDryOn: null,
      ranDryWithBolusesOn: '2025-02-25',
    },
    {
      // Flex by weekday: 0.3 mL Monday to Friday, 0.5 mL at the weekend. A week from Monday:
      // 5 × 0.3 + 2 × 0.5 = 2.5 mL → 17.5 mL.
      name: 'a flex programme charges each weekday its own volume',
      fillMl: 20,
      on: '2025-01-13',
      segments: [
        { from: FILL, continuousMlByWeekday: [0.3, 0.3, 0.3, 0.3, 0.3, 0.5, 0.5], bolusMlPerDay: 0 },
      ],
      continuousMl: 17.5,
      withBolusesMl: 17.5,
      ranDryOn: null,
      ranDryWithBolusesOn: null,
    },
    {
      // The fill's own programme runs from the fill day even when dated earlier, as does a change
      // dated before the fill: 4 days at the later 0.4 → 18.4 mL.
      name: 'programmes dated before the fill count from the fill day, the last one set running',
      fillMl: 20,
      on: '2025-01-10',
      segments: [sameEveryDay(d('2024-12-01'), 0.2), sameEveryDay(d('2025-01-02'), 0.4)],
      continuousMl: 18.4,
      withBolusesMl: 18.4,
      ranDryOn: null,
      ranDryWithBolusesOn: null,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const h = residualFromHistory({ fillMl: c.fillMl, filledOn: FILL, on: d(c.on), segments: c.segments });
      close(h.continuousMl, c.continuousMl, 'continuous');
      close(h.withBolusesMl, c.withBolusesMl, 'with boluses');
      assert.equal(h.ranDryOn, c.ranDryOn);
      assert.equal(h.ranDryWithBolusesOn, c.ranDryWithBolusesOn);
    });
  }

  it('charges nothing on the fill day itself and before it', () => {
    const h = residualFromHistory({
      fillMl: 20,
      filledOn: FILL,
      on: FILL,
      segments: [sameEveryDay(FILL, 0.3)],
    });
    assert.equal(h.elapsedDays, 0);
    assert.equal(h.continuousMl, 20);
    const before = residualFromHistory({
      fillMl: 20,
      filledOn: FILL,
      on: d('2025-01-01'),
      segments: [sameEveryDay(FILL, 0.3)],
    });
    assert.equal(before.continuousMl, 20);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------
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

describe('the software’s expected residual: properties', () => {
  it('more days never leave more in the reservoir', () => {
    fc.assert(
      fc.property(
        fillArb,
        segmentsArb,
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 0, max: 60 }),
        (fillMl, segments, days, more) => {
          const a = residualFromHistory({ fillMl, filledOn: FILL, on: addDays(FILL, days), segments });
          const b = residualFromHistory({ fillMl, filledOn: FILL, on: addDays(FILL, days + more), segments });
          assert.ok(b.continuousMl <= a.continuousMl + 1e-9);
          assert.ok(b.withBolusesMl <= a.withBolusesMl + 1e-9);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a higher dose never leaves more in the reservoir', () => {
    fc.assert(
      fc.property(
        fillArb,
        segmentsArb,
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 100, max: 400 }),
        (fillMl, segments, days, pct) => {
          const higher = segments.map((s) => ({
            ...s,
            continuousMlByWeekday: s.continuousMlByWeekday.map((r) => (r * pct) / 100),
            bolusMlPerDay: (s.bolusMlPerDay * pct) / 100,
          }));
          const on = addDays(FILL, days);
          const a = residualFromHistory({ fillMl, filledOn: FILL, on, segments });
          const b = residualFromHistory({ fillMl, filledOn: FILL, on, segments: higher });
          assert.ok(b.continuousMl <= a.continuousMl + 1e-9);
          assert.ok(b.withBolusesMl <= a.withBolusesMl + 1e-9);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a programme change on day d changes nothing before day d', () => {
    fc.assert(
      fc.property(
        fillArb,
        segmentsArb,
        fc.integer({ min: 1, max: 150 }),
        fc.array(rateArb, { minLength: 7, maxLength: 7 }),
        fc.integer({ min: 0, max: 150 }),
        (fillMl, segments, changeDay, rates, days) => {
          const on = addDays(FILL, Math.min(days, changeDay));
          const change: ProgrammedSegment = {
            from: addDays(FILL, changeDay),
            continuousMlByWeekday: rates,
            bolusMlPerDay: 0.2,
          };
          const without = residualFromHistory({ fillMl, filledOn: FILL, on, segments });
          const withChange = residualFromHistory({
            fillMl,
            filledOn: FILL,
            on,
            segments: [...segments, change],
          });
          assert.equal(withChange.continuousMl, without.continuousMl);
          assert.equal(withChange.withBolusesMl, without.withBolusesMl);
          assert.equal(withChange.ranDryOn, without.ranDryOn);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('boluses never leave more; a constant rate gives fill − days × rate and dries on fill + ⌊fill ÷ rate⌋', () => {
    fc.assert(
      fc.property(fillArb, rateArb, fc.integer({ min: 0, max: 400 }), (fillMl, rate, days) => {
        const on = addDays(FILL, days);
        const h = residualFromHistory({
          fillMl,
          filledOn: FILL,
          on,
          segments: [sameEveryDay(FILL, rate, 0.05)],
        });
        assert.ok(h.withBolusesMl <= h.continuousMl);
        const c = residualFromHistory({ fillMl, filledOn: FILL, on, segments: [sameEveryDay(FILL, rate)] });
        close(c.continuousMl, fillMl - days * rate, 'conserved');
        const dry = fillMl - days * rate <= 1e-9;
        assert.equal(c.ranDryOn !== null, dry);
        if (c.ranDryOn !== null) {
          // Whole days in fill ÷ rate, counted in hundredths so binary fractions do not blur it.
          const whole = Math.floor(Math.round(fillMl * 100) / Math.round(rate * 100) + 1e-9);
          assert.equal(c.ranDryOn, addDays(FILL, whole));
          assert.ok(c.ranDryOn <= on);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('charges each day one of the programmes’ own rates, one charge a day', () => {
    fc.assert(
      fc.property(segmentsArb, fc.integer({ min: 1, max: 200 }), (segments, days) => {
        const charges = dailyCharges(FILL, days, segments, (s) => s.continuousMlByWeekday[0] ?? 0);
        assert.equal(charges.length, days);
        for (const c of charges) {
          assert.ok(segments.some((s) => s.continuousMlByWeekday[0] === c));
        }
      }),
      { numRuns: 300 },
    );
  });
});
