/** Refusals of pump records: registration, events, prescriptions, appointments, pauses and ends. */
export const PUMP_REFUSALS = {
  PUMP_NOT_IMPLANTED:
    'The pump has been removed, replaced or its care ended: nothing more can be recorded on it',
} as const;
