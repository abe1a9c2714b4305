import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MasEntry, MasGrade } from './outcome-measures.ts';
import { DEFAULT_PUMP_RULES, type TestDoseRules } from './pump-rules.ts';
import { masPoints, testDoseSuggestion } from './test-dose-result.ts';

/** The test-dose suggestion (testDoseSuggestion): positive, negative or incomplete from the MAS grades. */

const RULES = DEFAULT_PUMP_RULES.testDose;

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
