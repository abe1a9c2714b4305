/** Refusals of pump records: registration, events, prescriptions, appointments, pauses and ends. */
export const PUMP_REFUSALS = {
  CHECKER_IS_PROPOSER:
    'The second check of a prescription must be by a different clinician from the one who proposed it',
  CONFIRMER_IS_REQUESTER:
    'A request to end a pump must be confirmed by a different clinician from the one who asked',
  PUMP_NOT_IMPLANTED:
    'The pump has been removed, replaced or its care ended: nothing more can be recorded on it',
  PUMP_CHANGED_CONCURRENTLY:
    'Someone else changed the refill or prescription of the same pump at the same moment',
  END_REQUEST_PENDING:
    'A request to end the pump, or to correct its end, is already waiting for a second clinician',
  END_REQUEST_DECIDED: 'The request has already been confirmed or rejected',
  END_NOT_CORRECTABLE:
    'Only an explant, death or transfer can be corrected: the pump is implanted, or replaced by its successor',
  REPLACEMENT_NOT_IMPLANTED:
    'The pump registered to replace this one has itself ended: the replacement cannot be confirmed',
  PUMP_STATE_CHANGED: 'The pump has changed state since the correction was asked for',
  PUMP_ALREADY_PAUSED: 'The pump is already paused: its resume must be recorded first',
  PUMP_NOT_PAUSED: 'The pump is not paused',
  REVIEW_ALREADY_RECORDED: 'A review held on that day is already recorded for the pump',
  APPOINTMENT_NOT_BOOKED: 'The appointment has already been marked attended, missed or cancelled',
  PRESCRIPTION_CHANGE_PENDING:
    'A change to the prescription of the pump is already waiting for its second check',
  PRESCRIPTION_NOT_PENDING: 'The prescription is not waiting for its second check',
  PRESCRIPTION_MADE_AT_REFILL:
    'The change was made at a refill: it is confirmed by checking and signing that refill',
} as const;
