/** Refusals of the complications register and bridging plans. */
export const COMPLICATION_REFUSALS = {
  BRIDGING_PLAN_REQUIRED:
    'An explant without a replacement cannot be confirmed until a bridging plan (oral baclofen cover or a taper) is recorded for that pump',
} as const;
