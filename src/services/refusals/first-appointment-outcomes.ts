/** Refusals of a first appointment's next step (first-appointment-outcome.ts). */
export const FIRST_APPOINTMENT_OUTCOME_REFUSALS = {
  FIRST_APPOINTMENT_NEXT_STEP_RECORDED:
    'The first appointment already has its next step recorded, with its clinic letter: it is kept as it is',
} as const;
