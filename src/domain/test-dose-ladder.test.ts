import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { PlainDate } from './calendar-date.ts';
import { DEFAULT_PUMP_RULES } from './pump-rules.ts';
import { round2 } from './refill-arithmetic.ts';
import {
  bolusVolumeMl,
  earliestNextBolusAt,
  intervalKept,
  isLastRung,
  nextLadderDoseMcg,
} from './test-dose-bolus.ts';
import { episodeStateAfterResult } from './test-dose-result.ts';
import { formatInstant, instantFromLocal, parseInstant } from './test-dose-time.ts';

/**
 * The test-dose ladder and its timing: worked example 18's screening volumes, the ladder's rungs,
 * and local times with the 24-hour rule between boluses.
 */

const RULES = DEFAULT_PUMP_RULES.testDose;
const TZ = 'Europe/London';

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
    assert.equal(formatInstant('2026-10-24T09:00:00.000Z', TZ), '24 October 2026, 10:00');
    assert.equal(formatInstant('2026-10-25T09:30:00.000Z', TZ), '25 October 2026, 09:30');
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
    assert.equal(formatInstant(earliestNextBolusAt(prev, RULES), TZ), '25 October 2026, 09:00');
  });

  it('across the March clock change: 10:00 GMT to 10:00 BST next day is only 23 h, refused', () => {
    const prev = at('2026-03-28', '10:00');
    const next = at('2026-03-29', '10:00');
    assert.equal((Date.parse(next) - Date.parse(prev)) / 3_600_000, 23);
    assert.equal(intervalKept(prev, next, RULES), false);
    assert.equal(formatInstant(earliestNextBolusAt(prev, RULES), TZ), '29 March 2026, 11:00');
    assert.equal(intervalKept(prev, at('2026-03-29', '11:00'), RULES), true);
  });
});
