import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlainDate } from './calendar-date.ts';
import { documentContacts } from './document-contacts.ts';
import { alarmGuidance } from './pump-alarms.ts';
import { refillLetter, type RefillLetterInput } from './refill-letter.ts';
import type { LetterContent } from './referral-letters.ts';

const d = (s: string) => s as PlainDate;
export const REFILL_LETTER_INPUT: RefillLetterInput = {
  service: { name: 'Leeds ITB Service', addressLines: ['Leeds General Infirmary', 'LS1 3EX'] },
  contacts: documentContacts({
    phone: '0113 496 0000',
    email: 'itb@example.org',
    adviceLine: { phone: '0113 496 0001', hours: 'Monday to Friday, 8am to 4pm' },
  }),
  date: d('2026-12-07'),
  patient: {
    name: 'Ann Smith',
    nhsNumber: '4857773457',
    addressLines: ['1 High Street', 'Leeds', 'LS1 1AA'],
  },
  pump: { modelId: 'synchromed-ii', modelName: 'Medtronic SynchroMed II (8637)' },
  refill: { performedOn: d('2026-12-07'), instilledMl: 20, drug: 'baclofen', concentrationMcgPerMl: 2000 },
  dose: { doseMcgPerDay: 150, description: 'Simple continuous, 150 mcg/day' },
  nextRefillDueOn: d('2027-04-30'),
  bookedOn: null,
  alarmOn: d('2027-05-20'),
  signedBy: 'Sister Jo Bloggs',
};

function text(letter: LetterContent): string {
  return letter.blocks
    .map((b) => b.text ?? (b.facts ?? []).map((f) => `${f.label}: ${f.value}`).join('\n'))
    .join('\n');
}

describe('refillLetter', () => {
  it('states the refill done, the next refill date and the alarm date', () => {
    const t = text(refillLetter(REFILL_LETTER_INPUT));
    assert.match(t, /Refilled on: 7 December 2026/);
    assert.match(t, /Amount put in: 20 ml/);
    assert.match(t, /Medicine: baclofen, 2,000 mcg\/ml/);
    assert.match(t, /Your daily dose: 150 mcg\/day/);
    assert.match(t, /Next refill due by: 30 April 2027/);
    assert.match(t, /Low-reservoir alarm expected on: 20 May 2027/);
    assert.match(t, /not booked yet/);
  });

  it('says when the next refill is booked', () => {
    const t = text(refillLetter({ ...REFILL_LETTER_INPUT, bookedOn: d('2027-04-28') }));
    assert.match(t, /booked for 28 April 2027/);
  });

  it('tells the SynchroMed alarms apart: two tones critical, one tone low reservoir', () => {
    const t = text(refillLetter(REFILL_LETTER_INPUT));
    assert.match(t, /Two tones \(the critical alarm\): The medicine has stopped flowing/);
    assert.match(t, /One tone, about once an hour \(the low-reservoir alarm\)/);
  });

  it('invents no alarm sounds for a model whose alarms no source describes (Prometra II, GAP)', () => {
    assert.equal(alarmGuidance('prometra-ii').critical, null);
    const t = text(
      refillLetter({
        ...REFILL_LETTER_INPUT,
        pump: { modelId: 'prometra-ii', modelName: 'Flowonix Prometra II' },
      }),
    );
    assert.doesNotMatch(t, /Two tones/);
    assert.match(t, /ITB nurse will show you what your pump’s alarms sound like/);
  });

  it('says whom to call in and out of hours', () => {
    const t = text(refillLetter(REFILL_LETTER_INPUT));
    assert.match(t, /ITB team: 0113 496 0000/);
    assert.match(t, /Advice line: 0113 496 0001, Monday to Friday, 8am to 4pm/);
    assert.match(t, /Out of hours: A&E or 999/);
  });

  it('refuses dates before the refill: a wrong next refill date is worse than no letter', () => {
    assert.throws(
      () => refillLetter({ ...REFILL_LETTER_INPUT, nextRefillDueOn: d('2026-12-01') }),
      RangeError,
    );
    assert.throws(() => refillLetter({ ...REFILL_LETTER_INPUT, alarmOn: d('2026-12-06') }), RangeError);
  });
});
