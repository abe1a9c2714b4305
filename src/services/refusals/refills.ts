/** Refusals of refills: recording, review, the independent check and corrections. */
export const REFILL_REFUSALS = {
  REVIEWER_IS_PERFORMER: 'The review must be by a different clinician from the one who did the refill',
  SIGNER_IS_PERFORMER:
    'The refill must be checked, signed or rejected by a different clinician from the one who did it',
  CORRECTION_CHECKER_IS_AUTHOR:
    'A volume correction must be confirmed or rejected by a different clinician from the one who made it',
  PREVIOUS_REFILL_UNSIGNED: 'The last refill of this pump has not been checked and signed yet',
  REFILL_PRESCRIPTION_PENDING:
    'A change to the pump’s prescription is waiting for its check: the programme cannot also be changed at a refill',
  REFILL_VOIDED: 'The refill was rejected by the checker and voided: a new refill is recorded in its place',
  REFILL_SIGNED:
    'The refill is signed: it is no longer reviewed, signed or rejected, only amended with a reason',
  REFILL_NOT_SIGNED:
    'The refill is not signed yet: it is reviewed, signed or rejected before it can be amended',
  REFILL_REVIEW_NEEDED:
    'The refill has a finding or a suspected pocket fill: its review is recorded before it is signed',
  REFILL_REVIEW_NOT_NEEDED: 'The refill has no finding or complication that needs a review',
  VOLUME_CORRECTION_PENDING:
    'A volume correction to the refill is already waiting for a second clinician to confirm or reject it',
  VOLUME_CORRECTION_DECIDED: 'The volume correction was already confirmed or rejected',
} as const;
