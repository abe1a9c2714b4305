import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LETTER_COMMON } from '../../test/support/referral-fixtures.ts';
import type { PlainDate } from './calendar-date.ts';
import { clinicLetter } from './clinic-letter.ts';
import {
  nextStepLink,
  outcomeBar,
  validateFirstAppointmentOutcome,
  type NextStep,
} from './first-appointment-outcome.ts';
import type { LetterContent } from './referral-letters.ts';

const date = (s: string) => s as PlainDate;

function fieldsOf(raw: Record<string, unknown>): string[] {
  const r = validateFirstAppointmentOutcome(raw);
  return r.ok ? [] : r.errors.map((e) => e.field).sort();
}

describe('first-appointment outcome input', () => {
  const cases: [string, Record<string, unknown>, string[]][] = [
    [
      'selection assessment with a summary',
      { nextStep: 'selection-assessment', summary: 'Goals agreed.' },
      [],
    ],
    ['discharge with a summary', { nextStep: 'discharge', summary: 'Spasticity is mild.' }, []],
    ['rebook with a summary', { nextStep: 'rebook', summary: 'Needs a longer slot.' }, []],
    [
      'refer elsewhere, naming the service',
      { nextStep: 'refer-elsewhere', summary: 'Pain.', referTo: 'Pain clinic' },
      [],
    ],
    ['refer elsewhere without the service', { nextStep: 'refer-elsewhere', summary: 'Pain.' }, ['referTo']],
    [
      'refer elsewhere with a blank service',
      { nextStep: 'refer-elsewhere', summary: 'Pain.', referTo: '  ' },
      ['referTo'],
    ],
    ['no next step', { summary: 'x' }, ['nextStep']],
    ['an unknown next step', { nextStep: 'operate', summary: 'x' }, ['nextStep']],
    ['no summary', { nextStep: 'discharge', summary: ' ' }, ['summary']],
    ['a summary too long', { nextStep: 'discharge', summary: 'x'.repeat(5001) }, ['summary']],
    ['nothing', {}, ['nextStep', 'summary']],
  ];
  for (const [name, raw, expected] of cases) {
    it(`${name}: ${expected.length === 0 ? 'accepted' : `names ${expected.join(', ')}`}`, () => {
      assert.deepEqual(fieldsOf(raw), expected);
    });
  }

  it('keeps the service referred to only for a referral elsewhere', () => {
    const r = validateFirstAppointmentOutcome({
      nextStep: 'discharge',
      summary: 'x',
      referTo: 'Pain clinic',
    });
    assert.ok(r.ok);
    assert.equal(r.value.referTo, null);
  });
});

describe('whether an outcome can be recorded', () => {
  const cases: [string, string, string, boolean, string | null][] = [
    ['booked, on the day', 'booked', '2026-11-25', false, null],
    ['booked, in the past', 'booked', '2026-11-20', false, null],
    ['attended with a note only', 'attended', '2026-11-20', false, null],
    ['booked for tomorrow', 'booked', '2026-11-26', false, 'FIRST_APPOINTMENT_NOT_YET_DUE'],
    ['cancelled', 'cancelled', '2026-11-20', false, 'FIRST_APPOINTMENT_CANCELLED'],
    ['already has its next step', 'attended', '2026-11-20', true, 'FIRST_APPOINTMENT_NEXT_STEP_RECORDED'],
  ];
  for (const [name, state, on, recorded, expected] of cases) {
    it(`${name}: ${expected ?? 'can be recorded'}`, () => {
      assert.equal(outcomeBar({ state, date: date(on) }, date('2026-11-25'), recorded), expected);
    });
  }
});

describe('where each next step leads', () => {
  const ids = { patientId: 'p1', referralId: 'r1' };
  const cases: [NextStep, string | null][] = [
    ['selection-assessment', '/patients/p1/assessments/new?referralId=r1'],
    ['rebook', '/referrals/r1/appointments/new'],
    ['discharge', null],
    ['refer-elsewhere', null],
  ];
  for (const [step, href] of cases) {
    it(`${step}: ${href ?? 'nothing further'}`, () => {
      assert.equal(nextStepLink(step, ids)?.href ?? null, href);
    });
  }
});

function allText(letter: LetterContent): string {
  return [
    letter.title,
    ...letter.to,
    letter.salutation,
    ...letter.blocks.flatMap((b) => [b.text ?? '', ...(b.facts ?? []).map((f) => `${f.label}: ${f.value}`)]),
  ]
    .join('\n')
    .replace(/\s+/g, ' ');
}

describe('clinic letter', () => {
  const base = {
    ...LETTER_COMMON,
    appointment: { date: date('2026-03-24'), clinic: 'Spasticity clinic', clinician: 'Dr Tom Hughes' },
    summary: 'Tone is high in both legs.\n\nWe agreed goals: easier transfers and less night pain.',
    referTo: null,
  };
  const cases: [NextStep, string | null, RegExp[]][] = [
    [
      'selection-assessment',
      null,
      [/whether intrathecal baclofen \(ITB\) therapy is right for you/, /selection assessment/],
    ],
    [
      'discharge',
      null,
      [/We have discharged you back to the care of Dr Asha Patel\./, /can refer you to us again/],
    ],
    [
      'rebook',
      null,
      [
        /We need to see you again/,
        /We will write to you with the date, time and place of your next appointment\./,
      ],
    ],
    [
      'refer-elsewhere',
      'Leeds Pain Service',
      [/We are referring you to them\./, /Leeds Pain Service will contact you/],
    ],
  ];
  for (const [nextStep, referTo, says] of cases) {
    it(`${nextStep}: to the patient, copied to the referrer, the summary verbatim, and what happens next`, () => {
      const letter = clinicLetter({ ...base, nextStep, referTo });
      assert.deepEqual(letter.to, ['Jane Smith', '12 Park Lane', 'Leeds LS1 1AA']);
      assert.equal(letter.salutation, 'Dear Jane Smith');
      const text = allText(letter);
      assert.match(text, /Copy to: Dr Asha Patel \(GP, Riverside Surgery\)/);
      assert.match(text, /Seen on: Tuesday 24 March 2026/);
      const paragraphs = letter.blocks.filter((b) => b.kind === 'paragraph').map((b) => b.text);
      assert.ok(paragraphs.includes('Tone is high in both legs.'));
      assert.ok(paragraphs.includes('We agreed goals: easier transfers and less night pain.'));
      for (const re of says) {
        assert.match(text, re);
      }
      assert.match(text, /call us on 0113 392 4000 or email leedsth\.itb@nhs\.net/);
      assert.doesNotMatch(text, /undefined|null|NaN/);
    });
  }

  it('refuses a referral elsewhere that does not name the service', () => {
    assert.throws(() => clinicLetter({ ...base, nextStep: 'refer-elsewhere', referTo: ' ' }), RangeError);
  });
});
