/** Refusals of staff accounts and their second factor. */
export const ACCOUNT_REFUSALS = {
  NO_SECOND_FACTOR:
    'The account has no second factor: there is nothing to reset, and no recovery codes to make',
} as const;
