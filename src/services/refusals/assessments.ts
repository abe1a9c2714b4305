/** Refusals of selection assessments, their decisions, protocols and outcome measures. */
export const ASSESSMENT_REFUSALS = {
  ANSWERS_FOR_OTHER_PROTOCOL_VERSION:
    'The answers were written for another version of the protocol than the one the assessment uses',
  ASSESSMENT_ANSWERS_FIXED:
    'A decision has been recorded on the assessment, so its answers can no longer change',
  ASSESSMENT_ALREADY_DECIDED: 'A decision has already been recorded on the assessment',
  ASSESSMENT_NOT_AWAITING_MDT: 'The assessment is not waiting for an MDT discussion',
  PROTOCOL_VERSION_CHANGED:
    'This protocol version is already stored with different content, and a stored version never changes',
  PROTOCOL_VERSION_NOT_NEWER: 'A new protocol version must be numbered higher than every stored version',
  PROTOCOL_VERSION_STORED_CONCURRENTLY: 'Someone stored this protocol version at the same moment',
} as const;
