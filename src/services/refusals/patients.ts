/** Refusals of patient records and accounts. */
export const PATIENT_REFUSALS = {
  LIKELY_DUPLICATE_PATIENT:
    'Someone born on the same day with a similar name is already registered: `error.details.possibleDuplicates` lists them (id, name, NHS number). Open them to check; to register a different person send `confirmNotDuplicate: true`',
} as const;
