/**
 * The clinic letter after a first appointment: written to the patient, in plain words, with a
 * copy to the referrer, as the Academy of Medical Royal Colleges' "Please, write to me" (2018)
 * guidance asks of outpatient letters. It quotes the clinician's summary word for word and says
 * what happens next from the recorded next step, never from free text alone.
 */
import { formatPlainDate, type PlainDate } from './calendar-date.ts';
import type { NextStep } from './first-appointment-outcome.ts';
import { formatNhsNumber } from './nhs-number.ts';
import {
  contactUs,
  describeReferrer,
  formatDateWithWeekday,
  fromLines,
  heading,
  paragraph,
  reference,
  signOff,
  splitParagraphs,
  theService,
  type LetterBlock,
  type LetterCommon,
  type LetterContent,
} from './referral-letters.ts';

export interface ClinicLetterInput extends LetterCommon {
  readonly appointment: { readonly date: PlainDate; readonly clinic: string; readonly clinician: string };
  readonly nextStep: NextStep;
  /** What was found and agreed, verbatim; blank lines separate paragraphs. */
  readonly summary: string;
  /** The service the patient is referred to; required when the next step is 'refer-elsewhere'. */
  readonly referTo: string | null;
}

/** What happens next, to the patient, for each next step. */
function whatHappensNext(d: ClinicLetterInput): string[] {
  const referrer = d.referrer.name;
  switch (d.nextStep) {
    case 'selection-assessment':
      return [
        'We would like to find out whether intrathecal baclofen (ITB) therapy is right for you. ' +
          'This is called a selection assessment.',
        'We will contact you to arrange it. You may be asked to try a test dose later, if the assessment shows it could help.',
      ];
    case 'discharge':
      return [
        `You do not need to come back to ${theService(d.service)}. We have discharged you back to the care of ${referrer}.`,
        `If things change, ${referrer} can refer you to us again.`,
      ];
    case 'rebook':
      return [
        'We need to see you again before we decide what is best for you.',
        'We will write to you with the date, time and place of your next appointment.',
      ];
    case 'refer-elsewhere': {
      const to = d.referTo?.trim() ?? '';
      return [
        `We think ${to} is better placed to help you. We are referring you to them.`,
        `${to} will contact you about what happens next. If you do not hear from them, please contact us.`,
      ];
    }
  }
}

/** Throws when a referral elsewhere does not say where to: the letter would not make sense. */
export function clinicLetter(d: ClinicLetterInput): LetterContent {
  if (d.nextStep === 'refer-elsewhere' && (d.referTo?.trim() ?? '') === '') {
    throw new RangeError('A referral elsewhere needs the name of the service');
  }
  const seenOn = formatDateWithWeekday(d.appointment.date);
  const summary = splitParagraphs(d.summary);
  const facts: LetterBlock = {
    kind: 'facts',
    facts: [
      { label: 'Patient', value: d.patient.name },
      { label: 'Date of birth', value: formatPlainDate(d.patient.dateOfBirth) },
      { label: 'NHS number', value: formatNhsNumber(d.patient.nhsNumber) },
      { label: 'Seen on', value: seenOn },
      { label: 'Clinic', value: d.appointment.clinic },
      { label: 'Seen by', value: d.appointment.clinician },
      { label: 'Copy to', value: describeReferrer(d.referrer) },
    ],
  };
  return {
    title: 'Your first appointment: what happens next',
    from: fromLines(d.service),
    to: [d.patient.name, ...d.patient.addressLines],
    date: d.date,
    reference: reference(d),
    salutation: `Dear ${d.patient.name}`,
    blocks: [
      facts,
      paragraph(
        `Thank you for coming to see us at ${theService(d.service)} on ${seenOn}. ` +
          `This letter sets out what we found and what happens next. We have sent a copy to ${describeReferrer(d.referrer)}, who referred you.`,
      ),
      ...(summary.length > 0 ? [heading('What we found and agreed'), ...summary.map(paragraph)] : []),
      heading('What happens next'),
      ...whatHappensNext(d).map(paragraph),
      paragraph(contactUs(d.service)),
    ],
    signOff: signOff(d),
  };
}
