/** Refusals of test doses: episodes, boluses, results and overrides of the selection gate. */
export const TEST_DOSE_REFUSALS = {} as const;
