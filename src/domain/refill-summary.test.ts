import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlainDate } from './calendar-date.ts';
import { OVERDOSE_SIGNS, patientRefillSummary, WITHDRAWAL_SIGNS, type AdviceLine } from './refill-summary.ts';

const LEEDS_HOURS = 'Monday to Friday, 8am to 4pm';

function summary(adviceLine: AdviceLine, bookedOn: string | null = null, note: string | null = null): string {
  return patientRefillSummary({
    performedOn: '2026-11-24' as PlainDate,
    instilledMl: 20,
    concentrationMcgPerMl: 500,
    doseDescription: '150 micrograms a day, continuous',
    alarmOn: '2027-01-23' as PlainDate,
    dueOn: '2027-01-15' as PlainDate,
    bookedOn: bookedOn as PlainDate | null,
    adviceLine,
    note,
  });
}

const FULL = summary({ phone: '0113 392 0000', hours: LEEDS_HOURS });

/** The paragraph (blank-line separated) that mentions `words`. */
function paragraphWith(text: string, words: RegExp): string {
  const found = text.split('\n\n').find((p) => words.test(p));
  assert.ok(found, `no paragraph matches ${String(words)}`);
  return found;
}

describe('the patient’s refill information', () => {
  it('says what was put in, the dose, the refill due date and the alarm date', () => {
    assert.match(
      FULL,
      /^Your pump was refilled on 24 November 2026 with 20 mL of baclofen 500 micrograms per mL\.$/m,
    );
    assert.match(FULL, /^Your dose: 150 micrograms a day, continuous\.$/m);
    assert.match(FULL, /Your next refill is due by 15 January 2027\./);
    assert.match(FULL, /low-reservoir alarm is expected to sound on 23 January 2027/);
  });

  it('tells the two alarms apart: two tones is urgent (A&E or 999 with the card), one tone means ring for a refill', () => {
    const twoTone =
      paragraphWith(FULL, /Two tones/)
        .split('\n')
        .find((l) => l.startsWith('Two tones')) ?? '';
    assert.match(twoTone, /critical alarm/);
    assert.match(twoTone, /urgent/);
    assert.match(twoTone, /stopped flowing/);
    assert.match(twoTone, /empty, has reached the end of its life or has a fault/);
    assert.match(twoTone, /Go to A&E or call 999 straight away, and take your emergency card\./);
    assert.doesNotMatch(twoTone, /advice line/);
    const oneTone =
      paragraphWith(FULL, /One tone/)
        .split('\n')
        .find((l) => l.startsWith('One tone')) ?? '';
    assert.match(oneTone, /low-reservoir alarm/);
    assert.match(oneTone, /running low/);
    assert.match(
      oneTone,
      /Ring the advice line on 0113 392 0000 the same day, or the next day it is open, to arrange a refill or the replacement\./,
    );
    assert.doesNotMatch(oneTone, /999|A&E/);
  });

  it('lists the signs of withdrawal and of overdose, each under its own heading', () => {
    const withdrawal = paragraphWith(FULL, /^Signs of too little baclofen \(withdrawal\):/);
    for (const sign of [
      'itching without a rash',
      'pins and needles',
      'spasticity',
      'fever',
      'fast heart rate',
      'low blood pressure',
      'confusion',
    ]) {
      assert.ok(withdrawal.includes(sign), `withdrawal lists ${sign}`);
    }
    const overdose = paragraphWith(FULL, /^Signs of too much baclofen \(overdose\):/);
    for (const sign of [
      'drowsiness',
      'floppiness',
      'dizziness',
      'slow or shallow breathing',
      'fits (seizures)',
      'hard to wake, or unconscious',
    ]) {
      assert.ok(overdose.includes(sign), `overdose lists ${sign}`);
    }
    assert.equal(withdrawal.split('\n').length, WITHDRAWAL_SIGNS.length + 1);
    assert.equal(overdose.split('\n').length, OVERDOSE_SIGNS.length + 1);
  });

  it('sends the signs straight to A&E or 999 with the emergency card, not to a call back', () => {
    const urgent = paragraphWith(FULL, /^If you have any of these signs/);
    assert.match(urgent, /this is urgent/);
    assert.match(urgent, /Go to A&E or call 999 straight away, and take your emergency card\./);
    assert.match(urgent, /Do not leave a message and wait for a call back\./);
  });

  it('gives the advice line’s number and hours from the settings', () => {
    assert.match(
      FULL,
      /^Advice line: 0113 392 0000, Monday to Friday, 8am to 4pm\. Leave a message and a nurse will call you back\. It is not for anything urgent\.$/m,
    );
    const other = summary({ phone: '01632 960 000', hours: 'Every day, 9am to 5pm' });
    assert.match(other, /^Advice line: 01632 960 000, Every day, 9am to 5pm\./m);
    assert.doesNotMatch(other, /Monday to Friday/);
  });

  const unset: [string, AdviceLine, RegExp | null][] = [
    [
      'no phone number',
      { phone: '', hours: LEEDS_HOURS },
      /^The advice line is open Monday to Friday, 8am to 4pm\./m,
    ],
    ['no hours', { phone: '0113 392 0000', hours: '' }, /^Advice line: 0113 392 0000\. Leave a message/m],
    ['neither', { phone: '', hours: '  ' }, null],
  ];
  for (const [name, adviceLine, line] of unset) {
    it(`leaves out what is not set (${name}), never printing an empty number`, () => {
      const text = summary(adviceLine);
      assert.doesNotMatch(text, / on \./);
      assert.doesNotMatch(text, / on ,/);
      assert.doesNotMatch(text, /\son\s*$/m);
      assert.doesNotMatch(text, /Advice line: ,/);
      assert.doesNotMatch(text, /, \./);
      if (line) {
        assert.match(text, line);
      } else {
        assert.doesNotMatch(text, /Advice line|advice line is open/);
      }
      if (adviceLine.phone === '') {
        assert.match(
          text,
          /Ring the advice line the same day, or the next day it is open, to arrange a refill/,
        );
        assert.match(text, /If it is not booked yet, ring the advice line to book it\./);
      }
    });
  }

  it('says when the next refill is booked, and adds the clinician’s note last', () => {
    const text = summary(
      { phone: '0113 392 0000', hours: LEEDS_HOURS },
      '2027-01-12',
      'Next dose change at the refill.',
    );
    assert.match(text, /due by 15 January 2027\. It is booked for 12 January 2027\./);
    assert.doesNotMatch(text, /not booked yet/);
    assert.ok(text.endsWith('\n\nNext dose change at the refill.'));
  });
});
