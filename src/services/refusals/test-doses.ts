/** Refusals of test doses: episodes, boluses, results and overrides of the selection gate. */
export const TEST_DOSE_REFUSALS = {
  EPISODE_ALREADY_OPEN:
    'This patient already has a test dose in progress: continue it, or abandon it before starting another',
  EPISODE_CLOSED: 'This test dose is closed and can no longer be changed',
  PRE_CHECKS_INCOMPLETE:
    'A bolus cannot be recorded until every pre-check is answered, with no infection and the anticoagulants reviewed',
  RESULT_NOT_CONFIRMED: 'The result of the previous bolus must be confirmed before another bolus is given',
  OBSERVATIONS_CLOSED: "The bolus's result has been confirmed; observations can no longer be added to it",
  RESULT_ALREADY_CONFIRMED: "The bolus's result has already been confirmed",
  OVERRIDE_ALREADY_WAITING:
    'This patient already has an override waiting to be used: withdraw it before recording another',
  OVERRIDE_NOT_AVAILABLE:
    'The override has been used for a test dose or withdrawn, and can no longer be withdrawn',
} as const;
