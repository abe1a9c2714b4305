import { missingServiceContacts, type ServiceContactSettings } from './service-contacts.ts';

/**
 * Whether a letter can be made at all. A letter missing a fact its reader needs is worse than no
 * letter: "Call us on  or email ." leaves a GP or patient with no way to ask, and a letter to a
 * patient with only their name on it cannot be posted. So the service refuses to make one, and
 * whatever the letter belongs to (a triage decision, a booking, a clinic outcome) is not saved
 * either, until the facts are recorded.
 */
export type LetterBlockReason = 'LETTERS_NEED_SERVICE_CONTACTS' | 'LETTER_NEEDS_PATIENT_ADDRESS';

export interface LetterBlock {
  readonly reason: LetterBlockReason;
  readonly message: string;
  /** The settings or fields that are missing, for the API's error details. */
  readonly missing: readonly string[];
}

export interface PatientPostalAddress {
  readonly name: string;
  readonly addressLine1: string | null;
  readonly postcode: string | null;
}

const blank = (v: string | null) => v === null || v.trim() === '';

/** The parts of a postal address a letter to the patient needs and the record lacks. */
export function missingAddressParts(patient: PatientPostalAddress): readonly string[] {
  const missing: string[] = [];
  if (blank(patient.addressLine1)) {
    missing.push('addressLine1');
  }
  if (blank(patient.postcode)) {
    missing.push('postcode');
  }
  return missing;
}

const PART_WORDS: Readonly<Record<string, string>> = {
  addressLine1: 'first line of the address',
  postcode: 'postcode',
};

/**
 * Null when the letter can be made; otherwise why not, in words that name what to set. The
 * service contacts come first: without them no letter can be made, whoever it is to.
 * `patient` is given only for a letter that is posted to the patient.
 */
export function letterBlock(
  service: ServiceContactSettings,
  patient: PatientPostalAddress | null,
): LetterBlock | null {
  const contacts = missingServiceContacts(service);
  if (contacts.length > 0) {
    const named = contacts.map((m) => `${m.variable} (${m.label})`).join(' and ');
    return {
      reason: 'LETTERS_NEED_SERVICE_CONTACTS',
      message:
        `No letter can be made until ${named} ${contacts.length === 1 ? 'is' : 'are'} set: ` +
        'letters must tell patients and referrers how to reach the service. Ask the administrator ' +
        `to set ${contacts.length === 1 ? 'it' : 'them'}, then try again. Nothing was saved.`,
      missing: contacts.map((m) => m.variable),
    };
  }
  if (patient !== null) {
    const parts = missingAddressParts(patient);
    if (parts.length > 0) {
      const words = parts.map((p) => PART_WORDS[p] ?? p).join(' and ');
      return {
        reason: 'LETTER_NEEDS_PATIENT_ADDRESS',
        message:
          `The letter to ${patient.name} cannot be made: their record has no ${words}. ` +
          "Add the patient's postal address to their record, then try again. Nothing was saved.",
        missing: parts,
      };
    }
  }
  return null;
}
