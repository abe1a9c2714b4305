/** Refusals to make a letter that would go out missing a fact its reader needs (letter-readiness.ts). */
export const LETTER_REFUSALS = {
  LETTERS_NEED_SERVICE_CONTACTS:
    "The service's phone number or email address is not set (SERVICE_PHONE, SERVICE_EMAIL), so no letter can be made, and nothing that makes one (triage decision, booking, clinic outcome) is saved; the message names the missing settings",
  LETTER_NEEDS_PATIENT_ADDRESS:
    "A letter to the patient is needed but their record has no postal address (first line and postcode), so nothing was saved; add the address to the patient's record and try again",
} as const;
