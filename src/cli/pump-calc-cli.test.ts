import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli } from './main.ts';

/**
 * Runs `itb calc ARGS` in this process through the real command line (runCli, as bin/itb.js
 * does), capturing standard output and standard error.
 */
async function itbCalc(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = (chunk: string) => {
    stdout += chunk;
    return true;
  };
  process.stderr.write = (chunk: string) => {
    stderr += chunk;
    return true;
  };
  try {
    const code = await runCli(['calc', ...args]);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

/** Runs the command with --json and returns the parsed object, failing on any error output. */
async function json(args: string[]): Promise<Record<string, unknown>> {
  const r = await itbCalc([...args, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.ok(r.stdout.endsWith('}\n'), 'one JSON object on one line');
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

/** Bad input: a non-zero exit, every named option in standard error, nothing on standard output. */
async function refused(args: string[], ...expected: (string | RegExp)[]): Promise<string> {
  const r = await itbCalc([...args, '--json']);
  assert.notEqual(r.code, 0, `exit code for ${args.join(' ')}`);
  assert.equal(r.stdout, '', 'nothing printed on standard output');
  for (const e of expected) {
    if (typeof e === 'string') {
      assert.ok(r.stderr.includes(e), `standard error names ${e}:\n${r.stderr}`);
    } else {
      assert.match(r.stderr, e);
    }
  }
  return r.stderr;
}

/** Replaces (or, with null, removes) one option's value in an argument list. */
function withOption(args: readonly string[], option: string, value: string | null): string[] {
  const i = args.indexOf(option);
  assert.ok(i >= 0, `${option} is in the base arguments`);
  const copy = [...args];
  copy.splice(i, 2, ...(value === null ? [] : [option, value]));
  return copy;
}

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

describe('itb calc refill', () => {
  it('worked example 4: 0.3 mL/day, 60 days, alarm 2025-03-07, due 2025-02-28 (alarm)', async () => {
    assert.deepEqual(await json(example4), {
      dailyVolumeMl: 0.3,
      daysToAlarm: 60,
      alarmDate: '2025-03-07',
      refillDueBy: '2025-02-28',
      // A Friday and no bank holiday: it stays.
      refillDueByWorkingDay: '2025-02-28',
      limitedBy: 'alarm',
      bufferDays: 7,
      maxIntervalDays: 180,
      warnings: [],
    });
  });

  it('worked example 5: limited by stability, due 180 days after the fill, moved off a Saturday', async () => {
    const r = await json([
      'refill',
      '--reservoir-ml',
      '40',
      '--fill-ml',
      '40',
      '--concentration',
      '2000',
      '--dose',
      '300',
      '--alarm-ml',
      '2',
      '--filled-on',
      '2025-01-06',
    ]);
    assert.deepEqual(r, {
      dailyVolumeMl: 0.15,
      daysToAlarm: 253.33,
      alarmDate: '2025-09-16',
      refillDueBy: '2025-07-05',
      refillDueByWorkingDay: '2025-07-04',
      limitedBy: 'stability',
      bufferDays: 7,
      maxIntervalDays: 180,
      warnings: [],
    });
  });

  it('moves a due date on a bank holiday to the working day before (Easter Monday 2025)', async () => {
    // 60 days to alarm from 2025-02-25 is 2025-04-26; 5 days' buffer gives Monday 21 April.
    const r = await json([...withOption(example4, '--filled-on', '2025-02-25'), '--buffer-days', '5']);
    assert.equal(r.refillDueBy, '2025-04-21');
    // Good Friday 18 April and the weekend are closed too: Thursday 17 April.
    assert.equal(r.refillDueByWorkingDay, '2025-04-17');
  });

  it('takes --buffer-days and --max-interval-days over the defaults', async () => {
    const r = await json([...example4, '--buffer-days', '14', '--max-interval-days', '30']);
    assert.equal(r.refillDueBy, '2025-02-05');
    assert.equal(r.limitedBy, 'stability');
    const b = await json([...example4, '--buffer-days', '14']);
    assert.equal(b.refillDueBy, '2025-02-21');
  });

  it('rounds the daily volume to 4 decimals and days to alarm to 2', async () => {
    // 7 mcg/day at 3000 mcg/mL is 0.002333… mL/day, 7714.2857… days to the alarm.
    const long = await json(withOption(withOption(example4, '--dose', '7'), '--concentration', '3000'));
    assert.equal(long.dailyVolumeMl, 0.0023);
    assert.equal(long.daysToAlarm, 7714.29);
  });

  it('prints readable text without --json', async () => {
    const r = await itbCalc(example4);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Daily volume: 0\.3 mL\/day\n/);
    assert.match(r.stdout, /Refill due by: 2025-02-28, 7 days before the alarm\n$/);
  });

  it('refuses a volume above the reservoir, naming --fill-ml', async () => {
    await refused(
      withOption(example4, '--fill-ml', '25'),
      /--fill-ml: .*must not be more than the reservoir/,
    );
  });

  it('refuses a zero concentration, naming --concentration', async () => {
    await refused(withOption(example4, '--concentration', '0'), /--concentration: Concentration must be/);
  });

  it('refuses mg typed for mcg (concentration 2, dose 0.4), naming both options', async () => {
    await refused(
      withOption(withOption(example4, '--concentration', '2'), '--dose', '0.4'),
      /--concentration: Concentration must be in micrograms per mL \(mcg\/mL\), at least 10: 2 looks like milligrams per mL/,
      /--dose: Daily dose must be in micrograms \(mcg\), at least 1: 0\.4 looks like milligrams/,
    );
  });

  it('refuses an alarm volume at or above the fill, naming --alarm-ml', async () => {
    await refused(withOption(example4, '--alarm-ml', '20'), '--alarm-ml: ');
  });

  it('refuses a malformed or impossible date, naming --filled-on', async () => {
    await refused(withOption(example4, '--filled-on', '06/01/2025'), '--filled-on: must be a real date');
    await refused(withOption(example4, '--filled-on', '2025-02-29'), '--filled-on: must be a real date');
  });

  for (const bad of ['2mg', '', 'abc', '1e3', '-5', '0x10', '.5']) {
    it(`refuses the number "${bad}", naming the option`, async () => {
      await refused(withOption(example4, '--reservoir-ml', bad), `--reservoir-ml: give the reservoir size`);
    });
  }

  it('reports every badly typed option at once', async () => {
    const stderr = await refused(
      withOption(withOption(example4, '--dose', 'abc'), '--alarm-ml', '2 mL'),
      '--dose: ',
      '--alarm-ml: ',
    );
    assert.equal(stderr.trim().split('\n').length, 2);
  });

  it('refuses a fractional or out-of-range buffer, naming --buffer-days and --max-interval-days', async () => {
    await refused([...example4, '--buffer-days', '1.5'], '--buffer-days: Buffer must be a whole number');
    await refused([...example4, '--max-interval-days', '400'], '--max-interval-days: Longest interval');
  });

  it('refuses a missing required option, naming it', async () => {
    await refused(withOption(example4, '--fill-ml', null), '--fill-ml');
  });
});

const example11 = [
  'residual',
  '--fill-ml',
  '20',
  '--filled-on',
  '2025-01-01',
  '--daily-volume-ml',
  '0.25',
  '--on',
  '2025-02-26',
  '--withdrawn-ml',
  '4.2',
  '--reservoir-ml',
  '20',
];

/** The residual output's figures (it also carries flags and warnings, checked by code). */
const FIGURES = [
  'elapsedDays',
  'expectedMl',
  'discrepancyMl',
  'discrepancyPercent',
  'thresholdMl',
  'flagged',
];
function figures(r: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(FIGURES.map((k) => [k, r[k]]));
}
const flagCodes = (r: Record<string, unknown>) => (r.flags as { code: string }[]).map((f) => f.code);

describe('itb calc residual', () => {
  it('worked example 11: expected 6, discrepancy −1.8 mL (−30%), flagged at 1 mL', async () => {
    const r = await json(example11);
    assert.deepEqual(figures(r), {
      elapsedDays: 56,
      expectedMl: 6,
      discrepancyMl: -1.8,
      discrepancyPercent: -30,
      thresholdMl: 1,
      flagged: true,
    });
    assert.deepEqual(flagCodes(r), ['RESIDUAL_DISCREPANCY']);
  });

  it('worked example 12: expected 12, discrepancy −2.5 mL (−20.83%), flagged at 2 mL', async () => {
    const r = await json([
      'residual',
      '--fill-ml',
      '40',
      '--filled-on',
      '2025-01-01',
      '--daily-volume-ml',
      '0.2',
      '--on',
      '2025-05-21', // 140 days
      '--withdrawn-ml',
      '9.5',
      '--reservoir-ml',
      '40',
    ]);
    assert.deepEqual(figures(r), {
      elapsedDays: 140,
      expectedMl: 12,
      discrepancyMl: -2.5,
      discrepancyPercent: -20.83,
      thresholdMl: 2,
      flagged: true,
    });
  });

  it('gives a null percentage when nothing was expected, and 1 mL exactly is not a discrepancy', async () => {
    // Nothing is expected only once the fill has run out (20 mL at 0.25 mL/day: 80 days), so the
    // refill is flagged: the pump ran dry. The 1 mL drawn back is not a discrepancy.
    const empty = await json(withOption(withOption(example11, '--on', '2025-06-01'), '--withdrawn-ml', '1'));
    assert.equal(empty.expectedMl, 0);
    assert.equal(empty.discrepancyPercent, null);
    assert.equal(empty.discrepancyMl, 1);
    assert.deepEqual(flagCodes(empty), ['RAN_DRY']);
    // 6 mL expected, 7 mL withdrawn: exactly 1 mL (16.67 %), not flagged.
    const exactly = await json(withOption(example11, '--withdrawn-ml', '7'));
    assert.equal(exactly.discrepancyMl, 1);
    assert.equal(exactly.flagged, false);
  });

  it('prints readable text without --json', async () => {
    const r = await itbCalc(example11);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Expected residual: 6 mL after 56 days\n/);
    assert.match(r.stdout, /-1\.8 mL \(-30%\)/);
    assert.match(r.stdout, /Flagged/);
  });

  it('refuses a withdrawn volume above the reservoir, naming --withdrawn-ml', async () => {
    await refused(withOption(example11, '--withdrawn-ml', '21'), '--withdrawn-ml: Volume withdrawn (21 mL)');
  });

  it('refuses a fill above the reservoir, naming --fill-ml', async () => {
    await refused(withOption(example11, '--fill-ml', '20.5'), '--fill-ml: ');
  });

  it('refuses a withdrawal dated before the fill, naming --on', async () => {
    await refused(withOption(example11, '--on', '2024-12-31'), '--on: ');
  });

  it('refuses a zero daily volume and a zero reservoir', async () => {
    await refused(withOption(example11, '--daily-volume-ml', '0'), '--daily-volume-ml: ');
    await refused(withOption(example11, '--reservoir-ml', '0'), '--reservoir-ml: ');
  });

  it('refuses malformed numbers and dates, and missing options, naming each', async () => {
    await refused(withOption(example11, '--withdrawn-ml', '4,2'), '--withdrawn-ml: give');
    await refused(withOption(example11, '--on', '2025-13-01'), '--on: must be a real date');
    await refused(withOption(example11, '--reservoir-ml', null), '--reservoir-ml');
  });
});

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
        // 8 × 20 = 160 and 16 × 10 = 160 mcg: each step is 50 % of the day, over the usual 25 %.
        warnings: [
          {
            code: 'FLEX_STEP_LARGE_SHARE',
            field: '--step',
            message:
              'Of the day’s 320 mcg, the step from 22:00 to 06:00 gives 160 mcg (50%) and the step from 06:00 to 22:00 gives 160 mcg (50%): more than the usual 25% for one step',
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
        'Warning: Of the day’s 320 mcg, the step from 22:00 to 06:00 gives 160 mcg (50%) and the step ' +
        'from 06:00 to 22:00 gives 160 mcg (50%): more than the usual 25% for one step\n',
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

describe('itb calc through the real process', () => {
  const bin = fileURLToPath(new URL('../../bin/itb.js', import.meta.url));
  const itb = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [bin, 'calc', ...args], {
      encoding: 'utf8',
      env: { ...process.env, REFILL_BUFFER_DAYS: undefined, REFILL_MAX_INTERVAL_DAYS: undefined, ...env },
    });

  it('REFILL_BUFFER_DAYS=10 in the environment changes the default buffer', () => {
    const plain = itb([...example4, '--json']);
    assert.equal(plain.status, 0, plain.stderr);
    assert.equal((JSON.parse(plain.stdout) as { refillDueBy: string }).refillDueBy, '2025-02-28');
    const r = itb([...example4, '--json'], { REFILL_BUFFER_DAYS: '10' });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { refillDueBy: string; bufferDays: number };
    assert.equal(out.bufferDays, 10);
    assert.equal(out.refillDueBy, '2025-02-25');
    // An explicit --buffer-days still wins over the setting.
    const explicit = itb([...example4, '--buffer-days', '7', '--json'], { REFILL_BUFFER_DAYS: '10' });
    assert.equal((JSON.parse(explicit.stdout) as { refillDueBy: string }).refillDueBy, '2025-02-28');
  });

  it('SERVICE_CLOSED_DAYS moves the working due date', () => {
    const r = itb([...example4, '--json'], { SERVICE_CLOSED_DAYS: '2025-02-28' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(
      (JSON.parse(r.stdout) as { refillDueByWorkingDay: string }).refillDueByWorkingDay,
      '2025-02-27',
    );
  });

  it('exits non-zero with the message on standard error and nothing on standard output', () => {
    const r = itb(withOption(example4, '--concentration', '0'));
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^--concentration: /);
  });
});
