import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  continuousDoseMcgPerDay,
  describeProgramme,
  doseByWeekday,
  doseProgrammeSchema,
  MAX_FLEX_STEPS,
  minutesOfDay,
  parseStep,
  planningDoseMcgPerDay,
  programmeErrors,
  scheduleDoseMcg,
  stepMinutes,
  type DoseProgramme,
  type FlexSchedule,
  type FlexStep,
} from './dose-programme.ts';
import { DEFAULT_PUMP_RULES } from './pump-rules.ts';
import { dailyVolumeMl, round2 } from './refill-arithmetic.ts';

const ranges = DEFAULT_PUMP_RULES.hardLimits;
const ALL_DAYS = [1, 2, 3, 4, 5, 6, 7];
const step = (start: string, end: string, rateMcgPerHour: number): FlexStep => ({
  start,
  end,
  rateMcgPerHour,
});
const flex = (...schedules: FlexSchedule[]): DoseProgramme => ({
  mode: 'flex',
  doseMcgPerDay: null,
  schedules,
  bolus: null,
});
const simple = (doseMcgPerDay: number): DoseProgramme => ({
  mode: 'simple',
  doseMcgPerDay,
  schedules: [],
  bolus: null,
});

/** Worked example 15: 22:00–06:00 at 20 mcg/h, the rest of the day at 10 mcg/h. */
const example15: FlexSchedule = {
  weekdays: ALL_DAYS,
  steps: [step('22:00', '06:00', 20), step('06:00', '22:00', 10)],
};

/** Steps of one hour each from 00:00 (the last running to 00:00), `n` of them covering the day unevenly. */
function stepsOf(n: number, rate = 10): FlexStep[] {
  const cuts = Array.from({ length: n }, (_, i) => i * 60);
  return cuts.map((c, i) => {
    const next = cuts[(i + 1) % n]!;
    const hhmm = (m: number) =>
      `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    return step(hhmm(c), hhmm(next), rate);
  });
}

describe('worked example 15: flex programme', () => {
  it('8 × 20 + 16 × 10 = 320 mcg a day, 0.16 mL/day at 2000 mcg/mL', () => {
    assert.equal(scheduleDoseMcg(example15), 320);
    const programme = flex(example15);
    assert.deepEqual(programmeErrors(programme, ranges), []);
    assert.equal(continuousDoseMcgPerDay(programme), 320);
    assert.equal(planningDoseMcgPerDay(programme), 320);
    assert.equal(dailyVolumeMl(planningDoseMcgPerDay(programme), 2000), 0.16);
  });

  it('the step past midnight runs 8 hours, the day step 16', () => {
    assert.equal(stepMinutes(step('22:00', '06:00', 20)), 8 * 60);
    assert.equal(stepMinutes(step('06:00', '22:00', 10)), 16 * 60);
  });

  it('the order the steps are listed in does not matter', () => {
    const reversed = { weekdays: ALL_DAYS, steps: [...example15.steps].reverse() };
    assert.deepEqual(programmeErrors(flex(reversed), ranges), []);
    assert.equal(scheduleDoseMcg(reversed), 320);
  });
});

describe('worked example 7: hourly rates of a starting dose', () => {
  it('100 mcg/day is 4.17 mcg/h; 50 mcg/day is 2.08 mcg/h', () => {
    assert.equal(round2(100 / 24), 4.17);
    assert.equal(round2(50 / 24), 2.08);
    // A single 24 h step at the unrounded hourly rate gives back the daily dose.
    assert.ok(
      Math.abs(scheduleDoseMcg({ weekdays: ALL_DAYS, steps: [step('00:00', '00:00', 100 / 24)] }) - 100) <
        1e-9,
    );
    assert.ok(
      Math.abs(scheduleDoseMcg({ weekdays: ALL_DAYS, steps: [step('08:00', '08:00', 50 / 24)] }) - 50) < 1e-9,
    );
  });
});

describe('flex validation', () => {
  const errorsFor = (...schedules: FlexSchedule[]) => programmeErrors(flex(...schedules), ranges);
  const all = (steps: FlexStep[]): FlexSchedule => ({ weekdays: ALL_DAYS, steps });

  it('refuses a gap', () => {
    const errors = errorsFor(all([step('00:00', '06:00', 10), step('07:00', '00:00', 10)]));
    assert.deepEqual(
      errors.map((e) => e.field),
      ['schedules.0.steps'],
    );
    assert.match(
      errors[0]!.message,
      /no gap or overlap: the step from 00:00 ends at 06:00 but the next starts at 07:00/,
    );
  });

  it('refuses an overlap', () => {
    const errors = errorsFor(all([step('00:00', '08:00', 10), step('06:00', '00:00', 10)]));
    assert.deepEqual(
      errors.map((e) => e.field),
      ['schedules.0.steps'],
    );
    assert.match(errors[0]!.message, /no gap or overlap/);
  });

  it('refuses steps that join up but go round the clock twice', () => {
    const errors = errorsFor(all([step('00:00', '00:00', 10), step('00:00', '00:00', 10)]));
    assert.deepEqual(
      errors.map((e) => e.field),
      ['schedules.0.steps'],
    );
    assert.match(errors[0]!.message, /24 hours, once/);
  });

  it(`accepts ${MAX_FLEX_STEPS} steps and refuses ${MAX_FLEX_STEPS + 1}`, () => {
    assert.equal(MAX_FLEX_STEPS, 13);
    assert.deepEqual(errorsFor(all(stepsOf(13))), []);
    const errors = errorsFor(all(stepsOf(14)));
    assert.deepEqual(
      errors.map((e) => e.field),
      ['schedules.0.steps'],
    );
    assert.match(errors[0]!.message, /at most 13 steps/);
  });

  it('refuses no steps and no schedules', () => {
    assert.match(errorsFor(all([]))[0]?.message ?? '', /at least one step/);
    assert.deepEqual(errorsFor(), [{ field: 'schedules', message: 'Add the flex steps' }]);
  });

  it('refuses a weekday with no schedule, naming it', () => {
    const errors = errorsFor({ weekdays: [1, 2, 3, 4, 5, 6], steps: example15.steps });
    assert.deepEqual(errors, [
      { field: 'schedules', message: 'Every weekday needs a schedule: missing Sunday' },
    ]);
    const two = errorsFor({ weekdays: [2, 3, 4, 5, 6], steps: example15.steps });
    assert.match(two[0]!.message, /missing Monday, Sunday/);
  });

  it('refuses a weekday in two schedules, naming it and the second schedule', () => {
    const errors = errorsFor(
      { weekdays: [1, 2, 3, 4, 5], steps: example15.steps },
      { weekdays: [5, 6, 7], steps: example15.steps },
    );
    assert.deepEqual(errors, [
      { field: 'schedules.1.weekdays', message: 'Friday is in more than one schedule' },
    ]);
  });

  it('a single 00:00–00:00 step (or any start = end) is the whole 24 h', () => {
    assert.equal(stepMinutes(step('00:00', '00:00', 10)), 1440);
    assert.equal(stepMinutes(step('07:30', '07:30', 10)), 1440);
    assert.equal(scheduleDoseMcg(all([step('00:00', '00:00', 12.5)])), 300);
    assert.deepEqual(errorsFor(all([step('00:00', '00:00', 12.5)])), []);
    assert.deepEqual(errorsFor(all([step('07:30', '07:30', 12.5)])), []);
  });

  it('refuses a step with no rate (it would stop the drug)', () => {
    const errors = errorsFor(all([step('00:00', '12:00', 20), step('12:00', '00:00', 0)]));
    assert.deepEqual(
      errors.map((e) => e.field),
      ['schedules.0.steps'],
    );
    assert.match(errors[0]!.message, /rate above 0.*12:00/);
  });

  it("checks the day's total against the plausible dose range", () => {
    const tooMuch = errorsFor(all([step('00:00', '00:00', 130)])); // 3120 mcg
    assert.deepEqual(
      tooMuch.map((e) => e.field),
      ['schedules.0.steps'],
    );
    assert.match(tooMuch[0]!.message, /3000 mcg or less/);
    const milligrams = errorsFor(all([step('00:00', '00:00', 0.02)])); // 0.48 mcg: mg typed for mcg
    assert.match(milligrams[0]!.message, /milligrams/);
  });

  it('checks a simple dose and a bolus dose, naming each field', () => {
    assert.deepEqual(programmeErrors(simple(400), ranges), []);
    assert.deepEqual(
      programmeErrors(simple(0.4), ranges).map((e) => e.field),
      ['doseMcgPerDay'],
    );
    assert.deepEqual(
      programmeErrors({ ...simple(400), doseMcgPerDay: null }, ranges).map((e) => e.field),
      ['doseMcgPerDay'],
    );
    const bolus = programmeErrors(
      { ...simple(400), bolus: { doseMcg: 0, maxPerDay: 3, lockoutMinutes: 60 } },
      ranges,
    );
    assert.deepEqual(
      bolus.map((e) => e.field),
      ['bolus.doseMcg'],
    );
  });
});

describe('different schedules on different weekdays', () => {
  const weekdays: FlexSchedule = { weekdays: [1, 2, 3, 4, 5], steps: example15.steps };
  const weekend: FlexSchedule = {
    weekdays: [6, 7],
    steps: [step('20:00', '08:00', 30), step('08:00', '20:00', 10)], // 360 + 120 = 480
  };
  const programme = flex(weekdays, weekend);

  it('gives each weekday its own total and plans on the largest', () => {
    assert.deepEqual(programmeErrors(programme, ranges), []);
    assert.deepEqual(doseByWeekday(programme), [320, 320, 320, 320, 320, 480, 480]);
    assert.equal(continuousDoseMcgPerDay(programme), 480);
  });

  it('a simple programme gives the same dose every day', () => {
    assert.deepEqual(doseByWeekday(simple(400)), [400, 400, 400, 400, 400, 400, 400]);
  });
});

describe('planning dose: the continuous dose plus every permitted bolus', () => {
  it('simple 400 mcg/day with 25 mcg boluses up to 3 a day plans on 475', () => {
    const programme: DoseProgramme = {
      ...simple(400),
      bolus: { doseMcg: 25, maxPerDay: 3, lockoutMinutes: 120 },
    };
    assert.equal(continuousDoseMcgPerDay(programme), 400);
    assert.equal(planningDoseMcgPerDay(programme), 475);
  });

  it('flex 320/480 with 10 mcg boluses up to 4 a day plans on 520 (the largest day + boluses)', () => {
    const programme: DoseProgramme = {
      ...flex(
        { weekdays: [1, 2, 3, 4, 5], steps: example15.steps },
        { weekdays: [6, 7], steps: [step('00:00', '00:00', 20)] },
      ),
      bolus: { doseMcg: 10, maxPerDay: 4, lockoutMinutes: 60 },
    };
    assert.equal(planningDoseMcgPerDay(programme), 520);
  });

  it('without boluses it is the continuous dose', () => {
    assert.equal(planningDoseMcgPerDay(simple(400)), 400);
  });
});

describe('describeProgramme', () => {
  it('describes simple and flex programmes', () => {
    assert.equal(
      describeProgramme({ ...simple(400), bolus: { doseMcg: 25, maxPerDay: 3, lockoutMinutes: 120 } }),
      'Simple continuous, 400 mcg/day; boluses 25 mcg, up to 3 a day, 120 min lock-out',
    );
    assert.equal(describeProgramme(flex(example15)), 'Flex, 2 steps, up to 320 mcg/day');
    assert.equal(
      describeProgramme(
        flex({ ...example15, weekdays: [1, 2, 3, 4, 5] }, { weekdays: [6, 7], steps: stepsOf(3) }),
      ),
      'Flex, 2 and 3 steps, up to 320 mcg/day',
    );
  });
});

describe('parseStep (the CLI form HH:MM-HH:MM=RATE)', () => {
  const good: [string, FlexStep][] = [
    ['22:00-06:00=20', step('22:00', '06:00', 20)],
    ['06:00-22:00=10', step('06:00', '22:00', 10)],
    ['  06:00-22:00=10.5  ', step('06:00', '22:00', 10.5)],
    ['00:00-00:00=4.1667', step('00:00', '00:00', 4.1667)],
    ['23:59-00:00=1', step('23:59', '00:00', 1)],
    // 24:00 ends a step at midnight, as clinicians write it; kept as typed.
    ['06:00-24:00=20', step('06:00', '24:00', 20)],
  ];
  for (const [text, expected] of good) {
    it(`reads "${text}"`, () => {
      assert.deepEqual(parseStep(text), expected);
    });
  }
  const bad = [
    '24:00-06:00=20',
    '6:00-22:00=10',
    '06:60-22:00=10',
    '06:00-22:00',
    '06:00-22:00=',
    '06:00-22:00=-1',
    '06:00-22:00=abc',
    '06:00-22:00=1e3',
    '06:00–22:00=10',
    '06:00 - 22:00 = 10',
    '',
  ];
  for (const text of bad) {
    it(`refuses "${text}"`, () => {
      assert.equal(parseStep(text), null);
    });
  }
  it('reads a rate of 0 as written; programmeErrors refuses it (a stopped step)', () => {
    const step = parseStep('06:00-22:00=0');
    assert.deepEqual(step, { start: '06:00', end: '22:00', rateMcgPerHour: 0 });
    const errors = programmeErrors(
      {
        mode: 'flex',
        doseMcgPerDay: null,
        schedules: [
          {
            weekdays: [1, 2, 3, 4, 5, 6, 7],
            steps: [step, { start: '22:00', end: '06:00', rateMcgPerHour: 20 }],
          },
        ],
        bolus: null,
      },
      DEFAULT_PUMP_RULES.hardLimits,
    );
    assert.match(errors[0]?.message ?? '', /rate above 0/);
  });
});

describe('the programme schema refuses what programmeErrors does not look at', () => {
  it('refuses a weekday outside 1–7, a rate of 0 and a time that is not HH:MM', () => {
    const base = { mode: 'flex', schedules: [{ weekdays: ALL_DAYS, steps: example15.steps }] };
    assert.equal(doseProgrammeSchema.safeParse(base).success, true);
    const bad = [
      { ...base, schedules: [{ weekdays: [1, 2, 3, 4, 5, 6, 8], steps: example15.steps }] },
      { ...base, schedules: [{ weekdays: ALL_DAYS, steps: [step('00:00', '00:00', 0)] }] },
      { ...base, schedules: [{ weekdays: ALL_DAYS, steps: [step('24:00', '00:00', 10)] }] },
      { ...base, bolus: { doseMcg: 10, maxPerDay: 25, lockoutMinutes: 60 } },
    ];
    for (const input of bad) {
      assert.equal(doseProgrammeSchema.safeParse(input).success, false, JSON.stringify(input));
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Properties: random valid partitions of the day
// ---------------------------------------------------------------------------------------------
const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

interface GeneratedSchedule {
  readonly schedule: FlexSchedule;
  /** The exact 24 h total in tenths of a mcg × minutes / 60, from integers. */
  readonly exactTotalMcg: number;
}

/** 1–13 distinct cut points in minutes, each step running from one cut to the next (the last round midnight). */
const stepsArb = fc
  .uniqueArray(fc.integer({ min: 0, max: 1439 }), { minLength: 1, maxLength: MAX_FLEX_STEPS })
  .chain((cuts) =>
    fc.tuple(
      fc.constant([...cuts].sort((a, b) => a - b)),
      fc.array(fc.integer({ min: 1, max: 1250 }), { minLength: cuts.length, maxLength: cuts.length }),
      fc.nat(),
    ),
  )
  .map(([cuts, rateTenths, shuffleSeed]) => {
    let exactTenthsMinutes = 0;
    const steps = cuts.map((cut, i) => {
      const next = cuts[(i + 1) % cuts.length]!;
      const minutes = next > cut ? next - cut : next - cut + 1440;
      exactTenthsMinutes += rateTenths[i]! * minutes;
      return step(hhmm(cut), hhmm(next), rateTenths[i]! / 10);
    });
    // Rotate the list so the steps do not always come in time order.
    const k = shuffleSeed % steps.length;
    return { steps: [...steps.slice(k), ...steps.slice(0, k)], exactTotalMcg: exactTenthsMinutes / 600 };
  });

/** A random split of the 7 weekdays into 1–7 schedules, each with its own random steps. */
const programmeArb = fc
  .tuple(
    fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 7, maxLength: 7 }),
    fc.array(stepsArb, { minLength: 7, maxLength: 7 }),
  )
  .map(([groupOfDay, stepSets]) => {
    const schedules: GeneratedSchedule[] = [];
    for (let group = 0; group < 7; group += 1) {
      const days = ALL_DAYS.filter((_, i) => groupOfDay[i] === group);
      if (days.length > 0) {
        const s = stepSets[group]!;
        schedules.push({ schedule: { weekdays: days, steps: s.steps }, exactTotalMcg: s.exactTotalMcg });
      }
    }
    return schedules;
  });

describe('flex programmes: properties', () => {
  it("every valid programme's 24 h total is the sum of rate × hours, and programmeErrors accepts it", () => {
    fc.assert(
      fc.property(programmeArb, (generated) => {
        const programme = flex(...generated.map((g) => g.schedule));
        assert.deepEqual(programmeErrors(programme, ranges), []);
        for (const g of generated) {
          const total = scheduleDoseMcg(g.schedule);
          assert.ok(Math.abs(total - g.exactTotalMcg) < 1e-9, `${total} vs ${g.exactTotalMcg}`);
          const minutes = g.schedule.steps.reduce((sum, s) => sum + stepMinutes(s), 0);
          assert.equal(minutes, 1440);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("doseByWeekday gives each day its schedule's total; the continuous dose is the largest", () => {
    fc.assert(
      fc.property(programmeArb, (generated) => {
        const programme = flex(...generated.map((g) => g.schedule));
        const byDay = doseByWeekday(programme);
        for (const day of ALL_DAYS) {
          const owner = generated.find((g) => g.schedule.weekdays.includes(day))!;
          assert.equal(byDay[day - 1], scheduleDoseMcg(owner.schedule));
        }
        assert.equal(continuousDoseMcgPerDay(programme), Math.max(...byDay));
      }),
      { numRuns: 300 },
    );
  });

  it('moving one boundary by a minute breaks the coverage and is refused', () => {
    fc.assert(
      fc.property(
        stepsArb.filter((s) => s.steps.length >= 2),
        fc.nat(),
        fc.constantFrom(-1, 1),
        (s, pick, delta) => {
          const i = pick % s.steps.length;
          const broken = s.steps.map((st, j) =>
            j === i ? { ...st, end: hhmm((minutesOfDay(st.end) + delta + 1440) % 1440) } : st,
          );
          const errors = programmeErrors(flex({ weekdays: ALL_DAYS, steps: broken }), ranges);
          assert.deepEqual(
            errors.map((e) => e.field),
            ['schedules.0.steps'],
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
