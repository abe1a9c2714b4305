/** Refusals of refills: recording, review, the independent check and corrections. */
export const REFILL_REFUSALS = {
  PREVIOUS_REFILL_UNSIGNED: 'The last refill of this pump has not been checked and signed yet',
} as const;
