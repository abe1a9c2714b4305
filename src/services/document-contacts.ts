import {
  documentContacts,
  type DocumentContacts,
  type DocumentContactSettings,
} from '../domain/document-contacts.ts';

/**
 * The one place the patient-held documents (the emergency card, the letter after a refill) get
 * the contacts they print. The service's out-of-hours contact, when a setting for it exists, is
 * passed here as documentContacts' second argument; until then the documents say A&E or 999 out
 * of hours. A change here makes issued cards out of date (their snapshot no longer matches).
 */
export function contactsForDocuments(config: {
  readonly service: DocumentContactSettings;
}): DocumentContacts {
  return documentContacts(config.service, null);
}
