import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_PUMP_RULES } from './pump-rules.ts';
import { validateBolusInput, type BolusContext } from './test-dose-bolus.ts';
import { observationTimeError, spanText, validateObservationInput } from './test-dose-observation.ts';
import {
  adverseReactionsContradiction,
  validateResultInput,
  type ObservedSigns,
} from './test-dose-result.ts';
import { formatInstant } from './test-dose-time.ts';

/**
 * Timed test-dose observations (clinical-reference.md 3, "Time course and monitoring": the
 * effect peaks at 2–4 h and has mostly gone by 8 h [GIL-TD]), a bolus within its episode, and
 * "no adverse reactions" against what was observed. Bolus at 09:00 GMT on 24 November 2026; the
 * default tolerance is 30 minutes.
 */

const RULES = DEFAULT_PUMP_RULES.testDose;
const TZ = 'Europe/London';
const TIMING = {
  bolusGivenAt: '2026-11-24T09:00:00.000Z',
  episodeStartedAt: '2026-11-24T08:00:00.000Z',
  now: '2026-11-24T20:00:00.000Z',
  timeZone: TZ,
};

describe('an observation clock time against its hour (tolerance 30 minutes)', () => {
  // [hour, observed at (UTC, GMT = UK time in November), refused?, message pattern]
  const table: readonly [number, string, boolean, RegExp | null][] = [
    [0, '2026-11-24T08:45:00Z', false, null],
    [0, '2026-11-24T09:00:00Z', false, null],
    [0, '2026-11-24T09:10:00Z', true, /baseline is taken before the bolus.*10 minutes after it/],
    [0, '2026-11-24T07:59:00Z', true, /before the test dose started \(24 November 2026, 08:00\)/],
    [2, '2026-11-24T11:00:00Z', false, null],
    [4, '2026-11-24T13:00:00Z', false, null],
    [4, '2026-11-24T12:30:00Z', false, null],
    [4, '2026-11-24T13:30:00Z', false, null],
    [4, '2026-11-24T12:29:00Z', true, /3 hours 29 minutes after the bolus/],
    [4, '2026-11-24T13:31:00Z', true, /4 hours 31 minutes after the bolus/],
    // The bug as found: a "4 hours" observation 30 minutes after the bolus.
    [
      4,
      '2026-11-24T09:30:00Z',
      true,
      /^Time observed: the 4-hour observation is taken 4 hours after the bolus, at 24 November 2026, 13:00, give or take 30 minutes; 24 November 2026, 09:30 is 30 minutes after the bolus/,
    ],
    [2, '2026-11-24T08:50:00Z', true, /2-hour observation cannot be before the bolus.*10 minutes before it/],
    [8, '2026-11-24T17:00:00Z', false, null],
    [8, '2026-11-24T20:01:00Z', true, /must not be in the future/],
  ];
  for (const [hour, at, refused, pattern] of table) {
    it(`${hour} h at ${at}: ${refused ? 'refused' : 'accepted'}`, () => {
      const e = observationTimeError(hour, at, RULES, TIMING);
      if (!refused) {
        assert.equal(e, null, e?.message);
        return;
      }
      assert.ok(e && pattern);
      assert.equal(e.field, 'observedAt');
      assert.match(e.message, pattern);
    });
  }

  it('reads the tolerance from the rules', () => {
    const wide = { ...RULES, observationToleranceMinutes: 45 };
    assert.equal(observationTimeError(4, '2026-11-24T12:20:00Z', wide, TIMING), null);
    assert.ok(observationTimeError(4, '2026-11-24T12:20:00Z', RULES, TIMING));
  });

  it('counts hours between instants across the October clock change (BST to GMT)', () => {
    // 00:30 BST on 25 October 2026 is 23:30 UTC; 4 hours later is 03:30 UTC, 03:30 GMT.
    const t = { ...TIMING, bolusGivenAt: '2026-10-24T23:30:00Z', episodeStartedAt: '2026-10-24T22:00:00Z' };
    const now = { ...t, now: '2026-10-25T12:00:00Z' };
    assert.equal(observationTimeError(4, '2026-10-25T03:30:00Z', RULES, now), null);
    // 04:30 GMT on the wall clock is 4 hours after 00:30 only by the wall: 5 hours by the instant.
    assert.ok(observationTimeError(4, '2026-10-25T04:30:00Z', RULES, now));
  });

  it('refuses through validateObservationInput naming observedAt, and needs the time', () => {
    const ctx = { rules: RULES, recordedHours: [], timing: TIMING };
    const mas = [{ muscleGroup: 'hip-adductors', side: 'left', grade: '2' }];
    const early = validateObservationInput({ hour: 4, observedAt: '2026-11-24T09:30:00Z', mas }, ctx);
    assert.equal(early.ok, false);
    assert.deepEqual(
      early.errors.map((e) => e.field),
      ['observedAt'],
    );
    const missing = validateObservationInput({ hour: 4, mas }, ctx);
    assert.equal(missing.ok, false);
    assert.match(missing.errors[0]?.message ?? '', /Enter the time observed/);
    const ok = validateObservationInput({ hour: 4, observedAt: '2026-11-24T13:05:00+00:00', mas }, ctx);
    assert.ok(ok.ok, JSON.stringify(ok));
    assert.equal(ok.value.observedAt, '2026-11-24T13:05:00.000Z');
  });

  it('says spans as people do', () => {
    assert.equal(spanText(30 * 60_000), '30 minutes');
    assert.equal(spanText(60 * 60_000), '1 hour');
    assert.equal(spanText(209 * 60_000), '3 hours 29 minutes');
    assert.equal(spanText(60_000), '1 minute');
  });
});

describe('a bolus cannot precede its episode', () => {
  const ctx: BolusContext = {
    rules: RULES,
    hardLimits: DEFAULT_PUMP_RULES.hardLimits,
    now: '2026-11-24T10:00:00.000Z',
    timeZone: TZ,
    previousDoseMcg: null,
    latestGivenAt: null,
    episodeStartedAt: '2026-11-24T08:00:00.000Z',
    giver: { displayName: 'Cora Consultant', username: 'cora' },
  };
  const bolus = { doseMcg: 50, route: 'lumbar-puncture', checkedBy: 'Nina Nurse' };
  // [given at, refused?]
  const table: readonly [string, boolean][] = [
    ['2026-11-24T07:59:00Z', true],
    ['2026-11-23T09:00:00Z', true],
    ['2026-11-24T08:00:00Z', false],
    ['2026-11-24T09:00:00Z', false],
  ];
  for (const [givenAt, refused] of table) {
    it(`given at ${givenAt}: ${refused ? 'refused' : 'accepted'}`, () => {
      const r = validateBolusInput({ ...bolus, givenAt }, ctx);
      if (!refused) {
        assert.ok(r.ok, JSON.stringify(r));
        return;
      }
      assert.equal(r.ok, false);
      const e = r.errors.find((x) => x.field === 'givenAt');
      assert.match(
        e?.message ?? '',
        /^Time given must not be before the test dose started \(24 November 2026, 08:00\)/,
      );
    });
  }
});

describe('"no adverse reactions" against the signs observed in the episode', () => {
  const none: ObservedSigns = { sequence: 1, hour: 2, sideEffects: [] };
  const drowsy: ObservedSigns = { sequence: 1, hour: 4, sideEffects: ['drowsiness'] };
  const low: ObservedSigns = { sequence: 2, hour: 2, sideEffects: ['hypotension', 'nausea-vomiting'] };
  // [observed, "no" refused?, message pattern]
  const table: readonly [string, readonly ObservedSigns[], RegExp | null][] = [
    ['nothing observed', [], null],
    ['observations without side effects', [none], null],
    [
      'drowsiness at 4 hours',
      [none, drowsy],
      /^Adverse reactions cannot be "no": drowsiness or sleepiness \(bolus 1, 4 hours\) was observed in this test dose\. Answer yes and describe them$/,
    ],
    [
      'two signs after an earlier bolus',
      [low],
      /low blood pressure \(hypotension\), nausea or vomiting \(bolus 2, 2 hours\) were observed/,
    ],
  ];
  const suggestion = {
    outcome: 'negative',
    explanation: '',
    atHour: 4,
    baselineMean: null,
    atHourMean: null,
    drop: null,
    comparedPairs: 0,
    effectHours: null,
    effectOutlastedObservations: false,
    effectGoneByHour: null,
  } as const;
  for (const [name, observed, pattern] of table) {
    it(`${name}: "no" ${pattern ? 'refused' : 'accepted'}; "yes" accepted`, () => {
      const ctx = { longEffectHours: 8, observed };
      const no = validateResultInput({ result: 'negative', adverseReactions: false }, suggestion, ctx);
      if (pattern) {
        assert.equal(no.ok, false);
        const e = no.errors.find((x) => x.field === 'adverseReactions');
        assert.match(e?.message ?? '', pattern);
        assert.equal(adverseReactionsContradiction(observed)?.message, e?.message);
      } else {
        assert.ok(no.ok, JSON.stringify(no));
      }
      const yes = validateResultInput(
        { result: 'negative', adverseReactions: true, adverseNote: 'Drowsy, settled' },
        suggestion,
        ctx,
      );
      assert.ok(yes.ok, JSON.stringify(yes));
    });
  }
});

describe('the test-dose pages show instants in the one date-time style', () => {
  it('"24 November 2026, 09:00", in London time (BST in summer)', () => {
    assert.equal(formatInstant('2026-11-24T09:00:00.000Z', TZ), '24 November 2026, 09:00');
    assert.equal(formatInstant('2026-07-01T08:05:00.000Z', TZ), '1 July 2026, 09:05');
  });
});
