import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { ClinicalWarning } from './clinical-warning.ts';
import type { BolusSettings, DoseProgramme, FlexSchedule, FlexStep } from './dose-programme.ts';
import { programmeErrors } from './dose-programme.ts';
import { programmeWarnings } from './programme-limits.ts';
import { DEFAULT_PUMP_RULES } from './pump-rules.ts';

const rules = DEFAULT_PUMP_RULES;
const ALL_DAYS = [1, 2, 3, 4, 5, 6, 7];
const step = (start: string, end: string, rateMcgPerHour: number): FlexStep => ({
  start,
  end,
  rateMcgPerHour,
});
const simple = (doseMcgPerDay: number, bolus: BolusSettings | null = null): DoseProgramme => ({
  mode: 'simple',
  doseMcgPerDay,
  schedules: [],
  bolus,
});
const flex = (schedules: FlexSchedule[], bolus: BolusSettings | null = null): DoseProgramme => ({
  mode: 'flex',
  doseMcgPerDay: null,
  schedules,
  bolus,
});
const bolus = (doseMcg: number, maxPerDay = 3, lockoutMinutes = 120): BolusSettings => ({
  doseMcg,
  maxPerDay,
  lockoutMinutes,
});
const codes = (p: DoseProgramme) => {
  assert.deepEqual(programmeErrors(p, rules.hardLimits), [], 'inside the hard limits');
  return programmeWarnings(p, rules).map((w) => w.code);
};

describe('programme limits: at each limit and just over it', () => {
  const table: [name: string, programme: DoseProgramme, expected: string[]][] = [
    // Bolus share of the continuous daily dose, usual at most 10 %.
    ['bolus 40 of 400 mcg/day: 10 %, at the limit', simple(400, bolus(40)), []],
    ['bolus 40.1 of 400 mcg/day: 10.03 %', simple(400, bolus(40.1)), ['BOLUS_LARGE_SHARE']],
    [
      'bolus 25 of 250 mcg/day: 10 % (25 ÷ 250 × 100 is 10.000000000000002 in binary)',
      simple(250, bolus(25)),
      [],
    ],
    // Boluses a day, usually at most 6.
    ['6 boluses a day', simple(400, bolus(10, 6)), []],
    ['7 boluses a day', simple(400, bolus(10, 7)), ['BOLUSES_PER_DAY_HIGH']],
    // Lock-out, usually at least 60 minutes.
    ['a 60-minute lock-out', simple(400, bolus(10, 3, 60)), []],
    ['a 59-minute lock-out', simple(400, bolus(10, 3, 59)), ['LOCKOUT_SHORT']],
    // Flex step share of the day, usually at most 25 %: four 6-hour steps at 10 mcg/h give 60 of 240 each.
    [
      'four 6-hour steps at the same rate: 25 % each',
      flex([
        {
          weekdays: ALL_DAYS,
          steps: [
            step('00:00', '06:00', 10),
            step('06:00', '12:00', 10),
            step('12:00', '18:00', 10),
            step('18:00', '24:00', 10),
          ],
        },
      ]),
      [],
    ],
    [
      'the first step at 10.1 mcg/h: 60.6 of 240.6 mcg, 25.19 %',
      flex([
        {
          weekdays: ALL_DAYS,
          steps: [
            step('00:00', '06:00', 10.1),
            step('06:00', '12:00', 10),
            step('12:00', '18:00', 10),
            step('18:00', '24:00', 10),
          ],
        },
      ]),
      ['FLEX_STEP_LARGE_SHARE'],
    ],
    // A step at or below the day's mean rate (the day's dose ÷ 24 h) cannot bunch the dose,
    // however much of the day it carries.
    [
      'a flat day split in two: 22:00-24:00 and 00:00-22:00 at 10 mcg/h, 220 of 240 mcg (91.67 %) at the mean 10 mcg/h',
      flex([{ weekdays: ALL_DAYS, steps: [step('22:00', '24:00', 10), step('00:00', '22:00', 10)] }]),
      [],
    ],
    [
      // 3 × 24 = 72 and 21 × 8 = 168: 240 mcg, mean 240 ÷ 24 = 10 mcg/h. 72 ÷ 240 = 30 % at 24 mcg/h
      // warns; 168 ÷ 240 = 70 % at 8 mcg/h, below the mean, does not.
      'a short step at a high rate: 00:00-03:00 at 24 mcg/h gives 72 of 240 mcg, 30 %',
      flex([{ weekdays: ALL_DAYS, steps: [step('00:00', '03:00', 24), step('03:00', '24:00', 8)] }]),
      ['FLEX_STEP_LARGE_SHARE'],
    ],
    // A whole-day step is the continuous rate itself: 00:00-24:00 at 12.5 = 300 mcg.
    [
      'one step 00:00-24:00 at 12.5 mcg/h',
      flex([{ weekdays: ALL_DAYS, steps: [step('00:00', '24:00', 12.5)] }]),
      [],
    ],
  ];
  for (const [name, programme, expected] of table) {
    it(`${name}: ${expected.length === 0 ? 'no warning' : expected.join(', ')}`, () => {
      assert.deepEqual(codes(programme), expected);
    });
  }

  it('names each field and gives the figures', () => {
    const warnings = programmeWarnings(simple(200, bolus(25, 8, 30)), rules);
    assert.deepEqual(
      warnings.map((w) => [w.code, w.field]),
      [
        ['BOLUS_LARGE_SHARE', 'bolus.doseMcg'],
        ['BOLUSES_PER_DAY_HIGH', 'bolus.maxPerDay'],
        ['LOCKOUT_SHORT', 'bolus.lockoutMinutes'],
      ],
    );
    // 25 ÷ 200 = 12.5 %.
    assert.equal(
      warnings[0]?.message,
      'A bolus of 25 mcg is 12.5% of the continuous daily dose of 200 mcg, more than the usual 10%',
    );
    assert.equal(warnings[1]?.message, 'Up to 8 boluses a day is more than the usual 6');
    assert.equal(
      warnings[2]?.message,
      'A lock-out of 30 minutes between boluses is shorter than the usual 60 minutes',
    );
  });

  it('worked example 15 is accepted with a reason: the night step carries 160 of 320 mcg, 50 %', () => {
    const example15 = flex([
      { weekdays: ALL_DAYS, steps: [step('22:00', '06:00', 20), step('06:00', '22:00', 10)] },
    ]);
    const [w, ...rest] = programmeWarnings(example15, rules) as [ClinicalWarning, ...ClinicalWarning[]];
    assert.deepEqual(rest, []);
    assert.equal(w.code, 'FLEX_STEP_LARGE_SHARE');
    assert.equal(w.field, 'schedules.0.steps');
    // 8 h × 20 = 160 and 16 h × 10 = 160 mcg: each half of the day's 320. The mean rate is
    // 320 ÷ 24 = 13.33 mcg/h: the night step at 20 is above it and named; the day step at 10,
    // below it, is not.
    assert.equal(
      w.message,
      'Of the day’s 320 mcg, the step from 22:00 to 06:00 gives 160 mcg (50%) at 20 mcg/h: more than the usual 25% for one step, at a rate above the day’s mean of 13.33 mcg/h',
    );
  });

  it('a step exactly at the mean rate is exempt; one above it on the same day warns', () => {
    // 8 × 10 + 8 × 5 + 8 × 15 = 80 + 40 + 120 = 240 mcg; mean 240 ÷ 24 = 10 mcg/h. The first step
    // gives 80 ÷ 240 = 33.33 % at exactly the mean; the last 120 ÷ 240 = 50 % at 15 mcg/h.
    const warnings = programmeWarnings(
      flex([
        {
          weekdays: ALL_DAYS,
          steps: [step('00:00', '08:00', 10), step('08:00', '16:00', 5), step('16:00', '24:00', 15)],
        },
      ]),
      rules,
    );
    assert.deepEqual(
      warnings.map((w) => w.code),
      ['FLEX_STEP_LARGE_SHARE'],
    );
    assert.match(
      warnings[0]?.message ?? '',
      /^Of the day’s 240 mcg, the step from 16:00 to 24:00 gives 120 mcg \(50%\) at 15 mcg\/h: /,
    );
    assert.match(warnings[0]?.message ?? '', /the day’s mean of 10 mcg\/h$/);
  });

  it('judges a flex bolus against the smallest day: 30 mcg is 6.25 % of 480 but 9.38 % of 320', () => {
    const weekdays = { weekdays: [1, 2, 3, 4, 5], steps: [step('00:00', '24:00', 13.3333)] }; // 319.9992 mcg
    const weekend = { weekdays: [6, 7], steps: [step('00:00', '24:00', 20)] }; // 480 mcg
    assert.deepEqual(codes(flex([weekdays, weekend], bolus(30))), []);
    // 33 ÷ 319.9992 = 10.31 % on the weekdays.
    const warnings = programmeWarnings(flex([weekdays, weekend], bolus(33)), rules);
    assert.deepEqual(
      warnings.map((w) => w.code),
      ['BOLUS_LARGE_SHARE'],
    );
    assert.match(warnings[0]?.message ?? '', /10\.31% of the continuous daily dose of 320 mcg on Monday/);
  });

  it('warns about a day outside the usual dose range, per schedule and with every bolus', () => {
    // A simple 1.5 mcg/day: 1.5 mg typed as mcg.
    const low = programmeWarnings(simple(1.5), rules);
    assert.deepEqual(
      low.map((w) => [w.code, w.field, w.didYouMean]),
      [['DOSE_OUTSIDE_USUAL_RANGE', 'doseMcgPerDay', 1500]],
    );
    // Weekend 0.5 mcg/h × 24 = 12 (usual); weekdays 0.25 × 24 = 6: 6 × 24 = 144 (mcg/h typed as mcg/day).
    const perDay = programmeWarnings(
      flex([
        { weekdays: [1, 2, 3, 4, 5], steps: [step('00:00', '24:00', 0.25)] },
        { weekdays: [6, 7], steps: [step('00:00', '24:00', 0.5)] },
      ]),
      rules,
    );
    assert.deepEqual(
      perDay.map((w) => [w.code, w.field, w.didYouMean]),
      [['DOSE_OUTSIDE_USUAL_RANGE', 'schedules.0.steps', 144]],
    );
    assert.match(
      perDay[0]?.message ?? '',
      /^The day’s total dose \(Monday, Tuesday, Wednesday, Thursday, Friday\): 6 mcg\/day/,
    );
    // 1,900 continuous plus 6 × 25 = 2,050 with every bolus: above 2,000 (25 is 1.32 % of 1,900).
    const most = programmeWarnings(simple(1900, bolus(25, 6, 60)), rules);
    assert.deepEqual(
      most.map((w) => [w.code, w.field]),
      [['DOSE_OUTSIDE_USUAL_RANGE', 'bolus.maxPerDay']],
    );
    assert.match(
      most[0]?.message ?? '',
      /^With every bolus taken, the most in a day: 2,050 mcg\/day is above/,
    );
  });

  it('takes every limit from configuration', () => {
    const strict = {
      ...rules,
      programme: {
        bolusMaxSharePercent: 5,
        maxBolusesPerDay: 2,
        minLockoutMinutes: 240,
        flexStepMaxSharePercent: 60,
      },
    };
    assert.deepEqual(
      programmeWarnings(simple(400, bolus(25, 3, 120)), strict).map((w) => w.code),
      ['BOLUS_LARGE_SHARE', 'BOLUSES_PER_DAY_HIGH', 'LOCKOUT_SHORT'],
    );
    const example15 = flex([
      { weekdays: ALL_DAYS, steps: [step('22:00', '06:00', 20), step('06:00', '22:00', 10)] },
    ]);
    assert.deepEqual(programmeWarnings(example15, strict), []);
  });
});

describe('programme limits: properties', () => {
  it('a bolus warns exactly when bolus × 100 > share × daily dose (integers, hundredths of a mcg)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1200, max: 200_000 }),
        fc.integer({ min: 100, max: 50_000 }),
        (daily, dose) => {
          const warned = programmeWarnings(simple(daily / 100, bolus(dose / 100)), rules).some(
            (w) => w.code === 'BOLUS_LARGE_SHARE',
          );
          assert.equal(warned, dose * 100 > rules.programme.bolusMaxSharePercent * daily);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('a step warns exactly when minutes × rate × 100 > share × the day and its rate is above the mean (integers)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1439 }),
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 1, max: 500 }),
        (cut, rateA, rateB) => {
          const hhmm = (m: number) =>
            `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
          const programme = flex([
            {
              weekdays: ALL_DAYS,
              steps: [step('00:00', hhmm(cut), rateA / 10), step(hhmm(cut), '24:00', rateB / 10)],
            },
          ]);
          const a = cut * rateA;
          const b = (1440 - cut) * rateB;
          const share = rules.programme.flexStepMaxSharePercent;
          // In tenths of a mcg/h × minutes: the mean rate is (a + b) ÷ 1440, so a step's rate r is
          // above it when r × 1440 > a + b.
          const large = (part: number, rate: number) => part * 100 > share * (a + b) && rate * 1440 > a + b;
          const expected = large(a, rateA) || large(b, rateB);
          const warned = programmeWarnings(programme, rules).some((w) => w.code === 'FLEX_STEP_LARGE_SHARE');
          assert.equal(warned, expected);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
