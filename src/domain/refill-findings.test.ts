import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { addDays, type PlainDate } from './calendar-date.ts';
import { DEFAULT_PUMP_RULES } from './pump-rules.ts';
import {
  needsWithdrawalCheck,
  refillFindings,
  type CompletedFill,
  type RefillFindingsInput,
} from './refill-findings.ts';
import { sameEveryDay } from './residual-history.ts';

const d = (s: string) => s as PlainDate;
const rules = DEFAULT_PUMP_RULES.discrepancy;
const FILL = d('2025-01-06');

/** A 20 mL pump filled to 20 mL on 6 January 2025 at a constant daily volume. */
function fillAt(dailyMl: number, alarmMl: number | null = null, bolusMl = 0): RefillFindingsInput['fill'] {
  return { fillMl: 20, filledOn: FILL, alarmMl, segments: [sameEveryDay(FILL, dailyMl, bolusMl)] };
}

const codes = (input: RefillFindingsInput) => refillFindings(input, rules).flags.map((f) => f.code);

describe('refill findings: worked examples', () => {
  const cases: { name: string; input: RefillFindingsInput; flags: string[]; ranDryOn: string | null }[] = [
    {
      // `itb calc residual --fill-ml 20 --filled-on 2025-01-06 --daily-volume-ml 0.5 --on 2025-03-07
      // --withdrawn-ml 0 --reservoir-ml 20`: 20 ÷ 0.5 = 40 days → 2025-01-06 + 40 = 2025-02-15.
      name: 'itb calc residual’s example: ran dry on 2025-02-15, whatever was withdrawn',
      input: {
        on: d('2025-03-07'),
        reservoirMl: 20,
        withdrawnMl: 0,
        programmerExpectedMl: null,
        fill: fillAt(0.5),
      },
      flags: ['RAN_DRY'],
      ranDryOn: '2025-02-15',
    },
    {
      // The same with 3 mL drawn back: still ran dry; 3 mL against the 0 mL expected is a
      // discrepancy of its own (more than 1 mL).
      name: 'a volume withdrawn never clears RAN_DRY',
      input: {
        on: d('2025-03-07'),
        reservoirMl: 20,
        withdrawnMl: 3,
        programmerExpectedMl: null,
        fill: fillAt(0.5),
      },
      flags: ['RAN_DRY', 'RESIDUAL_DISCREPANCY'],
      ranDryOn: '2025-02-15',
    },
    {
      // (20 − 2) ÷ 0.3 = 60 days → alarm 2025-03-07; refilled that day: 20 − 18 = 2 mL left, not dry.
      name: '20 mL at 0.3 mL/day, alarm 2 mL: refilled on the alarm date 2025-03-07 is AFTER_ALARM',
      input: {
        on: d('2025-03-07'),
        reservoirMl: 20,
        withdrawnMl: 2,
        programmerExpectedMl: 2,
        fill: fillAt(0.3, 2),
      },
      flags: ['AFTER_ALARM'],
      ranDryOn: null,
    },
    {
      // A day before the alarm date: 59 × 0.3 = 17.7 → 2.3 mL expected and withdrawn.
      name: 'a day before the alarm date is not flagged',
      input: {
        on: d('2025-03-06'),
        reservoirMl: 20,
        withdrawnMl: 2.3,
        programmerExpectedMl: 2.3,
        fill: fillAt(0.3, 2),
      },
      flags: [],
      ranDryOn: null,
    },
    {
      // Worked example 11: 6.0 expected, 4.2 withdrawn: −1.8 mL (more than 1 mL) and −30 % (more than 20 %).
      // The software agrees: 20 mL at 0.25 mL/day for 56 days = 6.0 mL.
      name: 'worked example 11: 1.8 mL and 30 % short, flagged by mL and by %',
      input: {
        on: d('2025-03-03'),
        reservoirMl: 20,
        withdrawnMl: 4.2,
        programmerExpectedMl: 6,
        fill: fillAt(0.25),
      },
      flags: ['RESIDUAL_DISCREPANCY'],
      ranDryOn: null,
    },
    {
      // 2.0 expected, 1.5 withdrawn: 0.5 mL is within 1 mL, but 0.5 ÷ 2.0 = 25 % is more than 20 %.
      // Software: 20 mL at 0.5 mL/day for 36 days = 18 mL → 2.0 mL.
      name: 'flagged by % only: 0.5 mL short of 2.0 mL is 25 %',
      input: {
        on: d('2025-02-11'),
        reservoirMl: 20,
        withdrawnMl: 1.5,
        programmerExpectedMl: 2,
        fill: fillAt(0.5),
      },
      flags: ['RESIDUAL_DISCREPANCY'],
      ranDryOn: null,
    },
    {
      // 15.0 expected, 13.5 withdrawn: 1.5 mL is more than 1 mL; 1.5 ÷ 15 = 10 % is within 20 %.
      // Software: 20 mL at 0.25 mL/day for 20 days = 5 mL → 15.0 mL.
      name: 'flagged by mL only: 1.5 mL short of 15 mL is 10 %',
      input: {
        on: d('2025-01-26'),
        reservoirMl: 20,
        withdrawnMl: 13.5,
        programmerExpectedMl: 15,
        fill: fillAt(0.25),
      },
      flags: ['RESIDUAL_DISCREPANCY'],
      ranDryOn: null,
    },
    {
      // Software: 6.0 mL (as example 11). Typed 9.0: 3 mL off, more than the 1 mL threshold.
      // Withdrawn 9.0 agrees with the figure typed, so no discrepancy.
      name: 'a typed expected residual 3 mL off the software’s is a mismatch',
      input: {
        on: d('2025-03-03'),
        reservoirMl: 20,
        withdrawnMl: 9,
        programmerExpectedMl: 9,
        fill: fillAt(0.25),
      },
      flags: ['EXPECTED_RESIDUAL_MISMATCH'],
      ranDryOn: null,
    },
    {
      // Typed 6.9 against the software's 6.0: 0.9 mL, within 1 mL.
      name: 'a typed figure within 1 mL of the software’s is not a mismatch',
      input: {
        on: d('2025-03-03'),
        reservoirMl: 20,
        withdrawnMl: 6.9,
        programmerExpectedMl: 6.9,
        fill: fillAt(0.25),
      },
      flags: [],
      ranDryOn: null,
    },
    {
      // 70 days at 0.25 mL/day from 20 mL: 20 − 17.5 = 2.5 mL. Typed 3.1: 0.6 mL off, within the
      // 1 mL threshold but 0.6 ÷ 2.5 = 24 % of the software's figure, more than 20 %.
      name: 'a typed figure 0.6 mL off the software’s 2.5 mL (24 %) is a mismatch by percentage',
      input: {
        on: d('2025-03-17'),
        reservoirMl: 20,
        withdrawnMl: 3.1,
        programmerExpectedMl: 3.1,
        fill: fillAt(0.25),
      },
      flags: ['EXPECTED_RESIDUAL_MISMATCH'],
      ranDryOn: null,
    },
    {
      // 40 days at 0.3 mL/day continuous, plus up to 0.1 mL of boluses a day: 20 − 12 = 8 mL with
      // no bolus taken, 20 − 16 = 4 mL with every one. Typed 5.0 (some boluses taken) lies between:
      // consistent with the programme, not a data-entry slip, though 3 mL below the continuous figure.
      name: 'a typed figure between the software’s with and without every bolus is not a mismatch',
      input: {
        on: d('2025-02-15'),
        reservoirMl: 20,
        withdrawnMl: 5,
        programmerExpectedMl: 5,
        fill: fillAt(0.3, null, 0.1),
      },
      flags: [],
      ranDryOn: null,
    },
    {
      // Continuous 0.3 mL + boluses 0.1 mL a day for 55 days: 3.5 mL left without boluses, but
      // 0.4 × 55 = 22 mL with every bolus; 20 ÷ 0.4 = 50 days → 25 February. Typed 3.5, withdrawn 3.5.
      name: 'only every permitted bolus would empty it: RAN_DRY, may have, on 25 February',
      input: {
        on: d('2025-03-02'),
        reservoirMl: 20,
        withdrawnMl: 3.5,
        programmerExpectedMl: 3.5,
        fill: fillAt(0.3, null, 0.1),
      },
      flags: ['RAN_DRY'],
      ranDryOn: '2025-02-25',
    },
    {
      // The programmer shows 0 mL left while the software expects 6.0: RAN_DRY with no date, and
      // the 6 mL difference is a mismatch too.
      name: 'a programmer showing 0 mL when the software expected more: RAN_DRY, date not known',
      input: {
        on: d('2025-03-03'),
        reservoirMl: 20,
        withdrawnMl: 0,
        programmerExpectedMl: 0,
        fill: fillAt(0.25),
      },
      flags: ['RAN_DRY', 'EXPECTED_RESIDUAL_MISMATCH'],
      ranDryOn: null,
    },
    {
      // The first refill after implant: no fill recorded, so only the discrepancy rule applies.
      name: 'no fill recorded: only the discrepancy is checked',
      input: { on: d('2025-03-03'), reservoirMl: 20, withdrawnMl: 4.5, programmerExpectedMl: 6, fill: null },
      flags: ['RESIDUAL_DISCREPANCY'],
      ranDryOn: null,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const f = refillFindings(c.input, rules);
      assert.deepEqual(
        f.flags.map((x) => x.code),
        c.flags,
      );
      assert.equal(f.ranDryOn, c.ranDryOn);
      assert.equal(f.flagged, c.flags.length > 0);
    });
  }

  it('the ran-dry example reports the volume physically left as 0, and the day in the message', () => {
    const f = refillFindings(cases[0]!.input, rules);
    assert.equal(f.softwareExpectedMl, 0);
    assert.equal(f.check.expectedMl, 0);
    assert.match(f.flags[0]?.message ?? '', /ran dry on 15 February 2025/);
    assert.match(f.flags[0]?.message ?? '', /needed 10 mL more than was filled/);
    assert.match(f.flags[0]?.message ?? '', /signs of baclofen withdrawal/);
    assert.ok(needsWithdrawalCheck(f.flags));
  });

  it('says which rule a discrepancy breaks', () => {
    const both = refillFindings(cases[4]!.input, rules).flags[0]?.message ?? '';
    assert.match(both, /-1\.8 mL \(-30%\), more than 1 mL and more than 20% of the expected volume/);
    const percentOnly = refillFindings(cases[5]!.input, rules).flags[0]?.message ?? '';
    assert.match(percentOnly, /-0\.5 mL \(-25%\), more than 20% of the expected volume/);
    assert.doesNotMatch(percentOnly, /more than 1 mL/);
    const mlOnly = refillFindings(cases[6]!.input, rules).flags[0]?.message ?? '';
    assert.match(mlOnly, /-1\.5 mL \(-10%\), more than 1 mL\./);
  });

  it('the bolus-only case says it may have run dry if every permitted bolus was taken', () => {
    const bolusOnly = cases.find((c) => c.name.startsWith('only every permitted bolus'));
    const f = refillFindings(bolusOnly!.input, rules);
    assert.match(
      f.flags[0]?.message ?? '',
      /may have run dry on 25 February 2025 if every permitted bolus was taken/,
    );
    assert.equal(f.softwareExpectedMl, 3.5);
    assert.equal(f.softwareExpectedWithBolusesMl, 0);
  });

  it('gives the alarm date of the fill and the software’s figure', () => {
    const f = refillFindings(cases[2]!.input, rules);
    assert.equal(f.alarmOn, '2025-03-07');
    assert.equal(f.softwareExpectedMl, 2);
    assert.equal(needsWithdrawalCheck(f.flags), true);
    assert.equal(needsWithdrawalCheck(refillFindings(cases[4]!.input, rules).flags), false);
  });

  it('a dose change programmed on day 10 and confirmed on day 12 is counted from day 10', () => {
    // 0.3 mL/day, then 0.6 mL/day programmed on 16 January (day 10); refill on 5 February (day 30):
    // 10 × 0.3 + 0.6 (change day) + 19 × 0.6 = 15.0 → 5.0 mL. Typed 5.0: no mismatch.
    const fill = {
      fillMl: 20,
      filledOn: FILL,
      alarmMl: 2,
      segments: [sameEveryDay(FILL, 0.3), sameEveryDay(d('2025-01-16'), 0.6)],
    };
    const f = refillFindings(
      { on: d('2025-02-05'), reservoirMl: 20, withdrawnMl: 5, programmerExpectedMl: 5, fill },
      rules,
    );
    assert.equal(f.softwareExpectedMl, 5);
    assert.deepEqual(
      f.flags.map((x) => x.code),
      [],
    );
    // The alarm: 10 days at 0.3 (3 mL) leave 17; the change day at 0.6 leaves 16.4; then
    // (16.4 − 2) ÷ 0.6 = 24 days → day 35, 10 February.
    assert.equal(f.alarmOn, '2025-02-10');
  });
});

describe('refill findings: a pump stopped with its drug inside (paused, not emptied)', () => {
  /** 20 mL at 0.3 mL/day, alarm 2 mL, filled 6 January 2025, stopped from `from` up to `until`. */
  const stoppedFill = (from: string, until: string): RefillFindingsInput['fill'] => ({
    ...(fillAt(0.3, 2) as CompletedFill),
    stopped: [{ from: d(from), until: d(until) }],
  });

  it('a one-day MRI stop, refilled 60 days after the fill with the programmer showing 0: RAN_DRY', () => {
    // Stopped 16 January, restarted the 17th: 59 of the 60 days charged, 59 × 0.3 = 17.7 →
    // 2.3 mL expected. The programmer's 0 says the pump's own count reached empty: RAN_DRY, no
    // date; 2.3 mL apart is more than 1 mL: a mismatch too. The alarm moves a day, to 8 March,
    // so 7 March is not after it.
    const f = refillFindings(
      {
        on: d('2025-03-07'),
        reservoirMl: 20,
        withdrawnMl: 0,
        programmerExpectedMl: 0,
        fill: stoppedFill('2025-01-16', '2025-01-17'),
      },
      rules,
    );
    assert.deepEqual(
      f.flags.map((x) => x.code),
      ['RAN_DRY', 'EXPECTED_RESIDUAL_MISMATCH'],
    );
    assert.equal(f.softwareExpectedMl, 2.3);
    assert.equal(f.ranDryOn, null);
    assert.equal(f.alarmOn, '2025-03-08');
    assert.match(f.flags[1]?.message ?? '', /with no delivery on the 1 day the pump was stopped/);
  });

  it('ten days stopped: refilled on the plan’s alarm date, the pump is 10 days from its own', () => {
    // Stopped 26 January to 5 February (days 20–29): 50 of 60 days charged, 50 × 0.3 = 15 →
    // 5.0 mL left, as typed and withdrawn. The alarm, (20 − 2) ÷ 0.3 = 60 running days, falls
    // on day 70, 17 March. Without the stop: 2.0 mL expected and refilled on the alarm date.
    const input: RefillFindingsInput = {
      on: d('2025-03-07'),
      reservoirMl: 20,
      withdrawnMl: 5,
      programmerExpectedMl: 5,
      fill: stoppedFill('2025-01-26', '2025-02-05'),
    };
    const f = refillFindings(input, rules);
    assert.deepEqual(f.flags, []);
    assert.equal(f.softwareExpectedMl, 5);
    assert.equal(f.alarmOn, '2025-03-17');
    assert.deepEqual(codes({ ...input, fill: fillAt(0.3, 2) }), [
      'AFTER_ALARM',
      'EXPECTED_RESIDUAL_MISMATCH',
    ]);
  });

  it('a stopped pump that still ran dry is flagged with the day, 3 days later than without the stop', () => {
    // 0.5 mL/day, stopped 16–19 January: dry on 18 February (residual-history.test.ts), whatever
    // was withdrawn.
    const f = refillFindings(
      {
        on: d('2025-03-07'),
        reservoirMl: 20,
        withdrawnMl: 4,
        programmerExpectedMl: null,
        fill: {
          ...(fillAt(0.5) as CompletedFill),
          stopped: [{ from: d('2025-01-16'), until: d('2025-01-19') }],
        },
      },
      rules,
    );
    assert.equal(f.flags[0]?.code, 'RAN_DRY');
    assert.equal(f.ranDryOn, '2025-02-18');
  });
});

describe('refill findings: properties', () => {
  it('RAN_DRY whenever the continuous programme empties the fill by the refill, whatever was withdrawn', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 0, max: 2000 }),
        (rateHundredths, days, withdrawnHundredths) => {
          const input: RefillFindingsInput = {
            on: addDays(FILL, days),
            reservoirMl: 20,
            withdrawnMl: withdrawnHundredths / 100,
            programmerExpectedMl: null,
            fill: fillAt(rateHundredths / 100),
          };
          const dry = 2000 - days * rateHundredths <= 0;
          assert.equal(codes(input).includes('RAN_DRY'), dry);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
