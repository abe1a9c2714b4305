import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlainDate } from './calendar-date.ts';
import {
  achievedTScore,
  baselineTScore,
  MAS_GRADES,
  painChanges,
  validateMeasureSetInput,
  type GasGoal,
} from './outcome-measures.ts';
import { roundTo2 } from './gas.ts';

const context = { today: '2026-11-24' as PlainDate, dateOfBirth: '1961-03-14' as PlainDate };

const GOOD = {
  recordedOn: '2026-11-20',
  occasion: 'assessment',
  mas: [
    { muscleGroup: 'hip-adductors', side: 'left', grade: '1+' },
    { muscleGroup: 'hip-adductors', side: 'right', grade: '3' },
  ],
  pennFrequency: 3,
  pennSeverity: 2,
  gasGoals: [
    { text: 'Sit in wheelchair for 2 hours', weight: 6, baseline: -1, achieved: null },
    { text: 'Easier perineal care', weight: 4, baseline: -2 },
  ],
  gmfcsLevel: 'IV',
  painNrs: 7,
  note: '  ',
};

function fieldsOf(raw: unknown): { field: string; message: string }[] {
  const r = validateMeasureSetInput(raw, context);
  if (r.ok) {
    assert.fail('expected the input to be refused');
  }
  return [...r.errors];
}

describe('validateMeasureSetInput', () => {
  it('accepts a full set and keeps grades as text', () => {
    const r = validateMeasureSetInput(GOOD, context);
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(
      r.value.mas.map((m) => m.grade),
      ['1+', '3'],
    );
    assert.equal(r.value.note, null);
    assert.equal(r.value.assessmentId, null);
    assert.equal(r.value.gasGoals[1]?.achieved, null);
  });

  it('accepts every MAS grade and nothing else', () => {
    for (const grade of MAS_GRADES) {
      assert.ok(validateMeasureSetInput({ ...GOOD, mas: [{ ...GOOD.mas[0], grade }] }, context).ok, grade);
    }
  });

  it('accepts a set holding one measure only (pain)', () => {
    const r = validateMeasureSetInput({ recordedOn: '2026-11-24', occasion: 'review', painNrs: 0 }, context);
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.value.pennFrequency, null);
    assert.deepEqual(r.value.mas, []);
  });

  it('accepts Penn frequency 0 without a severity', () => {
    assert.ok(
      validateMeasureSetInput({ ...GOOD, pennFrequency: 0, pennSeverity: null }, context).ok,
      'frequency 0 alone',
    );
  });

  const bad: [string, Record<string, unknown>, string, RegExp][] = [
    [
      'MAS grade 1.5 (a decimal)',
      { mas: [{ muscleGroup: 'knee-flexors', side: 'left', grade: 1.5 }] },
      'mas.0.grade',
      /^Knee flexors, left: Modified Ashworth grade must be one of 0, 1, 1\+, 2, 3 or 4/,
    ],
    [
      'MAS grade "1.5" as text',
      { mas: [{ muscleGroup: 'knee-flexors', side: 'left', grade: '1.5' }] },
      'mas.0.grade',
      /Modified Ashworth grade/,
    ],
    [
      'MAS grade 5',
      { mas: [{ muscleGroup: 'knee-flexors', side: 'right', grade: '5' }] },
      'mas.0.grade',
      /Knee flexors, right/,
    ],
    [
      'MAS grade x',
      { mas: [{ muscleGroup: 'elbow-flexors', side: 'left', grade: 'x' }] },
      'mas.0.grade',
      /Elbow flexors, left/,
    ],
    [
      'an unknown muscle group',
      { mas: [{ muscleGroup: 'toes', side: 'left', grade: '1' }] },
      'mas.0.muscleGroup',
      /Ashworth entry 1: Select a muscle group/,
    ],
    [
      'a side that is neither',
      { mas: [{ muscleGroup: 'hip-flexors', side: 'both', grade: '1' }] },
      'mas.0.side',
      /side/,
    ],
    [
      'the same muscle group and side twice',
      {
        mas: [
          { muscleGroup: 'hip-flexors', side: 'left', grade: '1' },
          { muscleGroup: 'hip-flexors', side: 'left', grade: '2' },
        ],
      },
      'mas.1.muscleGroup',
      /Hip flexors, left: graded more than once/,
    ],
    [
      'Penn severity with frequency 0',
      { pennFrequency: 0, pennSeverity: 2 },
      'pennSeverity',
      /Penn severity is only recorded when spasm frequency is above 0/,
    ],
    [
      'Penn severity without frequency',
      { pennFrequency: null, pennSeverity: 2 },
      'pennFrequency',
      /frequency/,
    ],
    [
      'Penn frequency above 0 without severity',
      { pennFrequency: 2, pennSeverity: null },
      'pennSeverity',
      /severity/,
    ],
    ['Penn frequency 5', { pennFrequency: 5 }, 'pennFrequency', /0 to 4/],
    ['Penn severity 4', { pennSeverity: 4 }, 'pennSeverity', /1 \(mild\)/],
    [
      'a GAS score of 3',
      { gasGoals: [GOOD.gasGoals[0], { text: 'Transfers', weight: 2, baseline: -1, achieved: 3 }] },
      'gasGoals.1.achieved',
      /^GAS goal 2: Achieved score must be a whole number from −2 to \+2/,
    ],
    [
      'a GAS score of 0.5',
      { gasGoals: [{ text: 'Transfers', weight: 2, baseline: -1, achieved: 0.5 }] },
      'gasGoals.0.achieved',
      /whole number/,
    ],
    [
      'a GAS weight of 0',
      { gasGoals: [{ text: 'Transfers', weight: 0, baseline: -1 }] },
      'gasGoals.0.weight',
      /^GAS goal 1: Weight must be a whole number from 1 to 9/,
    ],
    [
      'a GAS weight of 10',
      { gasGoals: [{ text: 'Transfers', weight: 10, baseline: -1 }] },
      'gasGoals.0.weight',
      /1 to 9/,
    ],
    [
      'a GAS baseline of 0',
      { gasGoals: [{ text: 'Transfers', weight: 1, baseline: 0 }] },
      'gasGoals.0.baseline',
      /Baseline must be −1 or −2/,
    ],
    [
      'a GAS goal without text',
      { gasGoals: [{ text: ' ', weight: 1, baseline: -1 }] },
      'gasGoals.0.text',
      /Enter the goal/,
    ],
    [
      'six GAS goals',
      { gasGoals: Array.from({ length: 6 }, () => GOOD.gasGoals[0]) },
      'gasGoals',
      /at most 5/,
    ],
    ['GMFCS level VI', { gmfcsLevel: 'VI' }, 'gmfcsLevel', /I, II, III, IV or V/],
    ['pain 11', { painNrs: 11 }, 'painNrs', /0 to 10/],
    ['pain 6.5', { painNrs: 6.5 }, 'painNrs', /whole number/],
    ['a date in the future', { recordedOn: '2026-11-25' }, 'recordedOn', /today or in the past/],
    [
      'a date before birth',
      { recordedOn: '1961-03-13' },
      'recordedOn',
      /on or after the patient's date of birth, 14 March 1961/,
    ],
    ['a date that is not real', { recordedOn: '2026-02-30' }, 'recordedOn', /real date/],
    ['no occasion', { occasion: undefined }, 'occasion', /Select when/],
    ['a note that is too long', { note: 'x'.repeat(2001) }, 'note', /2000 characters or fewer/],
    [
      'an empty set',
      { mas: [], pennFrequency: null, pennSeverity: null, gasGoals: [], gmfcsLevel: null, painNrs: null },
      'measures',
      /Record at least one measure/,
    ],
  ];
  for (const [name, change, field, message] of bad) {
    it(`refuses ${name}, naming ${field}`, () => {
      const errors = fieldsOf({ ...GOOD, ...change });
      const hit = errors.find((e) => e.field === field);
      assert.ok(hit, `no error on ${field}: ${JSON.stringify(errors)}`);
      assert.match(hit.message, message);
    });
  }

  it('allows a date on the day of birth and today', () => {
    assert.ok(validateMeasureSetInput({ ...GOOD, recordedOn: '1961-03-14' }, context).ok);
    assert.ok(validateMeasureSetInput({ ...GOOD, recordedOn: '2026-11-24' }, context).ok);
  });
});

describe('T-scores of a set', () => {
  const goals: GasGoal[] = [
    { text: 'a', weight: 1, baseline: -1, achieved: 0 },
    { text: 'b', weight: 1, baseline: -1, achieved: 1 },
    { text: 'c', weight: 1, baseline: -1, achieved: 2 },
  ];
  it('gives the baseline T from the baselines and the achieved T from the scores (case 16)', () => {
    assert.equal(roundTo2(baselineTScore(goals) ?? 0), 36.31);
    assert.equal(roundTo2(achievedTScore(goals) ?? 0), 63.69);
  });
  it('has no achieved T until every goal is scored, and none without goals', () => {
    assert.equal(achievedTScore([...goals.slice(0, 2), { ...goals[2]!, achieved: null }]), null);
    assert.equal(achievedTScore([]), null);
    assert.equal(baselineTScore([]), null);
  });
});

describe('painChanges', () => {
  it('compares with the previous set that recorded pain and marks changes of 2 or more', () => {
    const changes = painChanges([
      { painNrs: 7 },
      { painNrs: null },
      { painNrs: 6 },
      { painNrs: 3 },
      { painNrs: 5 },
    ]);
    assert.deepEqual(changes, [
      { change: null, meaningful: false },
      { change: null, meaningful: false },
      { change: -1, meaningful: false },
      { change: -3, meaningful: true },
      { change: 2, meaningful: true },
    ]);
  });
});
