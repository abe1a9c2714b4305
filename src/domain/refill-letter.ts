/**
 * The letter a patient takes home after a refill (clinical-reference.md 6, step 10; section 8):
 * what was done, the next refill date and the alarm date as the pump's plan has them, what the
 * pump's alarms mean, the signs of too much and too little baclofen, and whom to call in and out
 * of hours. Built as data in the letter shape src/letters draws.
 *
 * The dates are the pump's plan after the signed refill (and any dose change confirmed since),
 * never worked out again here: the same dates as the worklist and the pump page.
 */
import { formatPlainDate, type PlainDate } from './calendar-date.ts';
import { contactLines, type DocumentContacts } from './document-contacts.ts';
import { formatMcg } from './emergency-card.ts';
import { formatNhsNumber } from './nhs-number.ts';
import { alarmGuidance } from './pump-alarms.ts';
import { round2 } from './refill-arithmetic.ts';
import { OVERDOSE_SIGNS, WITHDRAWAL_SIGNS } from './refill-summary.ts';
import type { LetterBlock, LetterContent } from './referral-letters.ts';

export interface RefillLetterInput {
  readonly service: { readonly name: string; readonly addressLines: readonly string[] };
  readonly contacts: DocumentContacts;
  readonly date: PlainDate;
  readonly patient: {
    readonly name: string;
    readonly nhsNumber: string;
    readonly addressLines: readonly string[];
  };
  readonly pump: { readonly modelId: string; readonly modelName: string };
  readonly refill: {
    readonly performedOn: PlainDate;
    readonly instilledMl: number;
    readonly drug: string;
    readonly concentrationMcgPerMl: number;
  };
  /** The daily dose the pump gives now, and its programme in words. */
  readonly dose: { readonly doseMcgPerDay: number; readonly description: string };
  /** The next refill is due by this working day (the pump's plan). */
  readonly nextRefillDueOn: PlainDate;
  readonly bookedOn: PlainDate | null;
  /** The day the low-reservoir alarm is expected to sound. */
  readonly alarmOn: PlainDate;
  readonly signedBy: string;
}

const para = (text: string): LetterBlock => ({ kind: 'paragraph', text });
const head = (text: string): LetterBlock => ({ kind: 'heading', text });

/** Throws when the dates cannot be right: a letter with a wrong next refill date is worse than none. */
export function refillLetter(d: RefillLetterInput): LetterContent {
  if (d.nextRefillDueOn < d.refill.performedOn || d.alarmOn < d.refill.performedOn) {
    throw new RangeError('The next refill and alarm dates must be after the refill');
  }
  const alarms = alarmGuidance(d.pump.modelId);
  const alarmBlocks: LetterBlock[] = [];
  for (const a of [alarms.critical, alarms.lowReservoir]) {
    if (a) {
      alarmBlocks.push({ kind: 'facts', facts: [{ label: a.sound, value: a.action }] });
    }
  }
  if (alarms.unknown) {
    alarmBlocks.push(para(alarms.unknown));
  }
  alarmBlocks.push(para(alarms.note));
  const booked = d.bookedOn
    ? `Your next refill is booked for ${formatPlainDate(d.bookedOn)}.`
    : 'Your next refill is not booked yet. Please ring us to book it.';
  return {
    title: `Your pump refill on ${formatPlainDate(d.refill.performedOn)}`,
    from: [
      d.service.name,
      ...d.service.addressLines,
      `Phone: ${d.contacts.phone}`,
      `Email: ${d.contacts.email}`,
    ],
    to: [d.patient.name, ...d.patient.addressLines],
    date: d.date,
    reference: `NHS number ${formatNhsNumber(d.patient.nhsNumber)}`,
    salutation: `Dear ${d.patient.name}`,
    blocks: [
      para('This letter is a record of your pump refill. Please keep it with your emergency card.'),
      {
        kind: 'facts',
        facts: [
          { label: 'Refilled on', value: formatPlainDate(d.refill.performedOn) },
          { label: 'Pump', value: d.pump.modelName },
          {
            label: 'Medicine',
            value: `${d.refill.drug}, ${formatMcg(d.refill.concentrationMcgPerMl, 'mcg/ml')}`,
          },
          { label: 'Amount put in', value: `${round2(d.refill.instilledMl)} ml` },
          {
            label: 'Your daily dose',
            value: `${formatMcg(d.dose.doseMcgPerDay, 'mcg/day')} (${d.dose.description})`,
          },
        ],
      },
      head('Your next refill'),
      {
        kind: 'facts',
        facts: [
          { label: 'Next refill due by', value: formatPlainDate(d.nextRefillDueOn) },
          { label: 'Low-reservoir alarm expected on', value: formatPlainDate(d.alarmOn) },
        ],
      },
      para(
        `${booked} Never let your pump run empty: stopping baclofen suddenly is dangerous. ` +
          'If you cannot come on the day, ring us straight away so we can refill the pump before the alarm date.',
      ),
      head('What your pump’s alarms mean'),
      ...alarmBlocks,
      head('Signs to look out for'),
      para(`Too little baclofen (withdrawal): ${WITHDRAWAL_SIGNS.join('; ')}.`),
      para(`Too much baclofen (overdose): ${OVERDOSE_SIGNS.join('; ')}.`),
      para(
        'If you have any of these signs, or the pump makes the critical alarm, this is urgent. ' +
          'Go to A&E or call 999 and show your emergency card. Do not leave a message and wait for a call back.',
      ),
      head('Who to call'),
      { kind: 'facts', facts: contactLines(d.contacts) },
      ...(d.contacts.adviceLine
        ? [
            para(
              'The advice line is for questions and booking, not for anything urgent. Leave a message and a nurse will call you back.',
            ),
          ]
        : []),
    ],
    signOff: ['Yours sincerely', d.signedBy, d.service.name],
  };
}
