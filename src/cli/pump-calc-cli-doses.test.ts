import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { calcJson as json, itbCalc, withOption } from '../../test/support/itb-calc.ts';
import { refused } from '../../test/support/pump-calc-cli-fixtures.ts';

/** `itb calc start-dose`, `dose-change` and `daily-dose` through the real command line. */

describe('itb calc start-dose', () => {
  it('worked example 7a: 50 mcg, effect 6 h → 100 mcg/day (double), 4.17 mcg/h', async () => {
    assert.deepEqual(await json(['start-dose', '--test-dose', '50', '--effect-hours', '6']), {
      dailyDoseMcg: 100,
      rule: 'double',
      hourlyRateMcg: 4.17,
      warnings: [],
    });
  });

  it('worked example 7b: 50 mcg, effect 10 h → 50 mcg/day (same), 2.08 mcg/h', async () => {
    assert.deepEqual(await json(['start-dose', '--test-dose', '50', '--effect-hours', '10']), {
      dailyDoseMcg: 50,
      rule: 'same',
      hourlyRateMcg: 2.08,
      warnings: [],
    });
  });

  it('keeps the test dose after adverse reactions [CMSC]; exactly 8 h still doubles', async () => {
    const adverse = await json([
      'start-dose',
      '--test-dose',
      '50',
      '--effect-hours',
      '6',
      '--adverse-reactions',
    ]);
    assert.equal(adverse.rule, 'same');
    assert.equal(adverse.dailyDoseMcg, 50);
    const eight = await json(['start-dose', '--test-dose', '50', '--effect-hours', '8']);
    assert.equal(eight.rule, 'double');
  });

  it('prints readable text without --json', async () => {
    const r = await itbCalc(['start-dose', '--test-dose', '50', '--effect-hours', '6']);
    assert.equal(r.stdout, 'Starting dose: 100 mcg/day (twice the test dose), 4.17 mcg/h\n');
  });

  it('refuses a test dose in mg, naming --test-dose', async () => {
    await refused(
      ['start-dose', '--test-dose', '0.05', '--effect-hours', '6'],
      /--test-dose: Test dose must be in micrograms \(mcg\), at least 1: 0\.05 looks like milligrams/,
    );
  });

  it('refuses effect hours above 48 or malformed, naming --effect-hours', async () => {
    await refused(['start-dose', '--test-dose', '50', '--effect-hours', '49'], '--effect-hours: ');
    await refused(['start-dose', '--test-dose', '50', '--effect-hours', '6h'], '--effect-hours: give');
    await refused(['start-dose', '--test-dose', '50'], '--effect-hours');
  });
});

describe('itb calc dose-change', () => {
  const change = (current: string, proposed: string, origin: string, phase: string) =>
    json(['dose-change', '--current', current, '--proposed', proposed, '--origin', origin, '--phase', phase]);

  const cases: [string, string, string, string, number, number, boolean][] = [
    // Worked example 8: spinal titration, +30%.
    ['100', '130', 'spinal', 'titration', 30, 30, true],
    ['100', '131', 'spinal', 'titration', 31, 30, false],
    // Worked example 9: cerebral titration, +15%.
    ['100', '115', 'cerebral', 'titration', 15, 15, true],
    ['100', '116', 'cerebral', 'titration', 16, 15, false],
    // Worked example 10: cerebral maintenance, ±20%.
    ['400', '480', 'cerebral', 'maintenance', 20, 20, true],
    ['400', '320', 'cerebral', 'maintenance', -20, -20, true],
    ['400', '319', 'cerebral', 'maintenance', -20.25, -20, false],
  ];
  for (const [current, proposed, origin, phase, changePercent, limitPercent, withinLimit] of cases) {
    it(`${origin} ${phase} ${current} → ${proposed}: ${changePercent}% against ${limitPercent}%`, async () => {
      const { warnings, ...check } = await change(current, proposed, origin, phase);
      assert.deepEqual(check, { changePercent, limitPercent, withinLimit });
      // Beyond the limit is a warning (a reason is needed), within it none.
      assert.deepEqual(
        (warnings as { code: string }[]).map((w) => w.code),
        withinLimit ? [] : ['DOSE_CHANGE_BEYOND_LIMIT'],
      );
    });
  }

  it('prints readable text without --json', async () => {
    const r = await itbCalc([
      'dose-change',
      '--current',
      '100',
      '--proposed',
      '131',
      '--origin',
      'spinal',
      '--phase',
      'titration',
    ]);
    assert.equal(
      r.stdout,
      'Change: 31% (limit 30% for spinal origin in titration): beyond the limit; needs a written reason\n' +
        'Warning: The daily dose changes by 31% against the dose 24 hours ago, beyond the 30% limit ' +
        'for spinal origin in titration\n',
    );
  });

  it('refuses an unknown origin or phase, and doses in mg, naming each option', async () => {
    const base = [
      'dose-change',
      '--current',
      '100',
      '--proposed',
      '130',
      '--origin',
      'spinal',
      '--phase',
      'titration',
    ];
    await refused(withOption(base, '--origin', 'brain'), '--origin: must be spinal or cerebral');
    await refused(withOption(base, '--phase', 'weaning'), '--phase: must be titration or maintenance');
    await refused(
      withOption(base, '--current', '0.1'),
      '--current: Current daily dose',
      'looks like milligrams',
    );
    await refused(withOption(base, '--proposed', '0'), '--proposed: ');
    await refused(withOption(base, '--proposed', '130mcg'), '--proposed: give');
    await refused(withOption(base, '--phase', null), '--phase');
  });
});

const steps = (...s: string[]) => s.flatMap((x) => ['--step', x]);

describe('itb calc daily-dose', () => {
  it('worked example 15: 22:00–06:00 at 20, rest at 10, 2000 mcg/mL → 320 mcg, 0.16 mL/day', async () => {
    assert.deepEqual(
      await json(['daily-dose', ...steps('22:00-06:00=20', '06:00-22:00=10'), '--concentration', '2000']),
      {
        dailyDoseMcg: 320,
        dailyVolumeMl: 0.16,
        steps: [
          { start: '22:00', end: '06:00', rateMcgPerHour: 20 },
          { start: '06:00', end: '22:00', rateMcgPerHour: 10 },
        ],
        bolus: null,
        // 8 × 20 = 160 and 16 × 10 = 160 mcg: each step is 50 % of the day, over the usual 25 %;
        // only the night step runs above the mean rate, 320 ÷ 24 = 13.33 mcg/h.
        warnings: [
          {
            code: 'FLEX_STEP_LARGE_SHARE',
            field: '--step',
            message:
              'Of the day’s 320 mcg, the step from 22:00 to 06:00 gives 160 mcg (50%) at 20 mcg/h: more than the usual 25% for one step, at a rate above the day’s mean of 13.33 mcg/h',
          },
        ],
      },
    );
  });

  it('accepts a single 24-hour step and 13 steps', async () => {
    const one = await json(['daily-dose', ...steps('00:00-00:00=12.5'), '--concentration', '500']);
    assert.equal(one.dailyDoseMcg, 300);
    assert.equal(one.dailyVolumeMl, 0.6);
    const thirteen = [...Array(12).keys()].map(
      (h) => `${String(h).padStart(2, '0')}:00-${String(h + 1).padStart(2, '0')}:00=10`,
    );
    const r = await json(['daily-dose', ...steps(...thirteen, '12:00-00:00=10'), '--concentration', '2000']);
    assert.equal(r.dailyDoseMcg, 240);
  });

  it('prints readable text without --json', async () => {
    const r = await itbCalc([
      'daily-dose',
      ...steps('22:00-06:00=20', '06:00-22:00=10'),
      '--concentration',
      '2000',
    ]);
    assert.equal(
      r.stdout,
      'Daily dose: 320 mcg/day over 2 steps\nDaily volume: 0.16 mL/day at 2000 mcg/mL\n' +
        'Warning: Of the day’s 320 mcg, the step from 22:00 to 06:00 gives 160 mcg (50%) at 20 mcg/h: ' +
        'more than the usual 25% for one step, at a rate above the day’s mean of 13.33 mcg/h\n',
    );
  });

  it('refuses overlapping steps, naming --step', async () => {
    await refused(
      ['daily-dose', ...steps('22:00-06:00=20', '05:00-22:00=10'), '--concentration', '2000'],
      /--step: Steps must follow each other with no gap or overlap/,
    );
  });

  it('refuses steps with a gap, naming --step', async () => {
    await refused(
      ['daily-dose', ...steps('22:00-06:00=20', '06:00-21:00=10'), '--concentration', '2000'],
      /--step: Steps must follow each other with no gap or overlap/,
    );
  });

  it('refuses 14 steps, naming --step', async () => {
    const fourteen = [...Array(13).keys()].map(
      (h) => `${String(h).padStart(2, '0')}:00-${String(h + 1).padStart(2, '0')}:00=10`,
    );
    await refused(
      ['daily-dose', ...steps(...fourteen, '13:00-00:00=10'), '--concentration', '2000'],
      '--step: A day can have at most 13 steps',
    );
  });

  it('refuses no steps, a malformed step and a zero rate, naming --step and the value', async () => {
    await refused(['daily-dose', '--concentration', '2000'], '--step: Add at least one step');
    await refused(
      ['daily-dose', ...steps('22:00-6:00=20', '06:00-22:00=10'), '--concentration', '2000'],
      '--step: give each step as HH:MM-HH:MM=MCG_PER_H',
      '"22:00-6:00=20"',
    );
    await refused(
      ['daily-dose', ...steps('00:00-00:00=2mg'), '--concentration', '2000'],
      '"00:00-00:00=2mg"',
    );
    await refused(['daily-dose', ...steps('00:00-00:00=0'), '--concentration', '2000'], '--step: the rate');
  });

  it('refuses a concentration in mg/mL or malformed, naming --concentration', async () => {
    await refused(
      ['daily-dose', ...steps('00:00-00:00=10'), '--concentration', '2'],
      '--concentration: Concentration must be in micrograms per mL (mcg/mL), at least 10: 2 looks like milligrams per mL',
    );
    await refused(
      ['daily-dose', ...steps('00:00-00:00=10'), '--concentration', 'abc'],
      '--concentration: give',
    );
    await refused(['daily-dose', ...steps('00:00-00:00=10')], '--concentration');
  });
});
