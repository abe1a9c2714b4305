import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from './main.ts';

/**
 * `itb calc start-dose` against the test-dose limits: a test dose above the ladder's top rung
 * (100 mcg by default) is refused naming --test-dose, so the starting dose is never more than
 * twice it (200 mcg/day); the effect is bounded by MAX_EFFECT_HOURS (48); a dose off the ladder
 * is worked out and reported as a BOLUS_OFF_LADDER warning.
 */
async function itbCalc(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const saved = new Map(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  process.stdout.write = (chunk: string) => {
    stdout += chunk;
    return true;
  };
  process.stderr.write = (chunk: string) => {
    stderr += chunk;
    return true;
  };
  try {
    const code = await runCli(['calc', 'start-dose', ...args]);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    for (const [k, v] of saved) {
      if (v === undefined) {
        Reflect.deleteProperty(process.env, k);
      } else {
        process.env[k] = v;
      }
    }
  }
}

const json = async (args: string[], env: Record<string, string> = {}) => {
  const r = await itbCalc([...args, '--json'], env);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  return JSON.parse(r.stdout) as Record<string, unknown>;
};

describe('itb calc start-dose limits', () => {
  it('--test-dose 3000 --effect-hours 4 exits non-zero with a line starting --test-dose:', async () => {
    const r = await itbCalc(['--test-dose', '3000', '--effect-hours', '4']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr,
      /^--test-dose: Test dose must be 100 mcg or less: 100 mcg is the top of the screening ladder/m,
    );
  });

  // test dose, refused?
  const table: [string, boolean][] = [
    ['100', false], // the top rung
    ['100.5', true],
    ['125', true],
    ['3000', true],
  ];
  for (const [dose, refusedIt] of table) {
    it(`--test-dose ${dose} is ${refusedIt ? 'refused (exit 2, naming --test-dose)' : 'worked out'}`, async () => {
      const r = await itbCalc(['--test-dose', dose, '--effect-hours', '4', '--json']);
      if (refusedIt) {
        assert.equal(r.code, 2);
        assert.match(r.stderr, /^--test-dose: /m);
      } else {
        assert.equal(r.code, 0, r.stderr);
      }
    });
  }

  it('100 mcg with a 4 h effect gives the most a starting dose may be: 100 × 2 = 200 mcg/day, 8.33 mcg/h', async () => {
    assert.deepEqual(await json(['--test-dose', '100', '--effect-hours', '4']), {
      dailyDoseMcg: 200,
      rule: 'double',
      hourlyRateMcg: 8.33, // 200 ÷ 24 = 8.333…
      warnings: [],
    });
  });

  it('100 mcg with a 10 h effect gives the dose itself: 100 mcg/day', async () => {
    const r = await json(['--test-dose', '100', '--effect-hours', '10']);
    assert.equal(r.dailyDoseMcg, 100);
    assert.equal(r.rule, 'same');
  });

  it('reports 60 mcg, off the ladder, with a BOLUS_OFF_LADDER warning: 60 × 2 = 120 mcg/day', async () => {
    assert.deepEqual(await json(['--test-dose', '60', '--effect-hours', '4']), {
      dailyDoseMcg: 120,
      rule: 'double',
      hourlyRateMcg: 5, // 120 ÷ 24
      warnings: [
        {
          code: 'BOLUS_OFF_LADDER',
          // The option a person typed, as in every `itb calc` warning.
          field: '--test-dose',
          message: 'Test dose 60 mcg is not a dose on the screening ladder (50, 75, 100 mcg)',
        },
      ],
    });
    const text = await itbCalc(['--test-dose', '60', '--effect-hours', '4']);
    assert.match(
      text.stdout,
      /Warning \(BOLUS_OFF_LADDER\): Test dose 60 mcg is not a dose on the screening ladder/,
    );
  });

  it('bounds --effect-hours by 48 hours, the same bound as the observations, and refuses 0', async () => {
    assert.equal((await json(['--test-dose', '50', '--effect-hours', '48'])).rule, 'same');
    for (const hours of ['48.5', '72', '0']) {
      const r = await itbCalc(['--test-dose', '50', '--effect-hours', hours]);
      assert.equal(r.code, 2, hours);
      assert.match(
        r.stderr,
        /^--effect-hours: The effect must have lasted more than 0 and at most 48 hours/m,
      );
    }
  });

  it('names both options at once when both are wrong', async () => {
    const r = await itbCalc(['--test-dose', '3000', '--effect-hours', '72']);
    assert.match(r.stderr, /^--test-dose: /m);
    assert.match(r.stderr, /^--effect-hours: /m);
  });

  it('takes the top rung from TEST_DOSE_LADDER_MCG: with 25,50 a 75 mcg test dose is refused', async () => {
    const r = await itbCalc(['--test-dose', '75', '--effect-hours', '4'], { TEST_DOSE_LADDER_MCG: '25,50' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^--test-dose: Test dose must be 50 mcg or less/m);
    assert.equal(
      (await json(['--test-dose', '50', '--effect-hours', '4'], { TEST_DOSE_LADDER_MCG: '25,50' }))
        .dailyDoseMcg,
      100,
    );
  });
});
