import type { PlainDate } from './calendar-date.ts';
import { contactsFromSettings, type ContactSettings } from './document-contacts.ts';
import { round2 } from './refill-arithmetic.ts';
import type { CompletedFill } from './refill-findings.ts';
import { residualFromHistory } from './residual-history.ts';

/**
 * The parts of the emergency summary worked out rather than read: the service's contacts in and
 * out of hours, each with a plain sentence where a setting is empty (a blank number on a page an
 * emergency department acts on would be read as "no one to call" or missed altogether), and the
 * volume left in the reservoir today from the pump's own fill history. Pure.
 */

/** The contact settings (contactsFromSettings) and the service's name the summary heads them with. */
export interface SummaryContactSettings extends ContactSettings {
  readonly name: string;
}

export interface ContactRow {
  readonly label: string;
  /** What to show; never empty. */
  readonly value: string;
  /** True when the value is the "not set" sentence rather than a contact. */
  readonly notSet: boolean;
}

export interface EmergencyContacts {
  readonly service: string;
  readonly inHours: readonly ContactRow[];
  readonly outOfHours: readonly ContactRow[];
  /** True when no out-of-hours phone number or instruction is set at all. */
  readonly outOfHoursNotSet: boolean;
}

export const OUT_OF_HOURS_NOT_SET =
  'Not set: this service has not given an out-of-hours contact (setting SERVICE_OUT_OF_HOURS_PHONE). Use the in-hours number when open; until then follow the guidance below and your hospital’s on-call neurosurgical or spinal team.';

function row(label: string, value: string, notSetText: string): ContactRow {
  const v = value.trim();
  return v === '' ? { label, value: notSetText, notSet: true } : { label, value: v, notSet: false };
}

/**
 * The service's contacts as the summary lists them, from contactsFromSettings (the function the
 * emergency card and the refill letter use), so the summary gives the same numbers as the card
 * in the patient's wallet; an empty setting is said to be not set. The in-hours phone is the
 * advice line's when it has one. Out-of-hours words without a number are still shown here (to
 * a clinician they say whom to ask for), where the documents, with no number to print, say A&E
 * or 999.
 */
export function emergencyContacts(s: SummaryContactSettings): EmergencyContacts {
  const c = contactsFromSettings(s);
  const advicePhone = c.adviceLine?.phone ?? '';
  const inHours = [
    row(
      'Phone',
      advicePhone !== '' ? advicePhone : c.phone,
      'Not set (setting SERVICE_PHONE or SERVICE_ADVICE_LINE_PHONE)',
    ),
    row('Hours', c.adviceLine?.hours ?? '', 'Not set (setting SERVICE_ADVICE_LINE_HOURS)'),
    row('Email', c.email, 'Not set (setting SERVICE_EMAIL)'),
  ];
  // The label the documents print beside the number is these words, when they are set.
  const words = s.outOfHours.text.trim();
  if (c.outOfHours === null && words === '') {
    return {
      service: s.name,
      inHours,
      outOfHours: [{ label: 'Out of hours', value: OUT_OF_HOURS_NOT_SET, notSet: true }],
      outOfHoursNotSet: true,
    };
  }
  const outOfHours: ContactRow[] = [
    row('Phone', c.outOfHours?.phone ?? '', 'Not set (setting SERVICE_OUT_OF_HOURS_PHONE): see below'),
  ];
  if (words !== '') {
    outOfHours.push({ label: 'How', value: words, notSet: false });
  }
  return { service: s.name, inHours, outOfHours, outOfHoursNotSet: false };
}

/** What is in the reservoir today, or why the software cannot say. */
export type ReservoirToday =
  | {
      readonly kind: 'estimated';
      readonly filledOn: PlainDate;
      readonly fillMl: number;
      /** Left as today begins on the programme(s) run since the fill, mL (0 once empty). */
      readonly continuousMl: number;
      /** The same if every permitted bolus was taken every day: the least that can be left. */
      readonly withBolusesMl: number;
      /** The day the programme emptied the reservoir, by today; null when it has not. */
      readonly ranDryOn: PlainDate | null;
    }
  | { readonly kind: 'emptied'; readonly emptiedOn: PlainDate }
  | { readonly kind: 'unknown' };

/**
 * The volume left today, from the last signed fill through every programme and stop since
 * (residualFromHistory, the same arithmetic the refill checks use). `fill` is null before the
 * first signed refill; `emptiedOn` is the day a pause since the fill emptied the reservoir.
 */
export function reservoirToday(
  fill: CompletedFill | null,
  emptiedOn: PlainDate | null,
  today: PlainDate,
): ReservoirToday {
  if (emptiedOn !== null) {
    return { kind: 'emptied', emptiedOn };
  }
  if (fill === null) {
    return { kind: 'unknown' };
  }
  const h = residualFromHistory({
    fillMl: fill.fillMl,
    filledOn: fill.filledOn,
    on: today,
    segments: fill.segments,
    ...(fill.stopped ? { stopped: fill.stopped } : {}),
  });
  return {
    kind: 'estimated',
    filledOn: fill.filledOn,
    fillMl: fill.fillMl,
    continuousMl: round2(Math.max(0, h.continuousMl)),
    withBolusesMl: round2(Math.max(0, h.withBolusesMl)),
    ranDryOn: h.ranDryOn,
  };
}
