import {
  contactsFromSettings,
  type ContactSettings,
  type DocumentContacts,
} from '../domain/document-contacts.ts';

/**
 * The contacts the patient-held documents (the emergency card, the letter after a refill) print,
 * from the configuration: the service's own and its out-of-hours cover (contactsFromSettings,
 * which the emergency summary uses too). Without SERVICE_OUT_OF_HOURS_PHONE the documents say
 * A&E or 999 out of hours. A change here makes issued cards out of date (their snapshot no
 * longer matches).
 */
export function contactsForDocuments(config: { readonly service: ContactSettings }): DocumentContacts {
  return contactsFromSettings(config.service);
}
