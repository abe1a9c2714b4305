/**
 * Letters tell the reader how to reach the service. A letter that reads "Call us on  or
 * email ." leaves a patient or GP with no way to ask, so the service refuses to make letters
 * until these settings are filled in, and says so at start-up and on the home page.
 */
export interface ServiceContactSettings {
  readonly phone: string;
  readonly email: string;
  readonly addressLines: readonly string[];
}

export interface MissingContactSetting {
  /** The environment variable that sets it. */
  readonly variable: 'SERVICE_PHONE' | 'SERVICE_EMAIL';
  /** What it is, in words for the home page and the start-up log. */
  readonly label: string;
}

/** The contact settings a letter needs and which are empty, in the order a letter uses them. */
export function missingServiceContacts(service: ServiceContactSettings): readonly MissingContactSetting[] {
  const missing: MissingContactSetting[] = [];
  if (service.phone.trim() === '') {
    missing.push({ variable: 'SERVICE_PHONE', label: "the service's phone number" });
  }
  if (service.email.trim() === '') {
    missing.push({ variable: 'SERVICE_EMAIL', label: "the service's email address" });
  }
  return missing;
}
