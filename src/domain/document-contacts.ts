/**
 * Whom a patient-held document (the emergency card, the letter after a refill) tells the reader
 * to call, in and out of hours. One function lists them, so every document says the same and a
 * card can be checked against what it printed: when the list changes, issued cards are out of
 * date (emergency-card.ts).
 *
 * In hours: the service's phone and email, and the patients' advice line with its hours, which
 * is for messages and call-backs, never for anything urgent [LTH-PIL]. Out of hours: the
 * service's own out-of-hours contact when it has one; until then the advice every source gives
 * for anything urgent, A&E or 999 [LTH-PIL], [MDT-SUPPORT]. GAP: no source gave an ITB
 * out-of-hours arrangement (clinical-reference.md 8, "Patient information, emergency card and
 * out-of-hours").
 */

export interface DocumentContactSettings {
  readonly phone: string;
  readonly email: string;
  readonly adviceLine: { readonly phone: string; readonly hours: string };
}

/** An out-of-hours number the service has set up (an on-call team, a ward). */
export interface OutOfHoursContact {
  readonly label: string;
  readonly phone: string;
}

export interface DocumentContacts {
  /** The ITB service's phone, in hours. */
  readonly phone: string;
  readonly email: string;
  /** The advice line's number and hours; null when neither is set. */
  readonly adviceLine: { readonly phone: string; readonly hours: string } | null;
  /** The service's out-of-hours contact; null when it has none, and A&E or 999 is the advice. */
  readonly outOfHours: OutOfHoursContact | null;
}

/**
 * The contacts a patient-held document prints, from the settings. `outOfHours` is where the
 * service's out-of-hours setting comes in; documents made without one say A&E or 999.
 */
export function documentContacts(
  service: DocumentContactSettings,
  outOfHours: OutOfHoursContact | null = null,
): DocumentContacts {
  const advicePhone = service.adviceLine.phone.trim();
  const adviceHours = service.adviceLine.hours.trim();
  const ooh =
    outOfHours && outOfHours.phone.trim() !== ''
      ? { label: outOfHours.label.trim(), phone: outOfHours.phone.trim() }
      : null;
  return {
    phone: service.phone.trim(),
    email: service.email.trim(),
    adviceLine: advicePhone === '' && adviceHours === '' ? null : { phone: advicePhone, hours: adviceHours },
    outOfHours: ooh,
  };
}

/** The settings every contact list is made from: SERVICE_* and SERVICE_OUT_OF_HOURS_* (config.ts). */
export interface ContactSettings extends DocumentContactSettings {
  readonly outOfHours: { readonly phone: string; readonly text: string };
}

/** What an out-of-hours number set without words is called. */
export const OUT_OF_HOURS_LABEL = 'Out of hours';

/**
 * The one function every page and document takes the service's contacts from (the emergency
 * card, the letter after a refill, the emergency summary), so they all give the same numbers:
 * the out-of-hours cover is the SERVICE_OUT_OF_HOURS_PHONE number, labelled with
 * SERVICE_OUT_OF_HOURS_TEXT (or "Out of hours"); words without a number are no one to ring, so
 * the cover is null and the documents say A&E or 999.
 */
export function contactsFromSettings(s: ContactSettings): DocumentContacts {
  const phone = s.outOfHours.phone.trim();
  const text = s.outOfHours.text.trim();
  return documentContacts(s, phone === '' ? null : { label: text === '' ? OUT_OF_HOURS_LABEL : text, phone });
}

/** What to do when the service is closed or it is urgent, in one sentence. */
export const URGENT_ADVICE =
  'If it is urgent, or the service is closed, go to A&E or call 999. Show this card.';

/** The contacts as "label: value" lines, in the order a reader needs them. */
export function contactLines(c: DocumentContacts): { readonly label: string; readonly value: string }[] {
  const lines: { label: string; value: string }[] = [];
  if (c.phone !== '') {
    lines.push({ label: 'ITB team', value: c.phone });
  }
  if (c.adviceLine) {
    const { phone, hours } = c.adviceLine;
    lines.push({ label: 'Advice line', value: [phone, hours].filter((s) => s !== '').join(', ') });
  }
  if (c.email !== '') {
    lines.push({ label: 'Email', value: c.email });
  }
  lines.push(
    c.outOfHours
      ? { label: `Out of hours (${c.outOfHours.label})`, value: c.outOfHours.phone }
      : { label: 'Out of hours', value: 'A&E or 999' },
  );
  return lines;
}

/** Whether two contact lists print the same thing. */
export function sameContacts(a: DocumentContacts, b: DocumentContacts): boolean {
  return JSON.stringify(contactLines(a)) === JSON.stringify(contactLines(b));
}
