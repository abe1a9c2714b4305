import { TRIAGE_OUTCOME_LABELS, TRIAGE_OUTCOMES } from '../../../domain/triage.ts';

/**
 * The banners the referral page shows after an action, keyed by the code the action puts in
 * `?done=`. Only these texts are ever shown: text from the address itself never reaches the
 * page, so a link cannot make the service appear to say something it did not.
 */
export const REFERRAL_NOTICES: Readonly<Record<string, string>> = {
  created: 'Referral recorded',
  'check-cleared': 'Mark cleared: the referral can now be triaged',
  'letter-attached': 'Letter attached',
  booked: 'Appointment booked. The appointment letter is ready below.',
  rebooked: 'Appointment rebooked. The new appointment letter is ready below.',
  cancelled: 'Appointment cancelled. The referral is waiting for a new booking.',
  'outcome-recorded': 'Outcome recorded',
  'next-step-recorded': 'Outcome and next step recorded. The clinic letter is ready below.',
  ...Object.fromEntries(
    TRIAGE_OUTCOMES.map((o) => [
      `triaged-${o}`,
      `Decision recorded: ${TRIAGE_OUTCOME_LABELS[o]}. The letter is ready below.`,
    ]),
  ),
};

/** The banner for a `?done=` code, or null for a code the page does not know. */
export function referralNotice(code: string | undefined): string | null {
  return code !== undefined && Object.hasOwn(REFERRAL_NOTICES, code)
    ? (REFERRAL_NOTICES[code] ?? null)
    : null;
}
