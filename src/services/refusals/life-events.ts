/** Refusals of life events: pregnancy, surgery elsewhere, death and transfer of care. */
export const LIFE_EVENT_REFUSALS = {
  DEATH_ALREADY_RECORDED: 'A death is already recorded for this patient',
  PATIENT_DIED:
    'A death is recorded for this patient: no pregnancy, surgery or transfer can be recorded after it',
  TRANSFER_ALREADY_OPEN:
    'A transfer of care is already open for this patient: complete or end it before recording another',
  LIFE_EVENT_CLOSED: 'The event has been completed or ended: its actions can no longer change',
  ACTION_ALREADY_DONE: 'The action has already been marked done',
  ACTION_NEEDS_CONSULTANT: 'Only a consultant can mark the review of the dose done',
  NO_LETTER_FOR_EVENT: 'Only a transfer of care or surgery at another hospital has a letter',
} as const;
