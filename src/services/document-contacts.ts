import {
  documentContacts,
  type DocumentContacts,
  type DocumentContactSettings,
} from '../domain/document-contacts.ts';

/**
 * The one place the patient-held documents (the emergency card, the letter after a refill) get
 * the contacts they print: the service's own, and its out-of-hours cover
 * (SERVICE_OUT_OF_HOURS_PHONE, labelled with SERVICE_OUT_OF_HOURS_TEXT or "Out of hours") when
 * it is set; without it the documents say A&E or 999 out of hours. A change here makes issued
 * cards out of date (their snapshot no longer matches).
 */
export function contactsForDocuments(config: {
  readonly service: DocumentContactSettings & {
    readonly outOfHours: { readonly phone: string; readonly text: string };
  };
}): DocumentContacts {
  const { phone, text } = config.service.outOfHours;
  return documentContacts(
    config.service,
    phone.trim() === '' ? null : { label: text.trim() === '' ? 'Out of hours' : text.trim(), phone },
  );
}
