/** Refusals of referrals: intake, triage, appointments, letters and referral checks. */
export const REFERRAL_REFUSALS = {
  INTAKE_EMAIL_CONVERTED: 'The email has already been made into a referral',
  INTAKE_EMAIL_CLOSED: 'The email was closed as not a referral, so it cannot be made into one',
  REFERRAL_NEEDS_CHECK:
    'The referral did not come from a consultant and its mark has not been cleared: it cannot be accepted yet',
  REFERRAL_HAS_APPOINTMENT:
    'The referral has a first appointment booked or attended: cancel it before deciding not accepted or redirected',
  REFERRAL_CHECK_ALREADY_CLEARED: "The referral's needs-checking mark has already been cleared",
  REFERRAL_NOT_MARKED: 'The referral is not marked as needing checking: there is nothing to clear',
  REFERRAL_NOT_ACCEPTED: 'Only an accepted referral can have its first appointment booked',
  FIRST_APPOINTMENT_ATTENDED: 'The patient has already attended their first appointment',
  FIRST_APPOINTMENT_ALREADY_BOOKED:
    'The referral already has a first appointment booked: rebook or cancel it instead',
  FIRST_APPOINTMENT_CANCELLED: 'The first appointment has already been cancelled',
  FIRST_APPOINTMENT_OUTCOME_RECORDED: 'The first appointment already has its outcome recorded',
  FIRST_APPOINTMENT_NOT_YET_DUE:
    'The first appointment is in the future: its outcome can be recorded from that day',
} as const;
