import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlainDate } from './calendar-date.ts';
import { DEFAULT_PUMP_RULES } from './pump-rules.ts';
import { preCheckBlockers, validatePreChecks, type PreChecks } from './test-dose.ts';
import { validateBolusInput, type BolusContext } from './test-dose-bolus.ts';
import { validateObservationInput } from './test-dose-observation.ts';
import { validateResultInput, type TestDoseSuggestion } from './test-dose-result.ts';

/** Validating test-dose input: a bolus, an observation, a result, and the pre-checks [KRACH]. */

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

describe('validateBolusInput', () => {
  const ctx: BolusContext = {
    rules: RULES,
    hardLimits: PLAUSIBLE,
    now: '2026-11-24T10:00:00.000Z',
    timeZone: TZ,
    previousDoseMcg: null,
    latestGivenAt: null,
    episodeStartedAt: null,
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
      'Time given must be at least 24 hours after the previous bolus (given on 23 November 2026, 09:30): the earliest allowed time is 24 November 2026, 09:30',
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
  const timing = {
    bolusGivenAt: '2026-11-24T09:00:00Z',
    episodeStartedAt: '2026-11-24T08:00:00Z',
    now: '2026-11-24T18:00:00Z',
    timeZone: TZ,
  };
  const ctx = { rules: RULES, recordedHours: [0], timing };
  const obs = {
    hour: 2,
    observedAt: '2026-11-24T11:00:00Z',
    mas: [{ muscleGroup: 'hip-adductors', side: 'left', grade: '1+' }],
  };

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
    const custom = { rules: { ...RULES, observationHours: [0, 3] }, recordedHours: [], timing };
    assert.ok(validateObservationInput({ ...obs, hour: 3, observedAt: '2026-11-24T12:00:00Z' }, custom).ok);
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
    const at4 = { hour: 4, observedAt: '2026-11-24T13:00:00Z' };
    assert.match(errorOn(validateObservationInput(at4, ctx), 'observation'), /at least one measure/);
    assert.ok(validateObservationInput({ ...at4, sideEffects: ['drowsiness'] }, ctx).ok);
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
  const LONG = { longEffectHours: DEFAULT_PUMP_RULES.startDoseLongEffectHours, observed: [] };

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
