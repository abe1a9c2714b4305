/** Refusals of referrals: intake, triage, appointments, letters and referral checks. */
export const REFERRAL_REFUSALS = {} as const;
