/** Refusals of selection assessments, their decisions, protocols and outcome measures. */
export const ASSESSMENT_REFUSALS = {} as const;
