/** Refusals of emergency events and advice-line calls. */
export const EMERGENCY_REFUSALS = {
  EMERGENCY_EVENT_CLOSED:
    'The emergency event has already been closed: its outcome and who closed it are recorded',
} as const;
