import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { PlainDate } from './calendar-date.ts';
import type { MasEntry, MasGrade } from './outcome-measures.ts';
import { DEFAULT_PUMP_RULES, type TestDoseRules } from './pump-rules.ts';
import { round2 } from './refill-arithmetic.ts';
import {
  bolusVolumeMl,
  earliestNextBolusAt,
  episodeStateAfterResult,
  formatInstant,
  instantFromLocal,
  intervalKept,
  isLastRung,
  masPoints,
  nextLadderDoseMcg,
  parseInstant,
  preCheckBlockers,
  testDoseSuggestion,
  validateBolusInput,
  validateObservationInput,
  validatePreChecks,
  validateResultInput,
  type BolusContext,
  type PreChecks,
  type TestDoseSuggestion,
} from './test-dose.ts';

const RULES = DEFAULT_PUMP_RULES.testDose;
const PLAUSIBLE = DEFAULT_PUMP_RULES.hardLimits;
const TZ = 'Europe/London';

const fieldsOf = (r: { ok: boolean; errors?: readonly { field: string }[] }) =>
  r.ok ? [] : (r.errors ?? []).map((e) => e.field);

const errorOn = (
  r: { ok: true } | { ok: false; errors: readonly { field: string; message: string }[] },
  field: string,
): string => {
  assert.equal(r.ok, false, `expected an error on ${field}`);
  const hit = r.errors.find((e) => e.field === field);
  assert.ok(hit, `expected an error on ${field}: ${JSON.stringify(r)}`);
  return hit.message;
};

describe('worked example 18: screening volumes at 50 mcg/mL', () => {
  const table = [
    { doseMcg: 50, volumeMl: 1.0 },
    { doseMcg: 75, volumeMl: 1.5 },
    { doseMcg: 100, volumeMl: 2.0 },
  ];
  for (const row of table) {
    it(`${row.doseMcg} mcg → ${row.volumeMl} mL`, () => {
      assert.equal(bolusVolumeMl(row.doseMcg, RULES.screeningConcentrationMcgPerMl), row.volumeMl);
    });
  }

  it('walks the default ladder 50 → 75 → 100 → none, each at least 24 h apart', () => {
    assert.deepEqual(RULES.ladderMcg, [50, 75, 100]);
    const doses: number[] = [];
    let previous: number | null = null;
    for (;;) {
      const next = nextLadderDoseMcg(RULES.ladderMcg, previous);
      if (next === null) {
        break;
      }
      doses.push(next);
      previous = next;
    }
    assert.deepEqual(doses, [50, 75, 100]);
    assert.equal(earliestNextBolusAt('2026-11-20T10:00:00.000Z', RULES), '2026-11-21T10:00:00.000Z');
  });

  it('property: volume × concentration gives back the dose (to far below 0.01 mL)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 3000, noNaN: true }),
        fc.double({ min: 10, max: 3000, noNaN: true }),
        (doseMcg, concentration) => {
          const v = bolusVolumeMl(doseMcg, concentration);
          assert.ok(Math.abs(v * concentration - doseMcg) <= doseMcg * 1e-12);
          // The volume shown (to 0.01 mL) is within half a hundredth of the exact one.
          assert.ok(Math.abs(round2(v) - v) <= 0.005 + 1e-12);
        },
      ),
    );
  });
});

describe('the ladder', () => {
  const table: [readonly number[], number | null, number | null][] = [
    [[50, 75, 100], null, 50],
    [[50, 75, 100], 50, 75],
    [[50, 75, 100], 75, 100],
    [[50, 75, 100], 100, null],
    // After 25 mcg for a small child [CHEO], the ladder resumes at its next rung.
    [[50, 75, 100], 25, 50],
    // Bristol skipped 75 and gave 100 [BRIS-TD]: nothing above it.
    [[50, 75, 100], 150, null],
    // The ladder is configuration.
    [[25, 50, 100], 25, 50],
    [[], null, null],
  ];
  for (const [ladder, previous, expected] of table) {
    it(`[${ladder.join(', ')}] after ${String(previous)} → ${String(expected)}`, () => {
      assert.equal(nextLadderDoseMcg(ladder, previous), expected);
    });
  }

  it('knows the last rung', () => {
    assert.equal(isLastRung(75, RULES.ladderMcg), false);
    assert.equal(isLastRung(100, RULES.ladderMcg), true);
    assert.equal(isLastRung(150, RULES.ladderMcg), true);
  });

  it('negative below the last rung stays open; at or above it is not for implant; positive closes', () => {
    assert.equal(episodeStateAfterResult('negative', 50, RULES), 'open');
    assert.equal(episodeStateAfterResult('negative', 75, RULES), 'open');
    assert.equal(episodeStateAfterResult('negative', 100, RULES), 'not-for-implant');
    assert.equal(episodeStateAfterResult('negative', 150, RULES), 'not-for-implant');
    assert.equal(episodeStateAfterResult('positive', 50, RULES), 'positive');
    assert.equal(
      episodeStateAfterResult('negative', 75, { ...RULES, ladderMcg: [25, 50, 75] }),
      'not-for-implant',
    );
  });
});

describe('local times and the 24-hour rule', () => {
  const at = (date: string, time: string) => {
    const r = instantFromLocal('givenAt', 'Time given', date as PlainDate, time, TZ);
    assert.ok('instant' in r, JSON.stringify(r));
    return r.instant;
  };

  it('turns London wall time into UTC instants, BST and GMT', () => {
    assert.equal(at('2026-10-24', '10:00'), '2026-10-24T09:00:00.000Z');
    assert.equal(at('2026-10-25', '09:30'), '2026-10-25T09:30:00.000Z');
    assert.equal(at('2026-12-01', '9.05'), '2026-12-01T09:05:00.000Z');
    assert.equal(formatInstant('2026-10-24T09:00:00.000Z', TZ), '10:00 on 24 October 2026 (BST)');
    assert.equal(formatInstant('2026-10-25T09:30:00.000Z', TZ), '09:30 on 25 October 2026 (GMT)');
  });

  it('refuses a time skipped when the clocks go forward (29 March 2026, 01:00–02:00)', () => {
    const r = instantFromLocal('givenAt', 'Time given', '2026-03-29' as PlainDate, '01:30', TZ);
    assert.ok('error' in r);
    assert.equal(r.error.field, 'givenAt');
    assert.match(r.error.message, /does not exist because the clocks go forward/);
    assert.equal(at('2026-03-29', '02:00'), '2026-03-29T01:00:00.000Z');
  });

  it('refuses a time that happens twice when the clocks go back, unless the offset says which', () => {
    const r = instantFromLocal('givenAt', 'Time given', '2026-10-25' as PlainDate, '01:30', TZ);
    assert.ok('error' in r);
    assert.match(r.error.message, /happens twice/);
    assert.match(
      r.error.message,
      /01:30\+01:00 for the first \(BST\) or 01:30\+00:00 for the second \(GMT\)/,
    );
    assert.equal(at('2026-10-25', '01:30+01:00'), '2026-10-25T00:30:00.000Z');
    assert.equal(at('2026-10-25', '01:30+00:00'), '2026-10-25T01:30:00.000Z');
    const wrong = instantFromLocal('givenAt', 'Time given', '2026-10-25' as PlainDate, '01:30+02:00', TZ);
    assert.ok('error' in wrong);
    assert.match(wrong.error.message, /not a time that happens/);
  });

  it('refuses times that are not times', () => {
    for (const t of ['25:00', '10:60', 'ten', '', '1000']) {
      const r = instantFromLocal('givenAt', 'Time given', '2026-11-20' as PlainDate, t, TZ);
      assert.ok('error' in r, t);
      assert.match(r.error.message, /24-hour clock/);
    }
  });

  it('accepts only instants with an offset from the API', () => {
    assert.equal(parseInstant('2026-10-25T09:30:00Z'), '2026-10-25T09:30:00.000Z');
    assert.equal(parseInstant('2026-10-24T10:00:00+01:00'), '2026-10-24T09:00:00.000Z');
    assert.equal(parseInstant('2026-10-25T09:30'), null);
    assert.equal(parseInstant('2026-02-30T10:00:00Z'), null);
    assert.equal(parseInstant('yesterday'), null);
  });

  it('measures the interval between instants: 23:59 refused, 24:00 allowed', () => {
    const prev = '2026-11-20T10:00:00.000Z';
    assert.equal(intervalKept(prev, '2026-11-21T09:59:00.000Z', RULES), false);
    assert.equal(intervalKept(prev, '2026-11-21T09:59:59.999Z', RULES), false);
    assert.equal(intervalKept(prev, '2026-11-21T10:00:00.000Z', RULES), true);
    assert.equal(intervalKept(prev, '2026-11-19T10:00:00.000Z', RULES), false);
    assert.equal(intervalKept(prev, '2026-11-20T22:00:00.000Z', { ...RULES, minIntervalHours: 12 }), true);
  });

  it('across the October clock change: 10:00 BST to 09:30 GMT next day is 24.5 h, allowed', () => {
    const prev = at('2026-10-24', '10:00');
    const next = at('2026-10-25', '09:30');
    assert.equal((Date.parse(next) - Date.parse(prev)) / 3_600_000, 24.5);
    assert.equal(intervalKept(prev, next, RULES), true);
    // 08:59 GMT is 23 h 59 min later even though the wall clock says 22 h 59 min.
    assert.equal(intervalKept(prev, at('2026-10-25', '08:59'), RULES), false);
    assert.equal(formatInstant(earliestNextBolusAt(prev, RULES), TZ), '09:00 on 25 October 2026 (GMT)');
  });

  it('across the March clock change: 10:00 GMT to 10:00 BST next day is only 23 h, refused', () => {
    const prev = at('2026-03-28', '10:00');
    const next = at('2026-03-29', '10:00');
    assert.equal((Date.parse(next) - Date.parse(prev)) / 3_600_000, 23);
    assert.equal(intervalKept(prev, next, RULES), false);
    assert.equal(formatInstant(earliestNextBolusAt(prev, RULES), TZ), '11:00 on 29 March 2026 (BST)');
    assert.equal(intervalKept(prev, at('2026-03-29', '11:00'), RULES), true);
  });
});

describe('validateBolusInput', () => {
  const ctx: BolusContext = {
    rules: RULES,
    hardLimits: PLAUSIBLE,
    now: '2026-11-24T10:00:00.000Z',
    timeZone: TZ,
    previousDoseMcg: null,
    latestGivenAt: null,
    giver: { displayName: 'Cora Consultant', username: 'cora' },
  };
  const first = {
    doseMcg: 50,
    route: 'lumbar-puncture',
    givenAt: '2026-11-24T09:00:00Z',
    checkedBy: 'Nina Nurse',
  };

  it('accepts the first rung at the screening strength, defaulting the concentration', () => {
    const r = validateBolusInput(first, ctx);
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.value.concentrationMcgPerMl, 50);
    assert.equal(r.value.givenAt, '2026-11-24T09:00:00.000Z');
  });

  it('refuses 0.05 as milligrams typed for micrograms', () => {
    assert.match(
      errorOn(validateBolusInput({ ...first, doseMcg: 0.05 }, ctx), 'doseMcg'),
      /looks like milligrams/,
    );
  });

  it('refuses mg/mL typed for mcg/mL, and a non-screening strength without a reason', () => {
    const mg = validateBolusInput({ ...first, concentrationMcgPerMl: 0.05 }, ctx);
    assert.match(errorOn(mg, 'concentrationMcgPerMl'), /looks like (mg\/mL|milligrams per mL)/);
    const strong = validateBolusInput({ ...first, concentrationMcgPerMl: 500 }, ctx);
    assert.match(errorOn(strong, 'concentrationReason'), /not the 50 mcg\/mL screening strength/);
    const reasoned = validateBolusInput(
      { ...first, concentrationMcgPerMl: 500, concentrationReason: 'Only 500 mcg/mL in stock; 0.1 mL' },
      ctx,
    );
    assert.ok(reasoned.ok);
  });

  it('refuses a dose off the ladder without a reason, and accepts it with one', () => {
    const skip = validateBolusInput({ ...first, doseMcg: 75 }, ctx);
    assert.match(errorOn(skip, 'offLadderReason'), /not the next step of the screening ladder \(50 mcg\)/);
    const child = validateBolusInput({ ...first, doseMcg: 25, offLadderReason: 'Small child [CHEO]' }, ctx);
    assert.ok(child.ok);
    const after50 = { ...ctx, previousDoseMcg: 50, latestGivenAt: '2026-11-23T09:00:00.000Z' };
    assert.ok(validateBolusInput({ ...first, doseMcg: 75 }, after50).ok);
    assert.equal(fieldsOf(validateBolusInput({ ...first, doseMcg: 100 }, after50))[0], 'offLadderReason');
    assert.ok(
      validateBolusInput({ ...first, doseMcg: 100, offLadderReason: 'Bristol protocol' }, after50).ok,
    );
    // Beyond the ladder but within the hard limit (after an off-ladder 90 mcg, 100 is the next
    // rung; after 100 nothing is): a reason is needed.
    const after100 = { ...ctx, previousDoseMcg: 100, latestGivenAt: '2026-11-23T09:00:00.000Z' };
    assert.match(
      errorOn(validateBolusInput({ ...first, doseMcg: 100 }, after100), 'offLadderReason'),
      /beyond the last step of the screening ladder \(50, 75, 100 mcg\)/,
    );
  });

  it('refuses a time in the future', () => {
    assert.match(
      errorOn(validateBolusInput({ ...first, givenAt: '2026-11-24T10:00:01Z' }, ctx), 'givenAt'),
      /future/,
    );
    assert.ok(validateBolusInput({ ...first, givenAt: '2026-11-24T10:00:00Z' }, ctx).ok);
  });

  it('refuses a bolus within 24 h of the previous one, naming givenAt and the earliest time', () => {
    const c = { ...ctx, previousDoseMcg: 50, latestGivenAt: '2026-11-23T09:30:00.000Z' };
    const r = validateBolusInput({ ...first, doseMcg: 75, givenAt: '2026-11-24T09:29:00Z' }, c);
    assert.equal(
      errorOn(r, 'givenAt'),
      'Time given must be at least 24 hours after the previous bolus (given at 09:30 on 23 November 2026 (GMT)): the earliest allowed time is 09:30 on 24 November 2026 (GMT)',
    );
    assert.ok(validateBolusInput({ ...first, doseMcg: 75, givenAt: '2026-11-24T09:30:00Z' }, c).ok);
  });

  it('names every field with a problem at once, and refuses a local time without an offset', () => {
    const r = validateBolusInput(
      { doseMcg: 'fifty', route: 'iv', givenAt: '2026-11-24T09:00', checkedBy: 'Nina Nurse' },
      ctx,
    );
    assert.deepEqual(fieldsOf(r).sort(), ['doseMcg', 'givenAt', 'route']);
    assert.match(errorOn(r, 'givenAt'), /UTC offset/);
  });
});

describe('validateObservationInput', () => {
  const ctx = { rules: RULES, recordedHours: [0] };
  const obs = { hour: 2, mas: [{ muscleGroup: 'hip-adductors', side: 'left', grade: '1+' }] };

  it('accepts a configured hour with a grade', () => {
    const r = validateObservationInput(obs, ctx);
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.value.mas[0]?.grade, '1+');
  });

  it('refuses an hour that is not configured, and one already recorded, naming hour', () => {
    assert.match(
      errorOn(validateObservationInput({ ...obs, hour: 3 }, ctx), 'hour'),
      /one of 0, 2, 4, 6, 8 hours/,
    );
    assert.match(
      errorOn(validateObservationInput({ ...obs, hour: 0 }, ctx), 'hour'),
      /baseline.*already been recorded/i,
    );
    const custom = { rules: { ...RULES, observationHours: [0, 3] }, recordedHours: [] };
    assert.ok(validateObservationInput({ ...obs, hour: 3 }, custom).ok);
  });

  it('refuses a group graded twice, impossible vital signs, other without a note, and nothing at all', () => {
    const twice = validateObservationInput({ ...obs, mas: [obs.mas[0], { ...obs.mas[0], grade: '2' }] }, ctx);
    assert.match(errorOn(twice, 'mas.1.muscleGroup'), /more than once/);
    assert.match(
      errorOn(
        validateObservationInput({ ...obs, mas: [{ ...obs.mas[0], grade: '1.5' }] }, ctx),
        'mas.0.grade',
      ),
      /0, 1, 1\+/,
    );
    assert.match(
      errorOn(validateObservationInput({ ...obs, heartRateBpm: 300 }, ctx), 'heartRateBpm'),
      /20 to 250/,
    );
    assert.match(
      errorOn(validateObservationInput({ ...obs, spo2Percent: 101 }, ctx), 'spo2Percent'),
      /50 to 100/,
    );
    assert.match(
      errorOn(validateObservationInput({ ...obs, respiratoryRatePerMin: 3 }, ctx), 'respiratoryRatePerMin'),
      /4 to 60/,
    );
    assert.match(
      errorOn(
        validateObservationInput({ ...obs, systolicMmHg: 80, diastolicMmHg: 90 }, ctx),
        'diastolicMmHg',
      ),
      /lower than the systolic/,
    );
    assert.match(
      errorOn(validateObservationInput({ ...obs, sideEffects: ['other'] }, ctx), 'sideEffectNote'),
      /Describe the other side effect/,
    );
    assert.match(errorOn(validateObservationInput({ hour: 4 }, ctx), 'observation'), /at least one measure/);
    assert.ok(validateObservationInput({ hour: 4, sideEffects: ['drowsiness'] }, ctx).ok);
  });
});

describe('testDoseSuggestion', () => {
  const mas = (...grades: [string, string, MasGrade][]): MasEntry[] =>
    grades.map(([muscleGroup, side, grade]) => ({ muscleGroup, side, grade }) as MasEntry);
  const base = mas(['hip-adductors', 'left', '3'], ['hip-adductors', 'right', '3']);

  it('counts 1+ as 1.5 for the mean', () => {
    assert.deepEqual((['0', '1', '1+', '2', '3', '4'] as const).map(masPoints), [0, 1, 1.5, 2, 3, 4]);
  });

  const table: { name: string; obs: { hour: number; mas: MasEntry[] }[]; outcome: string; drop?: number }[] =
    [
      {
        name: 'a drop of exactly 2 is positive',
        obs: [
          { hour: 0, mas: base },
          { hour: 4, mas: mas(['hip-adductors', 'left', '1'], ['hip-adductors', 'right', '1']) },
        ],
        outcome: 'positive',
        drop: 2,
      },
      {
        name: 'a drop of 1.5 (3 → 1+) is negative',
        obs: [
          { hour: 0, mas: mas(['knee-extensors', 'left', '3']) },
          { hour: 4, mas: mas(['knee-extensors', 'left', '1+']) },
        ],
        outcome: 'negative',
        drop: 1.5,
      },
      {
        name: '1+ and 4 down to 0 and 1+ is a mean drop of exactly 2: positive',
        obs: [
          { hour: 0, mas: mas(['hip-adductors', 'left', '1+'], ['hip-adductors', 'right', '4']) },
          { hour: 4, mas: mas(['hip-adductors', 'left', '0'], ['hip-adductors', 'right', '1+']) },
        ],
        outcome: 'positive',
        drop: 2,
      },
      {
        name: 'three groups, total drop 5 (mean 1.67) is negative',
        obs: [
          {
            hour: 0,
            mas: mas(
              ['hip-adductors', 'left', '3'],
              ['hip-adductors', 'right', '3'],
              ['knee-extensors', 'left', '3'],
            ),
          },
          {
            hour: 4,
            mas: mas(
              ['hip-adductors', 'left', '1'],
              ['hip-adductors', 'right', '1'],
              ['knee-extensors', 'left', '2'],
            ),
          },
        ],
        outcome: 'negative',
      },
      {
        name: 'three groups, total drop 6 (mean exactly 2) is positive',
        obs: [
          {
            hour: 0,
            mas: mas(
              ['hip-adductors', 'left', '3'],
              ['hip-adductors', 'right', '3'],
              ['knee-extensors', 'left', '3'],
            ),
          },
          {
            hour: 4,
            mas: mas(
              ['hip-adductors', 'left', '1'],
              ['hip-adductors', 'right', '1'],
              ['knee-extensors', 'left', '1'],
            ),
          },
        ],
        outcome: 'positive',
        drop: 2,
      },
      {
        name: 'a rise in tone is negative',
        obs: [
          { hour: 0, mas: mas(['hip-adductors', 'left', '1']) },
          { hour: 4, mas: mas(['hip-adductors', 'left', '2']) },
        ],
        outcome: 'negative',
        drop: -1,
      },
      {
        name: 'missing baseline is incomplete',
        obs: [{ hour: 4, mas: mas(['hip-adductors', 'left', '0']) }],
        outcome: 'incomplete',
      },
      {
        name: 'a baseline without Ashworth grades is incomplete',
        obs: [
          { hour: 0, mas: [] },
          { hour: 4, mas: mas(['hip-adductors', 'left', '0']) },
        ],
        outcome: 'incomplete',
      },
      {
        name: 'missing the 4-hour observation is incomplete, even with a big drop at 2 h',
        obs: [
          { hour: 0, mas: base },
          { hour: 2, mas: mas(['hip-adductors', 'left', '0'], ['hip-adductors', 'right', '0']) },
        ],
        outcome: 'incomplete',
      },
      {
        name: 'a baseline group not graded at 4 h is incomplete (no cherry-picking)',
        obs: [
          { hour: 0, mas: base },
          { hour: 4, mas: mas(['hip-adductors', 'left', '0']) },
        ],
        outcome: 'incomplete',
      },
      {
        name: 'groups graded only later are ignored (the baseline sets the groups)',
        obs: [
          { hour: 0, mas: mas(['hip-adductors', 'left', '3']) },
          { hour: 4, mas: mas(['hip-adductors', 'left', '1'], ['elbow-flexors', 'left', '4']) },
        ],
        outcome: 'positive',
        drop: 2,
      },
    ];
  for (const row of table) {
    it(row.name, () => {
      const s = testDoseSuggestion(row.obs, RULES);
      assert.equal(s.outcome, row.outcome, s.explanation);
      if (row.drop !== undefined) {
        assert.equal(s.drop, row.drop);
      }
    });
  }

  it('explains the means and the criterion', () => {
    const s = testDoseSuggestion(table[0]!.obs, RULES);
    assert.equal(s.baselineMean, 3);
    assert.equal(s.atHourMean, 1);
    assert.equal(s.comparedPairs, 2);
    assert.match(
      s.explanation,
      /^Mean Ashworth grade of the 2 muscle groups and sides graded at baseline fell from 3 to 1 at 4 hours, a drop of 2; a positive response needs a drop of at least 2$/,
    );
    assert.match(
      testDoseSuggestion(table.find((r) => r.name.includes('cherry'))!.obs, RULES).explanation,
      /Hip adductors \(right\)/,
    );
  });

  it('gives the effect duration as the last hour the drop still held', () => {
    const down = mas(['hip-adductors', 'left', '1'], ['hip-adductors', 'right', '1']);
    const obs = [
      { hour: 0, mas: base },
      { hour: 2, mas: down },
      { hour: 4, mas: down },
      { hour: 6, mas: down },
      { hour: 8, mas: mas(['hip-adductors', 'left', '2'], ['hip-adductors', 'right', '2']) },
    ];
    const s = testDoseSuggestion(obs, RULES);
    assert.equal(s.outcome, 'positive');
    assert.equal(s.effectHours, 6);
    assert.equal(s.effectOutlastedObservations, false);
    const lasting = testDoseSuggestion([...obs.slice(0, 4), { hour: 8, mas: down }], RULES);
    assert.equal(lasting.effectHours, 8);
    assert.equal(lasting.effectOutlastedObservations, true);
    const none = testDoseSuggestion(
      [
        { hour: 0, mas: base },
        { hour: 4, mas: base },
      ],
      RULES,
    );
    assert.equal(none.outcome, 'negative');
    assert.equal(none.effectHours, null);
  });

  it('reads the criterion from the rules (points and hour)', () => {
    const rules: TestDoseRules = { ...RULES, positiveDropPoints: 1, positiveAtHour: 2 };
    const obs = [
      { hour: 0, mas: mas(['hip-adductors', 'left', '2']) },
      { hour: 2, mas: mas(['hip-adductors', 'left', '1']) },
    ];
    assert.equal(testDoseSuggestion(obs, rules).outcome, 'positive');
    assert.equal(testDoseSuggestion(obs, RULES).outcome, 'incomplete');
  });
});

describe('validateResultInput', () => {
  const suggestion = (
    outcome: TestDoseSuggestion['outcome'],
    effectHours: number | null,
  ): TestDoseSuggestion => ({
    outcome,
    explanation: '',
    atHour: 4,
    baselineMean: null,
    atHourMean: null,
    drop: null,
    comparedPairs: 0,
    effectHours,
    effectOutlastedObservations: false,
    // The next observation showed the drop gone: the effect ended within two hours of effectHours.
    effectGoneByHour: effectHours === null ? null : effectHours + 2,
  });
  const LONG = { longEffectHours: DEFAULT_PUMP_RULES.startDoseLongEffectHours };

  it('confirms the suggestion without a reason, and defaults the effect hours to it', () => {
    const r = validateResultInput(
      { result: 'positive', adverseReactions: false },
      suggestion('positive', 6),
      LONG,
    );
    assert.ok(r.ok);
    assert.equal(r.value.effectHours, 6);
    const entered = validateResultInput(
      { result: 'positive', effectHours: 10, adverseReactions: false },
      suggestion('positive', 8),
      LONG,
    );
    assert.ok(entered.ok);
    assert.equal(entered.value.effectHours, 10);
  });

  it('needs a reason to differ from the suggestion, or when there is none', () => {
    assert.match(
      errorOn(
        validateResultInput({ result: 'negative', adverseReactions: false }, suggestion('positive', 6), LONG),
        'reason',
      ),
      /differs from the suggestion \(positive\)/,
    );
    assert.match(
      errorOn(
        validateResultInput(
          { result: 'negative', adverseReactions: false },
          suggestion('incomplete', null),
          LONG,
        ),
        'reason',
      ),
      /not complete enough/,
    );
    assert.ok(
      validateResultInput(
        { result: 'negative', reason: 'Family saw no change', adverseReactions: false },
        suggestion('positive', 6),
        LONG,
      ).ok,
    );
  });

  it('needs the effect duration for a positive result, in range; ignores it for a negative one', () => {
    const noHours = validateResultInput(
      { result: 'positive', reason: 'Clear change in sitting', adverseReactions: false },
      suggestion('negative', null),
      LONG,
    );
    assert.match(errorOn(noHours, 'effectHours'), /how many hours/);
    assert.match(
      errorOn(
        validateResultInput(
          { result: 'positive', effectHours: 0, adverseReactions: false },
          suggestion('positive', 4),
          LONG,
        ),
        'effectHours',
      ),
      /greater than 0/,
    );
    const neg = validateResultInput(
      { result: 'negative', effectHours: 5, adverseReactions: false },
      suggestion('negative', null),
      LONG,
    );
    assert.ok(neg.ok);
    assert.equal(neg.value.effectHours, null);
  });

  it('needs adverse reactions answered and described', () => {
    assert.match(
      errorOn(
        validateResultInput({ result: 'positive' }, suggestion('positive', 4), LONG),
        'adverseReactions',
      ),
      /yes or no/,
    );
    assert.match(
      errorOn(
        validateResultInput({ result: 'positive', adverseReactions: true }, suggestion('positive', 4), LONG),
        'adverseNote',
      ),
      /Describe/,
    );
  });
});

describe('pre-checks [KRACH]', () => {
  const complete: PreChecks = {
    noInfection: true,
    infectionNote: null,
    anticoagulantsReviewed: true,
    anticoagulantNote: 'Not on anticoagulants',
    recentBotulinumToxin: false,
    botulinumToxinOn: null,
    botulinumToxinNote: null,
    oralAntispasmodicPlan: 'Continue oral baclofen',
    goals: 'Easier hygiene and sitting',
  };
  const today = '2026-11-24' as PlainDate;

  it('has no blockers when every check is answered and safe', () => {
    assert.deepEqual(preCheckBlockers(complete), []);
  });

  it('blocks on an infection (postpone), unreviewed anticoagulants, and unanswered checks', () => {
    const infected = preCheckBlockers({ ...complete, noInfection: false });
    assert.match(infected[0]?.message ?? '', /postpone/);
    assert.deepEqual(
      preCheckBlockers({ ...complete, anticoagulantsReviewed: false }).map((b) => b.field),
      ['anticoagulantsReviewed'],
    );
    assert.deepEqual(
      preCheckBlockers({
        ...complete,
        noInfection: null,
        anticoagulantsReviewed: null,
        recentBotulinumToxin: null,
        oralAntispasmodicPlan: null,
      }).map((b) => b.field),
      ['noInfection', 'anticoagulantsReviewed', 'recentBotulinumToxin', 'oralAntispasmodicPlan'],
    );
  });

  it('needs goals, a date or note for recent injections, no future date, and nothing when there were none', () => {
    assert.match(
      errorOn(validatePreChecks({ ...complete, goals: ' ' }, { today }), 'goals'),
      /Enter the goals/,
    );
    assert.match(
      errorOn(validatePreChecks({ ...complete, recentBotulinumToxin: true }, { today }), 'botulinumToxinOn'),
      /date of the last/,
    );
    assert.ok(
      validatePreChecks(
        { ...complete, recentBotulinumToxin: true, botulinumToxinOn: '2026-10-01' },
        { today },
      ).ok,
    );
    assert.match(
      errorOn(
        validatePreChecks(
          { ...complete, recentBotulinumToxin: true, botulinumToxinOn: '2026-11-25' },
          { today },
        ),
        'botulinumToxinOn',
      ),
      /today or in the past/,
    );
    assert.match(
      errorOn(
        validatePreChecks({ ...complete, botulinumToxinOn: '2026-10-01' }, { today }),
        'botulinumToxinOn',
      ),
      /answer yes, or clear them/,
    );
    const partial = validatePreChecks({ goals: 'Walk further' }, { today });
    assert.ok(partial.ok);
    assert.equal(partial.value.noInfection, null);
  });
});
