/**
 * The letters the service sends after triage, built as data so the same content can become a
 * PDF, an email body or a page: an acknowledgement to the referrer when a referral is accepted,
 * an advice letter to the referrer when it is not accepted or is redirected, and an appointment
 * letter to the patient. Wording follows the NHS content style: plain English, short sentences,
 * "we", dates as "3 March 2026", times as "2:30pm".
 */
import { formatPlainDate, type PlainDate } from './calendar-date.ts';
import { formatNhsNumber } from './nhs-number.ts';
import type { RedirectMethod } from './triage.ts';
import { formatUbrn, parseUbrn } from './ubrn.ts';

export interface LetterFact {
  readonly label: string;
  readonly value: string;
}

export interface LetterBlock {
  readonly kind: 'heading' | 'paragraph' | 'facts';
  readonly text?: string;
  readonly facts?: readonly LetterFact[];
}

export interface LetterContent {
  readonly title: string;
  /** Service name, address lines, phone, email. */
  readonly from: readonly string[];
  /** Recipient name and address or contact lines. */
  readonly to: readonly string[];
  readonly date: PlainDate;
  /** "NHS number 485 777 3457", then ", UBRN 1234 5678 9012" when there is one. */
  readonly reference: string;
  readonly salutation: string;
  readonly blocks: readonly LetterBlock[];
  /** The closing ("Yours sincerely"), then the signer's name, then the service. */
  readonly signOff: readonly string[];
}

export interface LetterService {
  readonly name: string;
  readonly addressLines: readonly string[];
  readonly phone: string;
  readonly email: string;
}

export interface LetterPatient {
  readonly name: string;
  readonly nhsNumber: string;
  readonly dateOfBirth: PlainDate;
  readonly addressLines: readonly string[];
}

export interface LetterReferrer {
  readonly name: string;
  readonly role: string;
  readonly organisation: string;
  readonly contact: string;
}

export interface LetterReferral {
  readonly receivedOn: PlainDate;
  /** e-Referral Service Unique Booking Reference Number: 12 digits. */
  readonly ubrn: string | null;
}

export interface LetterCommon {
  readonly service: LetterService;
  readonly date: PlainDate;
  readonly patient: LetterPatient;
  readonly referrer: LetterReferrer;
  readonly referral: LetterReferral;
  /** The consultant or member of staff who signs the letter. */
  readonly signedBy: string;
}

export interface AcknowledgementLetterInput extends LetterCommon {
  readonly priority: 'routine' | 'urgent';
  readonly targetDate: PlainDate;
  readonly targetDays: number;
  /**
   * The consultant's advice, given word for word as the triage form promises; null or blank
   * when they gave none.
   */
  readonly advice: string | null;
}

export interface AdviceLetterInput extends LetterCommon {
  readonly outcome: 'not-accepted' | 'redirected';
  /** The consultant's advice, given verbatim; blank lines separate paragraphs. */
  readonly advice: string;
  /** The service the referral went to; required when the outcome is 'redirected'. */
  readonly redirectTo: string | null;
  /**
   * How the referral was sent on to `redirectTo`; null when it was not sent on (the referrer is
   * asked to refer there instead). Ignored unless the outcome is 'redirected'.
   */
  readonly redirectMethod: RedirectMethod | null;
}

/** "by e-RS": how the letter says a referral was sent on. */
const SENT_BY: Readonly<Record<RedirectMethod, string>> = {
  'e-rs': 'through the NHS e-Referral Service (e-RS)',
  email: 'by secure email',
  post: 'by post',
};

export interface AppointmentLetterInput extends LetterCommon {
  readonly appointment: {
    readonly date: PlainDate;
    /** HH:MM, 24-hour clock. */
    readonly time: string;
    readonly clinic: string;
    readonly clinician: string;
  };
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** "2:30pm", "9am", "midday", "midnight" (NHS style); anything not HH:MM is returned as given. */
export function formatTime(time: string): string {
  const m = /^(\d{1,2}):(\d{2})$/.exec(time.trim());
  if (!m) {
    return time;
  }
  const hours = Number(m[1]);
  const minutes = Number(m[2]);
  if (hours > 23 || minutes > 59) {
    return time;
  }
  if (minutes === 0 && hours === 12) {
    return 'midday';
  }
  if (minutes === 0 && hours === 0) {
    return 'midnight';
  }
  const h12 = hours % 12 === 0 ? 12 : hours % 12;
  const suffix = hours < 12 ? 'am' : 'pm';
  return minutes === 0 ? `${h12}${suffix}` : `${h12}:${m[2] ?? ''}${suffix}`;
}

/** "Tuesday 3 March 2026"; an invalid date falls back to formatPlainDate's own fallback. */
export function formatDateWithWeekday(date: PlainDate): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) {
    return formatPlainDate(date);
  }
  const weekday = WEEKDAYS[new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).getUTCDay()];
  return weekday === undefined ? formatPlainDate(date) : `${weekday} ${formatPlainDate(date)}`;
}

/** "6 weeks" when the days make whole weeks, else "10 days". */
export function describeDays(days: number): string {
  if (days > 0 && days % 7 === 0) {
    const weeks = days / 7;
    return weeks === 1 ? '1 week' : `${weeks} weeks`;
  }
  return days === 1 ? '1 day' : `${days} days`;
}

/** Splits text into paragraphs on blank lines, keeping each paragraph's wording as written. */
export function splitParagraphs(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

export function fromLines(service: LetterService): string[] {
  return [service.name, ...service.addressLines, `Phone: ${service.phone}`, `Email: ${service.email}`];
}

function referrerLines(referrer: LetterReferrer): string[] {
  return [referrer.name, referrer.role, referrer.organisation, referrer.contact].filter(
    (line) => line.trim() !== '',
  );
}

/** "Dr Asha Patel (GP, Riverside Surgery)", leaving out any part that is blank. */
export function describeReferrer(referrer: LetterReferrer): string {
  const about = [referrer.role, referrer.organisation].filter((part) => part.trim() !== '').join(', ');
  return about === '' ? referrer.name : `${referrer.name} (${about})`;
}

/** "the Leeds ITB Service", without doubling a name that already starts with "The". */
export function theService(service: LetterService): string {
  return /^the\s/i.test(service.name) ? service.name : `the ${service.name}`;
}

/** A UBRN as e-RS shows it, "1234 5678 9012", however it was typed. */
function showUbrn(ubrn: string): string {
  return formatUbrn(parseUbrn(ubrn) ?? ubrn);
}

export function reference(d: LetterCommon): string {
  const nhs = `NHS number ${formatNhsNumber(d.patient.nhsNumber)}`;
  return d.referral.ubrn === null || d.referral.ubrn.trim() === ''
    ? nhs
    : `${nhs}, UBRN ${showUbrn(d.referral.ubrn)}`;
}

function patientFacts(d: LetterCommon): LetterBlock {
  const facts: LetterFact[] = [
    { label: 'Patient', value: d.patient.name },
    { label: 'Date of birth', value: formatPlainDate(d.patient.dateOfBirth) },
    { label: 'NHS number', value: formatNhsNumber(d.patient.nhsNumber) },
  ];
  if (d.patient.addressLines.length > 0) {
    facts.push({ label: 'Address', value: d.patient.addressLines.join(', ') });
  }
  if (d.referral.ubrn !== null && d.referral.ubrn.trim() !== '') {
    facts.push({ label: 'UBRN', value: showUbrn(d.referral.ubrn) });
  }
  facts.push({ label: 'Referral received', value: formatPlainDate(d.referral.receivedOn) });
  return { kind: 'facts', facts };
}

export function signOff(d: LetterCommon): string[] {
  return ['Yours sincerely', d.signedBy, d.service.name];
}

export function paragraph(text: string): LetterBlock {
  return { kind: 'paragraph', text };
}

export function heading(text: string): LetterBlock {
  return { kind: 'heading', text };
}

export function contactUs(service: LetterService): string {
  return `If you have any questions, call us on ${service.phone} or email ${service.email}.`;
}

/** The advice letter's title, also its email's subject: "redirected" only when it was sent on. */
export function adviceLetterTitle(
  outcome: AdviceLetterInput['outcome'],
  redirectMethod: RedirectMethod | null,
): string {
  if (outcome !== 'redirected') {
    return 'Referral not accepted';
  }
  return redirectMethod === null ? 'Referral not accepted: another service advised' : 'Referral redirected';
}

/** The consultant's advice under its heading, word for word, a block for each paragraph. */
function adviceBlocks(advice: string | null): LetterBlock[] {
  const paragraphs = splitParagraphs(advice ?? '');
  return paragraphs.length > 0 ? [heading("Consultant's advice"), ...paragraphs.map(paragraph)] : [];
}

/** To the referrer: the referral is accepted, with its priority and the first-appointment target. */
export function acknowledgementLetter(d: AcknowledgementLetterInput): LetterContent {
  const received = formatPlainDate(d.referral.receivedOn);
  const target = formatPlainDate(d.targetDate);
  return {
    title: 'Referral accepted',
    from: fromLines(d.service),
    to: referrerLines(d.referrer),
    date: d.date,
    reference: reference(d),
    salutation: `Dear ${d.referrer.name}`,
    blocks: [
      patientFacts(d),
      paragraph(
        `Thank you for referring ${d.patient.name} to ${theService(d.service)}. ` +
          `We received your referral on ${received}. We have accepted it.`,
      ),
      {
        kind: 'facts',
        facts: [
          { label: 'Priority', value: d.priority === 'urgent' ? 'Urgent' : 'Routine' },
          { label: 'First appointment by', value: target },
        ],
      },
      paragraph(
        `We have given the referral ${d.priority} priority. ` +
          `We will offer ${d.patient.name} a first appointment by ${target}. ` +
          `This is within ${describeDays(d.targetDays)} of receiving the referral.`,
      ),
      paragraph(`We will write to ${d.patient.name} with the date, time and place of the appointment.`),
      ...adviceBlocks(d.advice),
      paragraph(
        `If ${d.patient.name}'s condition gets worse before then, or anything else changes, please contact us. ` +
          `Call us on ${d.service.phone} or email ${d.service.email}.`,
      ),
    ],
    signOff: signOff(d),
  };
}

/**
 * To the referrer: the referral is not accepted, or is redirected to another service (sent on,
 * or advised), with the consultant's advice verbatim (one paragraph block for each paragraph of the advice).
 * Throws when a redirected referral does not say where it went.
 */
export function adviceLetter(d: AdviceLetterInput): LetterContent {
  const redirectTo = d.redirectTo?.trim() ?? '';
  if (d.outcome === 'redirected' && redirectTo === '') {
    throw new RangeError('A redirected referral needs the name of the service it was redirected to');
  }
  const received = formatPlainDate(d.referral.receivedOn);
  const opening = `Thank you for referring ${d.patient.name} to ${theService(d.service)}. We received your referral on ${received}.`;
  let outcomeParagraphs: string[];
  switch (d.outcome) {
    case 'not-accepted':
      outcomeParagraphs = [
        `We have not accepted the referral. Our consultant has reviewed it and their advice is below.`,
      ];
      break;
    case 'redirected':
      // "Redirected" only when it was sent on: otherwise the referrer must not think that
      // another service now holds a referral nobody sent.
      outcomeParagraphs =
        d.redirectMethod === null
          ? [
              `We have not accepted the referral into our service, and we have not sent it on. ` +
                `We advise that ${d.patient.name} is referred to ${redirectTo}.`,
              `Please refer ${d.patient.name} to ${redirectTo} if you agree.`,
            ]
          : [
              `We have not accepted the referral into our service. ` +
                `We have redirected it to ${redirectTo} ${SENT_BY[d.redirectMethod]}.`,
              `${redirectTo} will decide the next steps for ${d.patient.name}.`,
            ];
      break;
  }
  return {
    title: adviceLetterTitle(d.outcome, d.redirectMethod),
    from: fromLines(d.service),
    to: referrerLines(d.referrer),
    date: d.date,
    reference: reference(d),
    salutation: `Dear ${d.referrer.name}`,
    blocks: [
      patientFacts(d),
      paragraph(opening),
      ...outcomeParagraphs.map(paragraph),
      ...adviceBlocks(d.advice),
      paragraph(contactUs(d.service)),
    ],
    signOff: signOff(d),
  };
}

/** To the patient: when and where the first appointment is, what to bring, how to change it. */
export function appointmentLetter(d: AppointmentLetterInput): LetterContent {
  const { appointment } = d;
  const when = `${formatDateWithWeekday(appointment.date)} at ${formatTime(appointment.time)}`;
  return {
    title: 'Your appointment',
    from: fromLines(d.service),
    to: [d.patient.name, ...d.patient.addressLines],
    date: d.date,
    reference: reference(d),
    salutation: `Dear ${d.patient.name}`,
    blocks: [
      paragraph(`We have booked an appointment for you with ${theService(d.service)} on ${when}.`),
      {
        kind: 'facts',
        facts: [
          { label: 'Date', value: formatDateWithWeekday(appointment.date) },
          { label: 'Time', value: formatTime(appointment.time) },
          { label: 'Clinic', value: appointment.clinic },
          { label: 'You will see', value: appointment.clinician },
        ],
      },
      heading('What to bring'),
      paragraph(
        'Please bring a list of all the medicines you take now. ' +
          'If you wear glasses or use hearing aids, bring them with you. ' +
          'If you need help, you can bring a carer, relative or friend.',
      ),
      heading('If you need to cancel or change your appointment'),
      paragraph(
        `Please call us on ${d.service.phone} as soon as you can. ` +
          'We will book you a new appointment and offer your old one to someone else.',
      ),
      heading('Why you have this appointment'),
      paragraph(
        `${describeReferrer(d.referrer)} referred you to us. ` +
          `We received the referral on ${formatPlainDate(d.referral.receivedOn)}.`,
      ),
      paragraph(contactUs(d.service)),
    ],
    signOff: signOff(d),
  };
}
