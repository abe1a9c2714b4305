import { formatPlainDate, type PlainDate } from './calendar-date.ts';
import { round2 } from './refill-arithmetic.ts';

/** The patients' advice line from the settings; an empty value is not set and is left out. */
export interface AdviceLine {
  readonly phone: string;
  readonly hours: string;
}

/**
 * Signs of too little baclofen reaching the spine (withdrawal), in plain words: itching with no
 * rash is a strong pointer; pins and needles is one of the early signs [MDT-EMCARD2], [LIO-SAFE],
 * [MDT-UNDOVER], [NSW-WD].
 */
export const WITHDRAWAL_SIGNS: readonly string[] = [
  'itching without a rash',
  'pins and needles',
  'your spasticity (stiffness or spasms) coming back',
  'a high temperature (fever)',
  'a fast heart rate',
  'low blood pressure (feeling faint or light-headed)',
  'confusion',
];

/**
 * Signs of too much baclofen (overdose), the early ones first, then the severe ones: fits and
 * loss of consciousness [NSN-OD], [LIO-SAFE], [MDT-UNDOVER], [BACLOSAN].
 */
export const OVERDOSE_SIGNS: readonly string[] = [
  'drowsiness or sleepiness',
  'floppiness (muscles much weaker than usual)',
  'dizziness',
  'slow or shallow breathing',
  'fits (seizures)',
  'being hard to wake, or unconscious',
];

const URGENT = 'Go to A&E or call 999 straight away, and take your emergency card.';

/**
 * The information the patient takes home after a refill, in plain words (clinical-reference.md
 * 6, step 10: the dose, the alarm date and the next refill; section 8: what to do in an
 * emergency). It follows the Leeds leaflet [LTH-PIL]:
 * - the two alarms are told apart [MDT-ALARM], [MDT-ALARM2]: the two-tone alarm means the drug
 *   has stopped flowing and is urgent; the single-tone alarm means the pump is running low (or
 *   due for replacement) and the advice line arranges a refill;
 * - anything urgent (the two-tone alarm, signs of withdrawal or overdose) goes straight to A&E
 *   or 999 with the emergency card [MDT-RESP], never to the advice line, whose callers leave a
 *   message and wait to be called back;
 * - the advice line's number and hours come from the settings, and what is not set is left out
 *   rather than printed empty.
 */
export function patientRefillSummary(input: {
  readonly performedOn: PlainDate;
  readonly instilledMl: number;
  readonly concentrationMcgPerMl: number;
  readonly doseDescription: string;
  readonly alarmOn: PlainDate;
  readonly dueOn: PlainDate;
  readonly bookedOn: PlainDate | null;
  readonly adviceLine: AdviceLine;
  readonly note: string | null;
}): string {
  const phone = input.adviceLine.phone.trim();
  const hours = input.adviceLine.hours.trim();
  const ring = phone === '' ? 'ring the advice line' : `ring the advice line on ${phone}`;
  const Ring = `R${ring.slice(1)}`;
  const sections = [
    [
      `Your pump was refilled on ${formatPlainDate(input.performedOn)} with ${round2(input.instilledMl)} mL of baclofen ${round2(input.concentrationMcgPerMl)} micrograms per mL.`,
      `Your dose: ${input.doseDescription}.`,
      `Your next refill is due by ${formatPlainDate(input.dueOn)}.${input.bookedOn ? ` It is booked for ${formatPlainDate(input.bookedOn)}.` : ` If it is not booked yet, ${ring} to book it.`}`,
      `The pump's low-reservoir alarm is expected to sound on ${formatPlainDate(input.alarmOn)}. Never let the pump run empty: stopping baclofen suddenly is dangerous.`,
    ],
    [
      'Your pump has 2 alarms.',
      `Two tones (critical alarm): this is urgent. The medicine has stopped flowing because the pump is empty, has reached the end of its life or has a fault. ${URGENT}`,
      `One tone (low-reservoir alarm): the pump is running low, or will need replacing soon. ${Ring} the same day, or the next day it is open, to arrange a refill or the replacement.`,
    ],
    ['Signs of too little baclofen (withdrawal):', ...WITHDRAWAL_SIGNS.map((s) => `- ${s}`)],
    ['Signs of too much baclofen (overdose):', ...OVERDOSE_SIGNS.map((s) => `- ${s}`)],
    [
      `If you have any of these signs, or the pump makes 2 tones, this is urgent. ${URGENT} Do not leave a message and wait for a call back.`,
    ],
  ];
  const adviceLine = adviceLineText(phone, hours);
  if (adviceLine) {
    sections.push([adviceLine]);
  }
  if (input.note) {
    sections.push([input.note]);
  }
  return sections.map((lines) => lines.join('\n')).join('\n\n');
}

/** The advice line in a sentence, leaving out what is not set; null when nothing is set. */
function adviceLineText(phone: string, hours: string): string | null {
  const leave = 'Leave a message and a nurse will call you back. It is not for anything urgent.';
  if (phone !== '' && hours !== '') {
    return `Advice line: ${phone}, ${hours}. ${leave}`;
  }
  if (phone !== '') {
    return `Advice line: ${phone}. ${leave}`;
  }
  if (hours !== '') {
    return `The advice line is open ${hours}. ${leave}`;
  }
  return null;
}
