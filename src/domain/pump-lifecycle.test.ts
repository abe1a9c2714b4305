import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlainDate } from './calendar-date.ts';
import { findPumpModel } from './pump-device.ts';
import {
  CORRECTABLE_STATES,
  END_REQUEST_KIND_LABELS,
  ENDED_STATE,
  endedStateOf,
  planSurvivesPause,
  replacementReason,
  validateCorrectionInput,
  validateEndRejectInput,
  validateEndRequestInput,
  validatePauseInput,
  validateResumeInput,
} from './pump-lifecycle.ts';
import { DEFAULT_PUMP_RULES } from './pump-rules.ts';
import { pumpSchedule } from './refill-worklist.ts';

const d = (s: string) => s as PlainDate;
const IMPLANTED = d('2026-06-01');
const TODAY = d('2026-11-24');

function fieldOf(result: { ok: boolean; errors?: readonly { field: string; message: string }[] }) {
  return result.ok ? null : (result.errors?.[0]?.field ?? null);
}

describe('end requests (explant, death, transfer of care)', () => {
  const good = { kind: 'explant', endedOn: '2026-11-20', reason: 'Pocket infection; pump removed' };

  it('accepts each kind from the implant date to today, with a reason', () => {
    for (const kind of ['explant', 'death', 'transfer']) {
      for (const endedOn of ['2026-06-01', '2026-11-24']) {
        const r = validateEndRequestInput({ ...good, kind, endedOn }, IMPLANTED, TODAY);
        assert.ok(r.ok, `${kind} on ${endedOn}`);
      }
    }
  });

  const bad: [string, Record<string, unknown>, string, RegExp][] = [
    ['no reason', { reason: '  ' }, 'reason', /Enter the reason/],
    ['tomorrow', { endedOn: '2026-11-25' }, 'endedOn', /today or in the past/],
    [
      'the day before the implant',
      { endedOn: '2026-05-31' },
      'endedOn',
      /on or after the implant date, 1 June 2026/,
    ],
    ['not a date', { endedOn: '2026-02-30' }, 'endedOn', /real date/],
    [
      'a replacement (registered with the new pump)',
      { kind: 'replacement' },
      'kind',
      /explant, death or transfer/,
    ],
    ['a correction posted as an end', { kind: 'correction' }, 'kind', /explant, death or transfer/],
  ];
  for (const [name, change, field, message] of bad) {
    it(`refuses ${name}, naming ${field}`, () => {
      const r = validateEndRequestInput({ ...good, ...change }, IMPLANTED, TODAY);
      assert.equal(fieldOf(r), field);
      assert.ok(!r.ok && message.test(r.errors[0]?.message ?? ''), JSON.stringify(r));
    });
  }

  it('a correction and a rejection each need a written reason', () => {
    assert.equal(fieldOf(validateCorrectionInput({ reason: '' })), 'reason');
    assert.ok(validateCorrectionInput({ reason: 'Explant recorded on the wrong patient' }).ok);
    assert.equal(fieldOf(validateEndRejectInput({})), 'reason');
    assert.ok(validateEndRejectInput({ reason: 'Pump is still in place' }).ok);
  });

  it('each end leaves the pump in its own state, and only those states can be corrected', () => {
    assert.deepEqual(ENDED_STATE, { explant: 'explanted', death: 'deceased', transfer: 'transferred' });
    assert.equal(endedStateOf('replacement'), 'replaced');
    assert.equal(endedStateOf('death'), 'deceased');
    assert.equal(END_REQUEST_KIND_LABELS.replacement, 'Pump replaced by a new pump');
    assert.equal(replacementReason('NGP121212H'), 'Replaced by NGP121212H');
    assert.deepEqual([...CORRECTABLE_STATES].sort(), ['deceased', 'explanted', 'transferred']);
    assert.ok(!CORRECTABLE_STATES.includes('replaced'));
  });
});

describe('pausing a pump (longest pause 90 days)', () => {
  const ctx = { implantedOn: IMPLANTED, today: TODAY, maxPauseDays: 90 };
  const good = { reason: 'mri', emptied: false, note: null, pausedOn: '2026-11-24', resumeBy: '2026-11-27' };

  it('accepts a pause from today with a resume date up to 90 days on', () => {
    assert.ok(validatePauseInput(good, ctx).ok);
    assert.ok(validatePauseInput({ ...good, emptied: true }, ctx).ok);
    // 2026-11-24 + 90 days = 2027-02-22 (6 + 31 + 31 + 22).
    assert.ok(validatePauseInput({ ...good, resumeBy: '2027-02-22' }, ctx).ok);
    // Recorded after the fact: paused last week, due to resume today.
    assert.ok(validatePauseInput({ ...good, pausedOn: '2026-11-17', resumeBy: '2026-11-24' }, ctx).ok);
  });

  const bad: [string, Record<string, unknown>, string, RegExp][] = [
    ['no reason chosen', { reason: undefined }, 'reason', /Choose why/],
    // Never assumed either way: it decides how the next refill is judged.
    [
      'no answer to emptied',
      { emptied: undefined },
      'emptied',
      /whether the reservoir was emptied: yes or no/,
    ],
    ['emptied as text', { emptied: 'perhaps' }, 'emptied', /whether the reservoir was emptied: yes or no/],
    ['"other" with no note', { reason: 'other' }, 'note', /Say why/],
    [
      'a pause starting tomorrow',
      { pausedOn: '2026-11-25', resumeBy: '2026-11-30' },
      'pausedOn',
      /today or in the past/,
    ],
    ['a pause before the implant', { pausedOn: '2026-05-30' }, 'pausedOn', /implant date, 1 June 2026/],
    ['resume on the pause date', { resumeBy: '2026-11-24' }, 'resumeBy', /after the date paused/],
    ['resume before the pause', { resumeBy: '2026-11-20' }, 'resumeBy', /after the date paused/],
    // Paused on 1 November to resume on 23 November: already past today (24 November).
    [
      'a resume date already past',
      { pausedOn: '2026-11-01', resumeBy: '2026-11-23' },
      'resumeBy',
      /today or later/,
    ],
    // 2026-11-24 + 91 days = 2027-02-23: one day beyond the longest pause.
    [
      '91 days',
      { resumeBy: '2027-02-23' },
      'resumeBy',
      /within 90 days of the date paused, by 22 February 2027/,
    ],
  ];
  for (const [name, change, field, message] of bad) {
    it(`refuses ${name}, naming ${field}`, () => {
      const r = validatePauseInput({ ...good, ...change }, ctx);
      assert.equal(fieldOf(r), field, JSON.stringify(r));
      assert.ok(
        !r.ok && message.test(r.errors.find((e) => e.field === field)?.message ?? ''),
        JSON.stringify(r),
      );
    });
  }

  it('takes the longest pause from configuration', () => {
    // 2026-11-24 + 14 days = 2026-12-08.
    const short = { ...ctx, maxPauseDays: 14 };
    assert.ok(validatePauseInput({ ...good, resumeBy: '2026-12-08' }, short).ok);
    assert.equal(fieldOf(validatePauseInput({ ...good, resumeBy: '2026-12-09' }, short)), 'resumeBy');
  });

  it('a resume is dated from the pause date to today', () => {
    const pausedOn = d('2026-11-20');
    assert.ok(validateResumeInput({ resumedOn: '2026-11-20' }, pausedOn, TODAY).ok);
    assert.ok(
      validateResumeInput({ resumedOn: '2026-11-24', note: 'Refilled and restarted' }, pausedOn, TODAY).ok,
    );
    assert.equal(fieldOf(validateResumeInput({ resumedOn: '2026-11-19' }, pausedOn, TODAY)), 'resumedOn');
    assert.equal(fieldOf(validateResumeInput({ resumedOn: '2026-11-25' }, pausedOn, TODAY)), 'resumedOn');
    assert.equal(fieldOf(validateResumeInput({}, pausedOn, TODAY)), 'resumedOn');
  });

  it('keeps the refill plan after a pause only when the pump was refilled on or after the pause date', () => {
    const pausedOn = d('2026-11-20');
    assert.equal(planSurvivesPause(null, pausedOn), false, 'no refill at all');
    assert.equal(planSurvivesPause(d('2026-11-19'), pausedOn), false, 'refilled the day before the pause');
    assert.equal(planSurvivesPause(d('2026-11-20'), pausedOn), true, 'refilled on the pause date');
    assert.equal(planSurvivesPause(d('2026-11-23'), pausedOn), true, 'refilled during the pause');
  });
});

describe('a paused pump has no working due date to rank on', () => {
  const schedule = (resumeBy: PlainDate | null) =>
    pumpSchedule(
      { refillDueBy: d('2027-01-16'), implantedOn: IMPLANTED, reviewsHeld: 3, eriOn: null, resumeBy },
      findPumpModel('synchromed-ii'),
      DEFAULT_PUMP_RULES.reviewSchedule,
      new Set(),
      DEFAULT_PUMP_RULES.replacementMarginDays,
    );

  it('running: due Saturday 16 January 2027 is due on the Friday before, the 15th', () => {
    assert.equal(schedule(null).refillDueOn, '2027-01-15');
  });

  it('paused: no working due date (ranked on its resume date instead); review and replacement unchanged', () => {
    const paused = schedule(d('2026-12-01'));
    assert.equal(paused.refillDueOn, null);
    assert.equal(paused.nextReviewOn, schedule(null).nextReviewOn);
    assert.equal(paused.replaceBy, schedule(null).replaceBy);
  });
});

describe('the worklist replace-by date after ERI uses the replacement margin', () => {
  it('worked example 19(b) through pumpSchedule: ERI 2025-03-03 → replace by 2025-05-02', () => {
    // 2025-03-03 + 90 days = 2025-06-01; − 30 days = 2025-05-02.
    const schedule = pumpSchedule(
      { refillDueBy: null, implantedOn: d('2020-01-15'), reviewsHeld: 5, eriOn: d('2025-03-03') },
      findPumpModel('synchromed-ii'),
      DEFAULT_PUMP_RULES.reviewSchedule,
      new Set(),
      DEFAULT_PUMP_RULES.replacementMarginDays,
    );
    assert.equal(schedule.replaceBy, '2025-05-02');
  });
});
