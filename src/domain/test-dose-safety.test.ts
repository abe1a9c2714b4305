import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { MasEntry, MasGrade } from './outcome-measures.ts';
import { DEFAULT_PUMP_RULES, testBolusMaxMcg, type TestDoseRules } from './pump-rules.ts';
import {
  notOnLadderWarnings,
  offLadderWarnings,
  testBolusErrors,
  validateBolusInput,
  type BolusContext,
} from './test-dose-bolus.ts';
import { effectDurationAdvice, testDoseSuggestion, validateResultInput } from './test-dose-result.ts';

/**
 * The test-dose safety controls: the hard limit on a test bolus (the ladder's top rung), the
 * usual range below it (off the ladder: a reason and a BOLUS_OFF_LADDER warning), the second
 * person's check of every bolus, and an effect duration that never defaults to the figure that
 * gives the higher starting dose.
 */

const RULES = DEFAULT_PUMP_RULES.testDose;
const LIMITS = { hardLimits: DEFAULT_PUMP_RULES.hardLimits, testDose: RULES };

const fieldsOf = (r: { ok: boolean; errors?: readonly { field: string }[] }) =>
  r.ok ? [] : (r.errors ?? []).map((e) => e.field);

/** The message on `field`, failing when there is none (any validation result). */
const messageOn = (
  r: { readonly ok: boolean; readonly errors?: readonly { field: string; message: string }[] },
  field: string,
): string => {
  const hit = r.ok ? undefined : r.errors?.find((e) => e.field === field);
  assert.ok(hit, `expected an error on ${field}: ${JSON.stringify(r)}`);
  return hit.message;
};

// After 75 mcg a day earlier, the ladder's next rung is 100 mcg.
const AFTER_75: BolusContext = {
  rules: RULES,
  hardLimits: DEFAULT_PUMP_RULES.hardLimits,
  now: '2026-11-24T10:00:00.000Z',
  timeZone: 'Europe/London',
  previousDoseMcg: 75,
  latestGivenAt: '2026-11-23T09:00:00.000Z',
  episodeStartedAt: null,
  giver: { displayName: 'Cora Consultant', username: 'cora' },
};
const FIRST: BolusContext = { ...AFTER_75, previousDoseMcg: null, latestGivenAt: null };
const BOLUS = {
  doseMcg: 100,
  route: 'catheter',
  givenAt: '2026-11-24T09:00:00Z',
  checkedBy: 'Nina Nurse',
};

describe('test bolus hard limit: the ladder top rung (100 mcg by default)', () => {
  it('takes the limit from the ladder: max(50, 75, 100) = 100 mcg', () => {
    assert.equal(testBolusMaxMcg(RULES), 100);
    assert.equal(testBolusMaxMcg({ ...RULES, ladderMcg: [25, 50] }), 50);
  });

  // dose, allowed after 75 mcg (100 is the next rung, so needs no reason)
  const table: [number, boolean][] = [
    [100, true], // the top rung itself
    [100.5, false], // half a microgram over
    [125, false],
    [3000, false], // a daily dose typed as a test bolus
  ];
  for (const [doseMcg, allowed] of table) {
    it(`${doseMcg} mcg ${allowed ? 'is allowed' : 'is refused on doseMcg, even with an off-ladder reason'}`, () => {
      const plain = validateBolusInput({ ...BOLUS, doseMcg }, AFTER_75);
      const reasoned = validateBolusInput(
        { ...BOLUS, doseMcg, offLadderReason: 'Consultant wants a larger dose' },
        AFTER_75,
      );
      if (allowed) {
        assert.ok(plain.ok, JSON.stringify(plain));
        assert.ok(reasoned.ok);
      } else {
        for (const r of [plain, reasoned]) {
          assert.match(
            messageOn(r, 'doseMcg'),
            /must be 100 mcg or less: 100 mcg is the top of the screening ladder \(50, 75, 100 mcg\)/,
          );
          assert.ok(!fieldsOf(r).includes('offLadderReason'), 'no reason can make it acceptable');
        }
      }
    });
  }

  it('refuses above the top rung of a configured ladder (25, 50 mcg: 60 is refused)', () => {
    const small: TestDoseRules = { ...RULES, ladderMcg: [25, 50] };
    const r = validateBolusInput({ ...BOLUS, doseMcg: 60, offLadderReason: 'x' }, { ...FIRST, rules: small });
    assert.match(messageOn(r, 'doseMcg'), /must be 50 mcg or less/);
  });

  it('property: no dose above the top rung is ever accepted, whatever the reason', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 100.000001, max: 1e6, noNaN: true }),
        fc.constantFrom(null, 75, 100),
        (doseMcg, previousDoseMcg) => {
          const r = validateBolusInput(
            { ...BOLUS, doseMcg, offLadderReason: 'any reason at all', concentrationReason: 'x' },
            { ...AFTER_75, previousDoseMcg },
          );
          return !r.ok && r.errors.some((e) => e.field === 'doseMcg');
        },
      ),
    );
  });

  it('keeps milligrams refused below the hard minimum, and names the test dose for the CLI', () => {
    assert.match(
      testBolusErrors('testDoseMcg', 'Test dose', 0.05, LIMITS)[0]?.message ?? '',
      /looks like milligrams/,
    );
    assert.deepEqual(testBolusErrors('testDoseMcg', 'Test dose', 100, LIMITS), []);
    assert.equal(testBolusErrors('testDoseMcg', 'Test dose', 3000, LIMITS)[0]?.field, 'testDoseMcg');
  });
});

describe('test bolus usual range: a dose off the ladder needs a reason (BOLUS_OFF_LADDER)', () => {
  it('60 mcg as the first dose (the ladder starts at 50) needs a reason, and is accepted with one', () => {
    const r = validateBolusInput({ ...BOLUS, doseMcg: 60 }, FIRST);
    assert.match(
      messageOn(r, 'offLadderReason'),
      /^Give the reason: Dose 60 mcg is not the next step of the screening ladder \(50 mcg\)/,
    );
    assert.ok(validateBolusInput({ ...BOLUS, doseMcg: 60, offLadderReason: 'Small adult, 40 kg' }, FIRST).ok);
  });

  it('reports BOLUS_OFF_LADDER for a dose that is not the next rung, and nothing for the rung', () => {
    assert.deepEqual(offLadderWarnings(50, 50, RULES), []);
    assert.deepEqual(offLadderWarnings(60, 50, RULES), [
      {
        code: 'BOLUS_OFF_LADDER',
        field: 'doseMcg',
        message: 'Dose 60 mcg is not the next step of the screening ladder (50 mcg)',
      },
    ]);
    assert.equal(
      offLadderWarnings(100, null, RULES)[0]?.message,
      'Dose 100 mcg is beyond the last step of the screening ladder (50, 75, 100 mcg)',
    );
  });

  it('reports BOLUS_OFF_LADDER for a starting-dose test dose that is not a rung: 60 yes; 50, 75, 100 no', () => {
    assert.equal(notOnLadderWarnings(60, RULES)[0]?.code, 'BOLUS_OFF_LADDER');
    for (const rung of [50, 75, 100]) {
      assert.deepEqual(notOnLadderWarnings(rung, RULES), []);
    }
  });
});

describe('the second check of a bolus (checkedBy)', () => {
  const giver = AFTER_75.giver; // Cora Consultant, username cora
  const table: [string, string | undefined, boolean][] = [
    ['missing', undefined, false],
    ['blank', '   ', false],
    ["the giver's own name", 'Cora Consultant', false],
    ['the giver in other case and spacing', '  cora   CONSULTANT ', false],
    ["the giver's username", 'Cora', false],
    ['the giver with a title and punctuation', 'Dr. Cora Consultant', false],
    ['the giver with a note in brackets', 'Cora Consultant (consultant)', false],
    ['the giver with a role after a comma', 'Cora Consultant, RN', false],
    ['the giver with a role after a space', 'Cora Consultant RN', false],
    ['the giver, surname first', 'Consultant, Cora', false],
    ['the giver with two titles', 'Prof. Dr Cora Consultant', false],
    ['a second person', 'Nina Nurse', true],
    ['a second person whose name contains the giver’s', 'Cora Consultant-Smith', true],
  ];
  for (const [name, checkedBy, allowed] of table) {
    it(`${name} (${JSON.stringify(checkedBy)}) is ${allowed ? 'accepted' : 'refused, naming checkedBy'}`, () => {
      const r = validateBolusInput({ ...BOLUS, checkedBy }, AFTER_75);
      if (allowed) {
        assert.ok(r.ok, JSON.stringify(r));
        assert.equal(r.value.checkedBy, checkedBy?.trim());
      } else {
        assert.match(messageOn(r, 'checkedBy'), /second person/);
      }
    });
  }

  it('names the giver when the checker is the giver', () => {
    const r = validateBolusInput({ ...BOLUS, checkedBy: 'cora consultant' }, AFTER_75);
    assert.match(messageOn(r, 'checkedBy'), new RegExp(`not you \\(${giver.displayName}\\)`));
  });

  it('reports a missing checker with every other problem at once', () => {
    const r = validateBolusInput({ ...BOLUS, checkedBy: undefined, doseMcg: 125 }, AFTER_75);
    assert.deepEqual(fieldsOf(r).sort(), ['checkedBy', 'doseMcg']);
  });
});

describe('the effect duration never defaults to the figure that gives the higher starting dose', () => {
  const base: MasEntry[] = [
    { muscleGroup: 'hip-adductors', side: 'left', grade: '3' },
    { muscleGroup: 'hip-adductors', side: 'right', grade: '3' },
  ];
  const at = (hour: number, grade: MasGrade) => ({
    hour,
    mas: base.map((m) => ({ ...m, grade })),
  });
  // 3, 3 → 1, 1 is a drop of 2 points in the mean (held); 3, 3 → 2, 2 is 1 (not held).
  const heldAt6GoneAt8 = [at(0, '3'), at(2, '1'), at(4, '1'), at(6, '1'), at(8, '2')];
  const heldAt8 = [at(0, '3'), at(2, '1'), at(4, '1'), at(6, '1'), at(8, '1')];
  const heldAt4Only = [at(0, '3'), at(4, '1')];
  const heldAt4GoneAt6 = [at(0, '3'), at(2, '2'), at(4, '1'), at(6, '2'), at(8, '3')];

  it('reads where the effect ended: held at 6 h, gone at 8 h; held at 8 h, the last; held at 4 h, nothing after', () => {
    const a = testDoseSuggestion(heldAt6GoneAt8, RULES);
    assert.deepEqual([a.effectHours, a.effectGoneByHour, a.effectOutlastedObservations], [6, 8, false]);
    const b = testDoseSuggestion(heldAt8, RULES);
    assert.deepEqual([b.effectHours, b.effectGoneByHour, b.effectOutlastedObservations], [8, null, true]);
    const c = testDoseSuggestion(heldAt4Only, RULES);
    assert.deepEqual([c.effectHours, c.effectGoneByHour, c.effectOutlastedObservations], [4, null, false]);
    const d = testDoseSuggestion(heldAt4GoneAt6, RULES);
    assert.deepEqual([d.effectHours, d.effectGoneByHour], [4, 6]);
  });

  it('does not count an observation missing a baseline group as the effect gone', () => {
    const partial = [...heldAt6GoneAt8.slice(0, 4), { hour: 8, mas: [base[0]!] }];
    assert.equal(testDoseSuggestion(partial, RULES).effectGoneByHour, null);
  });

  // observations, START_DOSE_LONG_EFFECT_HOURS, the default offered (null: must be entered)
  const table: [string, ReturnType<typeof at>[], number, number | null][] = [
    // Held at 8 h, the last observation: it may have lasted 10 h, which gives "same".
    ['held at 8 h, the last observation (8 h rule)', heldAt8, 8, null],
    // Held at 6 h, gone at 8 h: 6 ≤ duration < 8, every one ≤ 8 → "double" → 6 may be offered.
    ['held at 6 h, gone at 8 h, 8 h rule', heldAt6GoneAt8, 8, 6],
    // The same with a 6 h rule: 7 h > 6 h gives "same", 6 h gives "double" → must be entered.
    ['held at 6 h, gone at 8 h, 6 h rule', heldAt6GoneAt8, 6, null],
    // Held at 4 h and not observed again: it may have lasted 9 h → must be entered.
    ['held at 4 h, nothing after (8 h rule)', heldAt4Only, 8, null],
    // Held at 4 h, gone at 6 h: 4 ≤ duration < 6 ≤ 6 → "double" either way → 4 offered, even with a 6 h rule.
    ['held at 4 h, gone at 6 h, 6 h rule', heldAt4GoneAt6, 6, 4],
  ];
  for (const [name, obs, longEffectHours, expected] of table) {
    it(`${name}: ${expected === null ? 'must be entered' : `defaults to ${expected} h`}`, () => {
      const s = testDoseSuggestion(obs, RULES);
      const advice = effectDurationAdvice(s, longEffectHours);
      assert.equal(advice.defaultHours, expected);
      const r = validateResultInput({ result: 'positive', adverseReactions: false }, s, {
        longEffectHours,
        observed: [],
      });
      if (expected === null) {
        const message = messageOn(r, 'effectHours');
        assert.match(message, /enter how many hours the effect lasted/);
        assert.equal(message, advice.mustEnterBecause);
      } else {
        assert.ok(r.ok, JSON.stringify(r));
        assert.equal(r.value.effectHours, expected);
      }
    });
  }

  it('says why it must be entered: the last observation, or the gap to the next', () => {
    assert.match(
      effectDurationAdvice(testDoseSuggestion(heldAt8, RULES), 8).mustEnterBecause ?? '',
      /^The drop still held at 8 hours, the last observation: the effect may have lasted longer\. A duration over 8 hours gives a starting dose equal to the test dose, not twice it/,
    );
    assert.match(
      effectDurationAdvice(testDoseSuggestion(heldAt6GoneAt8, RULES), 6).mustEnterBecause ?? '',
      /^The drop held at 6 hours and had gone by 8 hours: the effect lasted between the two\. A duration over 6 hours/,
    );
  });

  it('accepts an entered duration at or above what was observed, and refuses a shorter one', () => {
    const s = testDoseSuggestion(heldAt8, RULES);
    const ctx = { longEffectHours: 8, observed: [] };
    const entered = validateResultInput(
      { result: 'positive', effectHours: 10, adverseReactions: false },
      s,
      ctx,
    );
    assert.ok(entered.ok);
    assert.equal(entered.value.effectHours, 10);
    assert.ok(
      validateResultInput({ result: 'positive', effectHours: 8, adverseReactions: false }, s, ctx).ok,
    );
    // 6 h would give "double" while the drop was still there at 8 h.
    const short = validateResultInput(
      { result: 'positive', effectHours: 6, adverseReactions: false },
      s,
      ctx,
    );
    assert.match(
      messageOn(short, 'effectHours'),
      /at least 8 hours: the Ashworth drop still held at the 8-hour observation/,
    );
  });

  it('property: a default is only offered when every duration it could stand for gives "double"', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(2, 4, 6, 8),
        fc.option(fc.constantFrom(4, 6, 8), { nil: null }),
        fc.integer({ min: 1, max: 48 }),
        (held, gone, longEffectHours) => {
          const goneBy = gone !== null && gone > held ? gone : null;
          const s = {
            ...testDoseSuggestion([at(0, '3'), at(held, '1')], RULES),
            effectHours: held,
            effectGoneByHour: goneBy,
            effectOutlastedObservations: held >= 8,
          };
          const advice = effectDurationAdvice(s, longEffectHours);
          if (advice.defaultHours === null) {
            return true;
          }
          // The true duration lies in [held, goneBy]: every figure there must be ≤ the rule's hours.
          return goneBy !== null && goneBy <= longEffectHours && advice.defaultHours === held;
        },
      ),
    );
  });
});
