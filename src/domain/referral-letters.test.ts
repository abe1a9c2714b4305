import { LETTER_COMMON } from '../../test/support/referral-fixtures.ts';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlainDate } from './calendar-date.ts';
import {
  acknowledgementLetter,
  adviceLetter,
  appointmentLetter,
  describeDays,
  formatDateWithWeekday,
  formatTime,
  splitParagraphs,
  type LetterCommon,
  type LetterContent,
} from './referral-letters.ts';

const date = (s: string): PlainDate => s as PlainDate;

const common: LetterCommon = LETTER_COMMON;

/** Every piece of text in a letter, one string, whitespace collapsed. */
function allText(letter: LetterContent): string {
  const parts = [
    letter.title,
    ...letter.from,
    ...letter.to,
    letter.reference,
    letter.salutation,
    ...letter.blocks.flatMap((b) => [b.text ?? '', ...(b.facts ?? []).map((f) => `${f.label}: ${f.value}`)]),
    ...letter.signOff,
  ];
  return parts.join('\n').replace(/\s+/g, ' ');
}

function paragraphs(letter: LetterContent): string[] {
  return letter.blocks.filter((b) => b.kind === 'paragraph').map((b) => b.text ?? '');
}

function facts(letter: LetterContent): Record<string, string> {
  return Object.fromEntries(letter.blocks.flatMap((b) => b.facts ?? []).map((f) => [f.label, f.value]));
}

describe('letter formatting helpers', () => {
  const times: [string, string][] = [
    ['14:30', '2:30pm'],
    ['09:00', '9am'],
    ['9:05', '9:05am'],
    ['12:00', 'midday'],
    ['12:15', '12:15pm'],
    ['00:00', 'midnight'],
    ['00:30', '12:30am'],
    ['23:59', '11:59pm'],
    ['24:00', '24:00'],
    ['half two', 'half two'],
  ];
  for (const [input, expected] of times) {
    it(`time ${input} is "${expected}"`, () => {
      assert.equal(formatTime(input), expected);
    });
  }

  const days: [number, string][] = [
    [42, '6 weeks'],
    [7, '1 week'],
    [14, '2 weeks'],
    [10, '10 days'],
    [1, '1 day'],
    [0, '0 days'],
  ];
  for (const [input, expected] of days) {
    it(`${input} days is "${expected}"`, () => {
      assert.equal(describeDays(input), expected);
    });
  }

  it('names the weekday of a date', () => {
    assert.equal(formatDateWithWeekday(date('2026-03-03')), 'Tuesday 3 March 2026');
    assert.equal(formatDateWithWeekday(date('2024-02-29')), 'Thursday 29 February 2024');
  });

  it('splits paragraphs on blank lines only, keeping single line breaks', () => {
    assert.deepEqual(splitParagraphs('One.\nStill one.\r\n\r\n  Two.  \n \n\n\nThree.\n'), [
      'One.\nStill one.',
      'Two.',
      'Three.',
    ]);
    assert.deepEqual(splitParagraphs('  \n\n '), []);
  });
});

describe('every letter', () => {
  const letters: [string, LetterContent][] = [
    [
      'acknowledgement',
      acknowledgementLetter({
        ...common,
        priority: 'routine',
        targetDate: date('2026-04-03'),
        targetDays: 42,
        advice: null,
      }),
    ],
    [
      'advice',
      adviceLetter({
        ...common,
        outcome: 'not-accepted',
        advice: 'Try oral baclofen.',
        redirectTo: null,
        redirectMethod: null,
      }),
    ],
    [
      'redirect',
      adviceLetter({
        ...common,
        outcome: 'redirected',
        advice: 'See them.',
        redirectTo: 'Leeds Spasticity Clinic',
        redirectMethod: 'e-rs',
      }),
    ],
    [
      'appointment',
      appointmentLetter({
        ...common,
        appointment: {
          date: date('2026-03-24'),
          time: '14:30',
          clinic: 'Clinic 4',
          clinician: 'Dr Tom Hughes',
        },
      }),
    ],
  ];
  for (const [name, letter] of letters) {
    it(`${name}: comes from the service with its address, phone and email`, () => {
      assert.deepEqual(letter.from, [
        'Leeds Intrathecal Baclofen Service',
        'Chapel Allerton Hospital',
        'Chapeltown Road',
        'Leeds LS7 4SA',
        'Phone: 0113 392 4000',
        'Email: leedsth.itb@nhs.net',
      ]);
    });
    it(`${name}: is dated and referenced by NHS number (3-3-4) and UBRN (4-4-4)`, () => {
      assert.equal(letter.date, '2026-03-03');
      assert.equal(letter.reference, 'NHS number 485 777 3457, UBRN 1234 5678 9012');
    });
    it(`${name}: is signed by the named person for the service`, () => {
      assert.deepEqual(letter.signOff, [
        'Yours sincerely',
        'Dr Tom Hughes, Consultant in Rehabilitation Medicine',
        'Leeds Intrathecal Baclofen Service',
      ]);
    });
    it(`${name}: has no unfilled values`, () => {
      assert.doesNotMatch(allText(letter), /undefined|null|NaN|\[object/);
      for (const block of letter.blocks) {
        assert.ok(block.kind === 'facts' ? (block.facts ?? []).length > 0 : (block.text ?? '').trim() !== '');
      }
    });
  }

  const ubrns: [string, string][] = [
    ['123456789012', '1234 5678 9012'],
    ['1234 5678 9012', '1234 5678 9012'],
    ['1234-5678-9012', '1234 5678 9012'],
  ];
  for (const [ubrn, shown] of ubrns) {
    it(`shows UBRN ${ubrn} as ${shown}`, () => {
      const letter = adviceLetter({
        ...common,
        referral: { receivedOn: date('2026-02-20'), ubrn },
        outcome: 'not-accepted',
        advice: 'x',
        redirectTo: null,
        redirectMethod: null,
      });
      assert.equal(letter.reference, `NHS number 485 777 3457, UBRN ${shown}`);
    });
  }

  it('leaves the UBRN out of the reference when there is none', () => {
    const letter = adviceLetter({
      ...common,
      referral: { receivedOn: date('2026-02-20'), ubrn: null },
      outcome: 'not-accepted',
      advice: 'x',
      redirectTo: null,
      redirectMethod: null,
    });
    assert.equal(letter.reference, 'NHS number 485 777 3457');
    assert.doesNotMatch(allText(letter), /UBRN/);
  });
});

describe('acknowledgement letter', () => {
  const cases: {
    name: string;
    priority: 'routine' | 'urgent';
    targetDate: string;
    targetDays: number;
    expect: RegExp[];
  }[] = [
    {
      name: 'routine, 6 weeks',
      priority: 'routine',
      targetDate: '2026-04-03',
      targetDays: 42,
      expect: [
        /We have accepted it\./,
        /We received your referral on 20 February 2026\./,
        /We have given the referral routine priority\./,
        /a first appointment by 3 April 2026\. This is within 6 weeks of receiving the referral\./,
        /Priority: Routine/,
        /First appointment by: 3 April 2026/,
      ],
    },
    {
      name: 'urgent, 10 days',
      priority: 'urgent',
      targetDate: '2026-03-02',
      targetDays: 10,
      expect: [
        /We have given the referral urgent priority\./,
        /a first appointment by 2 March 2026\. This is within 10 days of receiving the referral\./,
        /Priority: Urgent/,
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const letter = acknowledgementLetter({
        ...common,
        priority: c.priority,
        targetDate: date(c.targetDate),
        targetDays: c.targetDays,
        advice: null,
      });
      const text = allText(letter);
      for (const re of c.expect) {
        assert.match(text, re);
      }
    });
  }

  it('is to the referrer about the patient', () => {
    const letter = acknowledgementLetter({
      ...common,
      priority: 'routine',
      targetDate: date('2026-04-03'),
      targetDays: 42,
      advice: null,
    });
    assert.equal(letter.title, 'Referral accepted');
    assert.deepEqual(letter.to, ['Dr Asha Patel', 'GP', 'Riverside Surgery', 'asha.patel@nhs.net']);
    assert.equal(letter.salutation, 'Dear Dr Asha Patel');
    assert.deepEqual(facts(letter), {
      Patient: 'Jane Smith',
      'Date of birth': '3 March 1961',
      'NHS number': '485 777 3457',
      Address: '12 Park Lane, Leeds LS1 1AA',
      UBRN: '1234 5678 9012',
      'Referral received': '20 February 2026',
      Priority: 'Routine',
      'First appointment by': '3 April 2026',
    });
    assert.match(
      allText(letter),
      /Thank you for referring Jane Smith to the Leeds Intrathecal Baclofen Service\./,
    );
  });

  it("includes the consultant's advice word for word, a paragraph for each, under its heading", () => {
    const advice =
      'Please stop tizanidine two weeks before the appointment.\n\n' +
      'Bring a 7-day spasm diary,\nwith the times of the worst spasms.';
    const letter = acknowledgementLetter({
      ...common,
      priority: 'urgent',
      targetDate: date('2026-03-02'),
      targetDays: 10,
      advice,
    });
    const headingAt = letter.blocks.findIndex(
      (b) => b.kind === 'heading' && b.text === "Consultant's advice",
    );
    assert.ok(headingAt > 0, 'advice heading present');
    assert.deepEqual(
      letter.blocks.slice(headingAt + 1, headingAt + 3).map((b) => b.text),
      [
        'Please stop tizanidine two weeks before the appointment.',
        'Bring a 7-day spasm diary,\nwith the times of the worst spasms.',
      ],
    );
  });

  it('has no advice heading when the consultant gave no advice', () => {
    for (const advice of [null, '', ' \n\n ']) {
      const letter = acknowledgementLetter({
        ...common,
        priority: 'routine',
        targetDate: date('2026-04-03'),
        targetDays: 42,
        advice,
      });
      assert.equal(
        letter.blocks.some((b) => b.kind === 'heading'),
        false,
      );
    }
  });

  it('does not say "the The" for a service whose name starts with "The"', () => {
    const letter = acknowledgementLetter({
      ...common,
      service: { ...common.service, name: 'The Walton Centre ITB Service' },
      priority: 'routine',
      targetDate: date('2026-04-03'),
      targetDays: 42,
      advice: null,
    });
    assert.match(allText(letter), /referring Jane Smith to The Walton Centre ITB Service\./);
  });
});

describe('advice letter', () => {
  const advice =
    'Please try a higher dose of oral baclofen first (up to 20mg three times a day).\n\n' +
    'If spasticity is still a problem after 3 months,\nrefer again with a goal assessment.';
  const cases: {
    name: string;
    outcome: 'not-accepted' | 'redirected';
    redirectTo: string | null;
    redirectMethod: 'e-rs' | 'email' | 'post' | null;
    title: string;
    expect: RegExp[];
    notExpect: RegExp[];
  }[] = [
    {
      name: 'not accepted',
      outcome: 'not-accepted',
      redirectTo: null,
      redirectMethod: null,
      title: 'Referral not accepted',
      expect: [/We have not accepted the referral\./, /their advice is below/],
      notExpect: [/redirected/i],
    },
    {
      name: 'not accepted, a stray redirect is ignored',
      outcome: 'not-accepted',
      redirectTo: 'Somewhere Else',
      redirectMethod: 'email',
      title: 'Referral not accepted',
      expect: [/We have not accepted the referral\./],
      notExpect: [/Somewhere Else/],
    },
    {
      name: 'redirected, sent on through e-RS',
      outcome: 'redirected',
      redirectTo: 'Leeds Community Neurorehabilitation Team',
      redirectMethod: 'e-rs',
      title: 'Referral redirected',
      expect: [
        /We have redirected it to Leeds Community Neurorehabilitation Team through the NHS e-Referral Service \(e-RS\)\./,
        /We have not accepted the referral into our service\./,
        /Leeds Community Neurorehabilitation Team will decide the next steps for Jane Smith\./,
      ],
      notExpect: [/we have not sent it on/i],
    },
    {
      name: 'redirected, sent on by secure email',
      outcome: 'redirected',
      redirectTo: 'Pain Clinic',
      redirectMethod: 'email',
      title: 'Referral redirected',
      expect: [/We have redirected it to Pain Clinic by secure email\./],
      notExpect: [],
    },
    {
      name: 'redirected, sent on by post',
      outcome: 'redirected',
      redirectTo: 'Pain Clinic',
      redirectMethod: 'post',
      title: 'Referral redirected',
      expect: [/We have redirected it to Pain Clinic by post\./],
      notExpect: [],
    },
    {
      name: 'redirect advised but not sent on: never says "we have redirected it"',
      outcome: 'redirected',
      redirectTo: 'Pain Clinic',
      redirectMethod: null,
      title: 'Referral not accepted: another service advised',
      expect: [
        /We have not accepted the referral into our service, and we have not sent it on\./,
        /We advise that Jane Smith is referred to Pain Clinic\./,
        /Please refer Jane Smith to Pain Clinic if you agree\./,
      ],
      notExpect: [/we have redirected/i, /will decide the next steps/],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const letter = adviceLetter({
        ...common,
        outcome: c.outcome,
        advice,
        redirectTo: c.redirectTo,
        redirectMethod: c.redirectMethod,
      });
      assert.equal(letter.title, c.title);
      assert.deepEqual(letter.to, ['Dr Asha Patel', 'GP', 'Riverside Surgery', 'asha.patel@nhs.net']);
      assert.equal(letter.salutation, 'Dear Dr Asha Patel');
      const text = allText(letter);
      for (const re of c.expect) {
        assert.match(text, re);
      }
      for (const re of c.notExpect) {
        assert.doesNotMatch(text, re);
      }
      // The advice, verbatim, one paragraph block for each paragraph, after its heading.
      const ps = paragraphs(letter);
      const first = ps.indexOf(
        'Please try a higher dose of oral baclofen first (up to 20mg three times a day).',
      );
      assert.ok(first > 0, 'first advice paragraph present verbatim');
      assert.equal(
        ps[first + 1],
        'If spasticity is still a problem after 3 months,\nrefer again with a goal assessment.',
      );
      const headingAt = letter.blocks.findIndex(
        (b) => b.kind === 'heading' && b.text === "Consultant's advice",
      );
      assert.ok(headingAt >= 0 && headingAt < letter.blocks.findIndex((b) => b.text === ps[first]));
    });
  }

  it('leaves out the advice heading when there is no advice', () => {
    const letter = adviceLetter({
      ...common,
      outcome: 'redirected',
      advice: ' \n ',
      redirectTo: 'Clinic X',
      redirectMethod: 'post',
    });
    assert.equal(
      letter.blocks.some((b) => b.kind === 'heading'),
      false,
    );
  });

  it('refuses a redirect that does not name the service', () => {
    for (const redirectTo of [null, '  ']) {
      assert.throws(
        () =>
          adviceLetter({ ...common, outcome: 'redirected', advice: 'x', redirectTo, redirectMethod: null }),
        RangeError,
      );
    }
  });
});

describe('appointment letter', () => {
  const cases: { time: string; on: string; expectWhen: string }[] = [
    { time: '14:30', on: '2026-03-24', expectWhen: 'Tuesday 24 March 2026 at 2:30pm' },
    { time: '09:00', on: '2026-03-27', expectWhen: 'Friday 27 March 2026 at 9am' },
    { time: '12:00', on: '2026-04-01', expectWhen: 'Wednesday 1 April 2026 at midday' },
  ];
  for (const c of cases) {
    it(`${c.on} ${c.time}: says "${c.expectWhen}"`, () => {
      const letter = appointmentLetter({
        ...common,
        appointment: {
          date: date(c.on),
          time: c.time,
          clinic: 'Clinic 4, Chapel Allerton',
          clinician: 'Dr Tom Hughes',
        },
      });
      assert.match(
        allText(letter),
        new RegExp(`with the Leeds Intrathecal Baclofen Service on ${c.expectWhen}\\.`),
      );
    });
  }

  const letter = appointmentLetter({
    ...common,
    appointment: {
      date: date('2026-03-24'),
      time: '14:30',
      clinic: 'Clinic 4, Chapel Allerton Hospital',
      clinician: 'Dr Tom Hughes',
    },
  });

  it('is to the patient at their address', () => {
    assert.equal(letter.title, 'Your appointment');
    assert.deepEqual(letter.to, ['Jane Smith', '12 Park Lane', 'Leeds LS1 1AA']);
    assert.equal(letter.salutation, 'Dear Jane Smith');
  });

  it('gives the date, time, clinic and clinician', () => {
    assert.deepEqual(facts(letter), {
      Date: 'Tuesday 24 March 2026',
      Time: '2:30pm',
      Clinic: 'Clinic 4, Chapel Allerton Hospital',
      'You will see': 'Dr Tom Hughes',
    });
  });

  const says: [string, RegExp][] = [
    ['what to bring: medicines', /bring a list of all the medicines you take now/],
    ['what to bring: glasses and hearing aids', /glasses or use hearing aids, bring them/],
    ['what to bring: a carer', /bring a carer/],
    ['how to cancel or rebook, with the phone number', /cancel or change.*call us on 0113 392 4000/],
    ['who referred them', /Dr Asha Patel \(GP, Riverside Surgery\) referred you to us\./],
    ['when the referral arrived', /We received the referral on 20 February 2026\./],
  ];
  for (const [name, re] of says) {
    it(`says ${name}`, () => {
      assert.match(allText(letter), re);
    });
  }

  it('describes the referrer without blank parts', () => {
    const l = appointmentLetter({
      ...common,
      referrer: { ...common.referrer, role: '', organisation: 'Riverside Surgery' },
      appointment: {
        date: date('2026-03-24'),
        time: '14:30',
        clinic: 'Clinic 4',
        clinician: 'Dr Tom Hughes',
      },
    });
    assert.match(allText(l), /Dr Asha Patel \(Riverside Surgery\) referred you/);
  });
});
