/**
 * The wallet-size emergency card a patient with an intrathecal baclofen pump carries: the facts
 * an emergency department needs (who, which pump, which drug at what strength and dose, whom to
 * call) and what to do, in plain words, for the patient and a first clinician who has never seen
 * a pump (clinical-reference.md 8). Built here as data, panel by panel; src/letters draws it.
 *
 * The card copies what is true on the day it is issued. A card showing an old dose or a number
 * that no longer answers misleads the person treating the patient, so each issued card keeps a
 * snapshot of its facts and `cardChanges` says what has changed since.
 */
import { formatPlainDate, type PlainDate } from './calendar-date.ts';
import { contactLines, sameContacts, URGENT_ADVICE, type DocumentContacts } from './document-contacts.ts';
import { formatNhsNumber } from './nhs-number.ts';
import { round2 } from './refill-arithmetic.ts';
import { OVERDOSE_SIGNS, WITHDRAWAL_SIGNS } from './refill-summary.ts';

/** The facts a card prints, as they were when it was issued. */
export interface EmergencyCardFacts {
  readonly patientName: string;
  readonly nhsNumber: string;
  readonly dateOfBirth: PlainDate;
  readonly pumpModel: string;
  readonly pumpManufacturer: string;
  readonly pumpSerial: string;
  readonly implantedOn: PlainDate;
  readonly drug: string;
  readonly concentrationMcgPerMl: number;
  /** The largest daily dose the programme gives (its continuous dose for a flex programme). */
  readonly doseMcgPerDay: number;
  readonly contacts: DocumentContacts;
}

/** What can make an issued card out of date, in the order the page lists them. */
export const CARD_FACT_CHANGES = ['dose', 'concentration', 'drug', 'pump', 'contacts', 'patient'] as const;
export type CardFactChange = (typeof CARD_FACT_CHANGES)[number];

export const CARD_CHANGE_WORDS: Readonly<Record<CardFactChange, string>> = {
  dose: 'the daily dose',
  concentration: 'the concentration',
  drug: 'the drug',
  pump: 'the pump',
  contacts: 'the service contacts',
  patient: "the patient's name or NHS number",
};

/**
 * What the card printed that is no longer true. `current` null (no pump with a running
 * prescription) leaves only the contacts and patient to compare: the card is then judged by what
 * can still be compared, and the page says there is nothing to issue a new card for.
 */
export function cardChanges(issued: EmergencyCardFacts, current: EmergencyCardFacts): CardFactChange[] {
  const changes: CardFactChange[] = [];
  if (round2(issued.doseMcgPerDay) !== round2(current.doseMcgPerDay)) {
    changes.push('dose');
  }
  if (round2(issued.concentrationMcgPerMl) !== round2(current.concentrationMcgPerMl)) {
    changes.push('concentration');
  }
  if (issued.drug !== current.drug) {
    changes.push('drug');
  }
  if (issued.pumpSerial !== current.pumpSerial || issued.pumpModel !== current.pumpModel) {
    changes.push('pump');
  }
  if (!sameContacts(issued.contacts, current.contacts)) {
    changes.push('contacts');
  }
  if (issued.patientName !== current.patientName || issued.nhsNumber !== current.nhsNumber) {
    changes.push('patient');
  }
  return changes;
}

/** One line of a panel: plain, bold (a fact's label run in), or a bullet. */
export interface CardLine {
  readonly text: string;
  readonly style: 'plain' | 'bold' | 'bullet' | 'warning';
  /** For a fact: its label, drawn bold before the text. */
  readonly label?: string;
}

export type CardPanelId = 'front' | 'pump' | 'overdose' | 'withdrawal' | 'contacts' | 'clinician';

export interface CardPanel {
  readonly id: CardPanelId;
  readonly heading: string;
  readonly lines: readonly CardLine[];
}

const plain = (text: string): CardLine => ({ text, style: 'plain' });
const bold = (text: string): CardLine => ({ text, style: 'bold' });
const bullet = (text: string): CardLine => ({ text, style: 'bullet' });
const warning = (text: string): CardLine => ({ text, style: 'warning' });
const fact = (label: string, text: string): CardLine => ({ text, style: 'plain', label });

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** "150 mcg/day", "1,500 mcg/ml": the units as the card prints them. */
export function formatMcg(value: number, unit: 'mcg/day' | 'mcg/ml'): string {
  return `${round2(value).toLocaleString('en-GB')} ${unit}`;
}

/**
 * The card's six panels, front first. The wording follows clinical-reference.md 8:
 * - overdose signs [NSN-OD], [LIO-SAFE], [MDT-UNDOVER], [BACLOSAN] and withdrawal signs
 *   [MDT-EMCARD2], [LIO-SAFE], [MDT-UNDOVER], [NSW-WD], the same plain words as the refill
 *   summary; withdrawal is an emergency even when mild [MDT-EMCARD], [WATVE];
 * - anything urgent goes to A&E or 999, not to the advice line [LTH-PIL];
 * - the clinician's panel is the emergency department checklist [RCH-ED] with the first actions
 *   of section 8: call the ITB team, interrogate the pump, oral baclofen and benzodiazepines only
 *   as a bridge [NSW-WD], ABC and intensive care for overdose, no antidote [NSN-OD], [WATVE].
 */
export function emergencyCardPanels(facts: EmergencyCardFacts, issuedOn: PlainDate): CardPanel[] {
  return [
    {
      id: 'front',
      heading: 'Emergency card',
      lines: [
        bold('I have an intrathecal baclofen (ITB) pump'),
        fact('Name', facts.patientName),
        fact('NHS number', formatNhsNumber(facts.nhsNumber)),
        fact('Born', formatPlainDate(facts.dateOfBirth)),
        warning('Do not stop my baclofen suddenly: withdrawal can kill.'),
        plain('Contact my ITB team straight away (inside).'),
      ],
    },
    {
      id: 'pump',
      heading: 'My pump and dose',
      lines: [
        fact('Pump', `${facts.pumpManufacturer} ${facts.pumpModel}`),
        fact('Serial', facts.pumpSerial),
        fact('Implanted', formatPlainDate(facts.implantedOn)),
        fact('Drug', capitalise(facts.drug)),
        fact('Concentration', formatMcg(facts.concentrationMcgPerMl, 'mcg/ml')),
        fact('Daily dose', formatMcg(facts.doseMcgPerDay, 'mcg/day')),
        plain(`Correct on ${formatPlainDate(issuedOn)}. Doses change: check with the ITB team.`),
      ],
    },
    {
      id: 'overdose',
      heading: 'Too much baclofen (overdose)',
      lines: [
        ...OVERDOSE_SIGNS.map((s) => bullet(capitalise(s))),
        warning('Call 999 or go to A&E. Say "I have a baclofen pump". Show this card.'),
      ],
    },
    {
      id: 'withdrawal',
      heading: 'Too little baclofen (withdrawal)',
      lines: [
        ...WITHDRAWAL_SIGNS.map((s) => bullet(capitalise(s))),
        bullet('The pump alarm sounding'),
        warning('An emergency even if mild. Call the ITB team now; if closed, A&E or 999.'),
      ],
    },
    {
      id: 'contacts',
      heading: 'My ITB team',
      lines: [...contactLines(facts.contacts).map((c) => fact(c.label, c.value)), plain(URGENT_ADVICE)],
    },
    {
      id: 'clinician',
      heading: 'For the doctor or nurse',
      lines: [
        bullet('Call the ITB team. Only ITB-trained staff may access or program the pump.'),
        bullet('Check last and next refill dates and whether the pump is alarming. MRI can stall it.'),
        bullet(
          'Withdrawal: interrogate the pump, X-ray pump and catheter; oral baclofen and benzodiazepines only bridge; admit.',
        ),
        bullet(
          'Overdose: airway, breathing, circulation; ITB team to stop the pump and empty it; no antidote; ICU.',
        ),
      ],
    },
  ];
}
