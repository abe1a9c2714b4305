/** Refusals of patient records and accounts. */
export const PATIENT_REFUSALS = {} as const;
