import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { calcJson, calcRefused, itbCalc, withOption } from '../../test/support/itb-calc.ts';

/**
 * The two bands on `itb calc refill`, `dose-change` and `daily-dose`: a hard limit exits 2
 * naming the option; a value outside the usual range is still computed and reported in
 * `warnings` (always present) and as a `Warning:` line in text. Expected values by hand.
 */

interface Warning {
  readonly code: string;
  readonly message: string;
  readonly field?: string;
  readonly didYouMean?: number;
}
const warningsOf = (r: Record<string, unknown>) => r.warnings as Warning[];
const codes = (r: Record<string, unknown>) => warningsOf(r).map((w) => w.code);

// Worked example 4 (clinical-reference.md).
const example4 = [
  'refill',
  '--reservoir-ml',
  '20',
  '--fill-ml',
  '20',
  '--concentration',
  '500',
  '--dose',
  '150',
  '--alarm-ml',
  '2',
  '--filled-on',
  '2025-01-06',
];

describe('itb calc refill: the daily dose against its two bands', () => {
  it('--dose 1.5 at 2000 mcg/mL is refused as no pump can deliver it: did you mean 1,500 mcg/day (1.5 mg)?', async () => {
    // 1.5 ÷ 2000 = 0.00075 mL/day (0.0008 shown), under the smallest any pump model delivers
    // (SynchroMed II, 0.048 mL/day); 1.5 × 1000 = 1,500 is inside the usual 12–2,000.
    await calcRefused(
      withOption(withOption(example4, '--dose', '1.5'), '--concentration', '2000'),
      /^--dose: At 2,000 mcg\/mL, 1\.5 mcg\/day is 0\.0008 mL a day, less than any pump model can deliver \(at least 0\.048 mL a day\): did you mean 1,500 mcg\/day\?$/m,
    );
  });

  // At 500 mcg/mL the smallest dose a pump delivers is 0.048 × 500 = 24 mcg/day, so a dose below
  // the usual 12 mcg/day never reaches the plan: it is refused with the slip it most likely is.
  const slips: [dose: string, didYouMean: string][] = [
    // 4.17 × 1000 = 4,170 is above the range; 4.17 × 24 = 100.08 is inside: an hourly rate.
    ['4.17', '100.08'],
    // 11.99 × 1000 = 11,990 no; 11.99 × 24 = 287.76 yes.
    ['11.99', '287.76'],
    // 2 × 1000 = 2,000, the top of the usual range.
    ['2', '2,000'],
  ];
  for (const [dose, didYouMean] of slips) {
    it(`--dose ${dose} at 500 mcg/mL: refused, did you mean ${didYouMean}`, async () => {
      await calcRefused(
        withOption(example4, '--dose', dose),
        new RegExp(
          `^--dose: .*less than any pump model can deliver .*: did you mean ${didYouMean} mcg/day\\?$`,
          'm',
        ),
      );
    });
  }

  const cases: [dose: string, warned: boolean][] = [
    // 24 ÷ 500 = 0.048 mL/day, the least a pump delivers; inside the usual range.
    ['24', false],
    ['2000', false],
    // Above the usual range, inside the hard 3,000: a warning with no suggestion.
    ['2500', true],
    ['3000', true],
  ];
  for (const [dose, warned] of cases) {
    it(`--dose ${dose}: ${warned ? 'warns' : 'no warning'}`, async () => {
      const r = await calcJson(withOption(example4, '--dose', dose));
      assert.deepEqual(codes(r), warned ? ['DOSE_OUTSIDE_USUAL_RANGE'] : []);
      assert.equal(warningsOf(r)[0]?.didYouMean, undefined);
      assert.equal(warningsOf(r)[0]?.field, warned ? '--dose' : undefined);
    });
  }

  it('refuses 0.4 below the hard minimum with "did you mean 400 mcg/day?", and 3001 above the maximum', async () => {
    await calcRefused(
      withOption(example4, '--dose', '0.4'),
      /--dose: .*0\.4 looks like milligrams.*did you mean 400 mcg\/day\?/,
    );
    await calcRefused(withOption(example4, '--dose', '3001'), /--dose: Daily dose must be 3000 mcg or less/);
  });

  it('prints one Warning: line per warning in text', async () => {
    const r = await itbCalc(withOption(example4, '--dose', '2500'));
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /\nWarning: Daily dose: 2,500 mcg\/day is above the usual 12–2,000 mcg\/day: check the dose and its unit\n$/,
    );
    const plain = await itbCalc(example4);
    assert.doesNotMatch(plain.stdout, /Warning/);
  });
});

describe('itb calc refill: hard limits on the fill and the settings', () => {
  it('refuses an alarm volume of 0, naming --alarm-ml', async () => {
    await calcRefused(
      withOption(example4, '--alarm-ml', '0'),
      /--alarm-ml: Low-reservoir alarm volume must be more than 0 mL/,
    );
  });

  it('refuses a reservoir size no pump model has, naming --reservoir-ml', async () => {
    await calcRefused(
      withOption(withOption(example4, '--reservoir-ml', '30'), '--fill-ml', '20'),
      '--reservoir-ml: Reservoir size must be one a pump model has: 20 or 40 mL, not 30',
    );
    assert.equal((await calcJson(withOption(example4, '--reservoir-ml', '40'))).alarmDate, '2025-03-07');
  });

  it('refuses an alarm on the fill day: 3 mL with a 2 mL alarm at 1.5 mL/day lasts 0.67 days', async () => {
    // 750 mcg/day ÷ 500 mcg/mL = 1.5 mL/day; (3 − 2) ÷ 1.5 = 0.67 days: the alarm sounds on 2025-01-06.
    const fillDay = withOption(withOption(example4, '--fill-ml', '3'), '--dose', '750');
    await calcRefused(
      fillDay,
      /--fill-ml: The alarm would sound on the fill day: 3 mL .* lasts 0\.67 days at 1\.5 mL a day/,
    );
    // (3.5 − 2) ÷ 1.5 = 1 day: the alarm the next day, 2025-01-07; accepted.
    const nextDay = await calcJson(withOption(fillDay, '--fill-ml', '3.5'));
    assert.equal(nextDay.alarmDate, '2025-01-07');
    assert.equal(nextDay.refillDueBy, '2025-01-06');
  });

  it('refuses a longest interval beyond the stability limit (180 days), naming --max-interval-days', async () => {
    await calcRefused(
      [...example4, '--max-interval-days', '181'],
      /--max-interval-days: Longest interval .*1 to 180/,
    );
    assert.equal((await calcJson([...example4, '--max-interval-days', '180'])).maxIntervalDays, 180);
  });
});

describe('itb calc dose-change: child, high-dose and tenfold limits', () => {
  const change = (current: string, proposed: string, origin: string, phase: string, ...more: string[]) =>
    calcJson([
      'dose-change',
      '--current',
      current,
      '--proposed',
      proposed,
      '--origin',
      origin,
      '--phase',
      phase,
      ...more,
    ]);

  it('a child (--age 12) going 100 → 116 mcg/day needs a reason: 16 % > 15 %; an adult in spinal titration does not', async () => {
    const child = await change('100', '116', 'spinal', 'titration', '--age', '12');
    assert.equal(child.changePercent, 16);
    assert.equal(child.limitPercent, 15);
    assert.equal(child.withinLimit, false);
    assert.deepEqual(codes(child), ['DOSE_CHANGE_BEYOND_LIMIT']);
    assert.match(warningsOf(child)[0]!.message, /beyond the 15% limit for a child under 18/);
    for (const adult of [
      await change('100', '116', 'spinal', 'titration'),
      await change('100', '116', 'spinal', 'titration', '--age', '18'),
    ]) {
      // 16 % against the spinal titration limit of 30 %.
      assert.equal(adult.limitPercent, 30);
      assert.equal(adult.withinLimit, true);
      assert.deepEqual(adult.warnings, []);
    }
    // The child limit holds in maintenance too, and never widens a smaller one: cerebral titration stays 15.
    assert.equal((await change('100', '116', 'spinal', 'maintenance', '--age', '17')).limitPercent, 15);
    assert.equal((await change('100', '115', 'cerebral', 'titration', '--age', '9')).withinLimit, true);
  });

  it('600 → 740 mcg/day (+23.33 %) needs a reason from 500 mcg/day up, even in spinal titration', async () => {
    // (740 − 600) ÷ 600 = 23.33 % > 20 %.
    const high = await change('600', '740', 'spinal', 'titration');
    assert.deepEqual([high.changePercent, high.limitPercent, high.withinLimit], [23.33, 20, false]);
    assert.match(warningsOf(high)[0]!.message, /beyond the 20% limit for a rise from 500 mcg\/day or more/);
    // 600 → 720 is +20 %: at the limit, within it.
    assert.equal((await change('600', '720', 'spinal', 'titration')).withinLimit, true);
    // From 499 the spinal 30 % still applies: 499 → 620 is +24.25 %.
    const below = await change('499', '620', 'spinal', 'titration');
    assert.deepEqual([below.changePercent, below.limitPercent, below.withinLimit], [24.25, 30, true]);
  });

  it('refuses more than 10 times or under a tenth, naming --proposed; exactly 10 times or a tenth is a warning', async () => {
    await calcRefused(
      ['dose-change', '--current', '100', '--proposed', '1001', '--origin', 'spinal', '--phase', 'titration'],
      /--proposed: 1,001 mcg\/day is more than 10 times/,
    );
    await calcRefused(
      ['dose-change', '--current', '100', '--proposed', '9.99', '--origin', 'spinal', '--phase', 'titration'],
      '--proposed: ',
    );
    // 100 → 1000 is +900 %: beyond the limit, not refused.
    assert.deepEqual(codes(await change('100', '1000', 'spinal', 'titration')), ['DOSE_CHANGE_BEYOND_LIMIT']);
    // 100 → 10 is −90 %: beyond the −20 % cut, and 10 mcg/day is below the usual range.
    assert.deepEqual(codes(await change('100', '10', 'spinal', 'titration')), [
      'DOSE_OUTSIDE_USUAL_RANGE',
      'DOSE_CHANGE_BEYOND_LIMIT',
    ]);
  });

  it('refuses an age that is not a number of years, or over 130', async () => {
    const base = [
      'dose-change',
      '--current',
      '100',
      '--proposed',
      '110',
      '--origin',
      'spinal',
      '--phase',
      'titration',
    ];
    await calcRefused([...base, '--age', 'twelve'], '--age: give');
    await calcRefused([...base, '--age', '131'], '--age: must be 130 years or less');
  });

  it('prints the paediatric limit and a Warning: line in text', async () => {
    const r = await itbCalc([
      'dose-change',
      '--current',
      '100',
      '--proposed',
      '116',
      '--origin',
      'spinal',
      '--phase',
      'titration',
      '--age',
      '12',
    ]);
    assert.equal(
      r.stdout,
      'Change: 16% (limit 15% for a child under 18): beyond the limit; needs a written reason\n' +
        'Warning: The daily dose changes by 16% against the dose 24 hours ago, beyond the 15% limit for a child under 18\n',
    );
  });
});

const steps = (...s: string[]) => s.flatMap((x) => ['--step', x]);

describe('itb calc daily-dose: 24:00, the usual range and the flex step share', () => {
  it('00:00-24:00=12.5 is a whole day: 12.5 × 24 = 300 mcg, 0.6 mL/day at 500 mcg/mL, no warning', async () => {
    assert.deepEqual(await calcJson(['daily-dose', ...steps('00:00-24:00=12.5'), '--concentration', '500']), {
      dailyDoseMcg: 300,
      dailyVolumeMl: 0.6,
      steps: [{ start: '00:00', end: '24:00', rateMcgPerHour: 12.5 }],
      bolus: null,
      warnings: [],
    });
  });

  it('22:00-24:00 joins 00:00-22:00: 2 × 20 + 22 × 10 = 260 mcg', async () => {
    const r = await calcJson([
      'daily-dose',
      ...steps('22:00-24:00=20', '00:00-22:00=10'),
      '--concentration',
      '2000',
    ]);
    assert.equal(r.dailyDoseMcg, 260);
  });

  it('refuses 24:00 as a start, naming --step', async () => {
    await calcRefused(
      ['daily-dose', ...steps('24:00-06:00=20', '06:00-24:00=10'), '--concentration', '2000'],
      '--step: a step cannot start at 24:00',
    );
  });

  it('a step at exactly 25 % of the day is usual; just over is a warning naming the step', async () => {
    // Four 6-hour steps at 10 mcg/h: 60 of 240 mcg each, 25 %.
    const even = ['00:00-06:00=10', '06:00-12:00=10', '12:00-18:00=10', '18:00-24:00=10'];
    assert.deepEqual(
      (await calcJson(['daily-dose', ...steps(...even), '--concentration', '500'])).warnings,
      [],
    );
    // 10.1 mcg/h for the first: 60.6 of 240.6 mcg = 25.19 %.
    const over = await calcJson([
      'daily-dose',
      ...steps('00:00-06:00=10.1', ...even.slice(1)),
      '--concentration',
      '500',
    ]);
    assert.deepEqual(codes(over), ['FLEX_STEP_LARGE_SHARE']);
    assert.match(warningsOf(over)[0]!.message, /the step from 00:00 to 06:00 gives 60\.6 mcg \(25\.19%\)/);
    assert.equal(warningsOf(over)[0]!.field, '--step');
  });

  it("refuses a day's total below the usual range that no pump can deliver, with the unit slip", async () => {
    // 0.0625 mcg/h × 24 = 1.5 mcg/day; 1.5 ÷ 500 = 0.003 mL/day < 0.048; × 1000 = 1,500.
    await calcRefused(
      ['daily-dose', ...steps('00:00-24:00=0.0625'), '--concentration', '500'],
      /^--step: At 500 mcg\/mL, 1\.5 mcg\/day is 0\.003 mL a day, less than any pump model can deliver \(at least 0\.048 mL a day\): did you mean 1,500 mcg\/day\?$/m,
    );
  });
});

describe('itb calc: the strength and the daily volume, as a pump prescription', () => {
  for (const [strength, message] of [
    [
      '750',
      /^--concentration: Concentration must be one of the strengths the service stocks: 500, 1,000 or 2,000 mcg\/mL, not 750 mcg\/mL$/m,
    ],
    [
      '50',
      /^--concentration: 50 mcg\/mL is the screening strength, for test doses only: a pump is filled at 500, 1,000 or 2,000 mcg\/mL$/m,
    ],
  ] as const) {
    it(`refuses --concentration ${strength} in refill and daily-dose`, async () => {
      await calcRefused(withOption(example4, '--concentration', strength), message);
      await calcRefused(['daily-dose', ...steps('00:00-24:00=12.5'), '--concentration', strength], message);
    });
  }

  it('refuses --dose 20 at 2000 mcg/mL: 0.01 mL/day, which no pump model can deliver', async () => {
    // 20 ÷ 2000 = 0.01 mL/day < 0.048; at 500 it would be 0.04, still too little.
    await calcRefused(
      withOption(withOption(example4, '--dose', '20'), '--concentration', '2000'),
      /^--dose: At 2,000 mcg\/mL, 20 mcg\/day is 0\.01 mL a day, less than any pump model can deliver \(at least 0\.048 mL a day\): check the dose/m,
    );
    // 96 ÷ 2000 = 0.048 mL/day exactly: planned. 18 mL ÷ 0.048 = 375 days, so the 180-day
    // stability limit sets the date: 2025-01-06 + 180 = 2025-07-05.
    const least = await calcJson(withOption(withOption(example4, '--dose', '96'), '--concentration', '2000'));
    assert.equal(least.dailyVolumeMl, 0.048);
    assert.equal(least.refillDueBy, '2025-07-05');
  });

  it('refuses a flex day of 12 mcg at 2000 mcg/mL in daily-dose, naming --step', async () => {
    // 0.5 mcg/h × 24 = 12 mcg/day; 12 ÷ 2000 = 0.006 mL/day < 0.048.
    await calcRefused(
      ['daily-dose', ...steps('00:00-24:00=0.5'), '--concentration', '2000'],
      /^--step: At 2,000 mcg\/mL, 12 mcg\/day is 0\.006 mL a day, less than any pump model can deliver/m,
    );
  });
});

describe('itb calc daily-dose: the boluses against their two bands', () => {
  const day = ['daily-dose', ...steps('00:00-24:00=12.5'), '--concentration', '500'];
  const bolus = (mcg: string, perDay: string, lockout: string) => [
    '--bolus-mcg',
    mcg,
    '--boluses-per-day',
    perDay,
    '--lockout-minutes',
    lockout,
  ];

  it('25 mcg up to 3 a day with a 120-minute lock-out on 300 mcg/day: usual, 375 with every bolus', async () => {
    // 25 ÷ 300 = 8.33 % of the day; 300 + 3 × 25 = 375 mcg.
    const r = await calcJson([...day, ...bolus('25', '3', '120')]);
    assert.deepEqual(r.bolus, {
      doseMcg: 25,
      maxPerDay: 3,
      lockoutMinutes: 120,
      withEveryBolusMcgPerDay: 375,
    });
    assert.deepEqual(r.warnings, []);
  });

  it('40 mcg, 7 a day, 30-minute lock-out: each is a warning naming its option, the result still given', async () => {
    // 40 ÷ 300 = 13.33 % > 10 %; 7 > 6 a day; 30 < 60 minutes; 300 + 7 × 40 = 580 mcg.
    const r = await calcJson([...day, ...bolus('40', '7', '30')]);
    assert.equal(r.dailyDoseMcg, 300);
    assert.deepEqual(
      warningsOf(r).map((w) => [w.code, w.field]),
      [
        ['BOLUS_LARGE_SHARE', '--bolus-mcg'],
        ['BOLUSES_PER_DAY_HIGH', '--boluses-per-day'],
        ['LOCKOUT_SHORT', '--lockout-minutes'],
      ],
    );
    const text = await itbCalc([...day, ...bolus('40', '7', '30')]);
    assert.match(
      text.stdout,
      /^Boluses: 40 mcg, up to 7 a day, 30 min lock-out; with every bolus taken 580 mcg\/day$/m,
    );
    assert.match(
      text.stdout,
      /^Warning: A bolus of 40 mcg is 13\.33% of the continuous daily dose of 300 mcg/m,
    );
  });

  it('a day above the usual range with every bolus taken is a warning naming --boluses-per-day', async () => {
    // 80 mcg/h × 24 = 1,920 mcg; 1,920 + 6 × 25 = 2,070 > 2,000.
    const r = await calcJson([
      'daily-dose',
      ...steps('00:00-24:00=80'),
      '--concentration',
      '2000',
      ...bolus('25', '6', '60'),
    ]);
    assert.deepEqual(
      warningsOf(r).map((w) => [w.code, w.field]),
      [['DOSE_OUTSIDE_USUAL_RANGE', '--boluses-per-day']],
    );
  });

  it('refuses part of a bolus setting, a fraction of a bolus, a unit typed in, naming each option', async () => {
    await calcRefused(
      [...day, '--bolus-mcg', '25'],
      /^--boluses-per-day: give --bolus-mcg, --boluses-per-day and --lockout-minutes together/m,
    );
    await calcRefused(
      [...day, ...bolus('25', '3.5', '120')],
      /^--boluses-per-day: give the boluses a day as a whole number from 1 to 24, not "3\.5"$/m,
    );
    await calcRefused([...day, ...bolus('25', '0', '120')], /^--boluses-per-day: .* from 1 to 24, not "0"$/m);
    await calcRefused(
      [...day, ...bolus('25', '3', '1441')],
      /^--lockout-minutes: .* from 0 to 1440, not "1441"$/m,
    );
    await calcRefused(
      [...day, ...bolus('25mcg', '3', '120')],
      /^--bolus-mcg: give the bolus dose in mcg as a plain number/m,
    );
  });
});
