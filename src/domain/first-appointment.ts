import type { AppointmentState } from './waiting-target.ts';

/** Why a first appointment cannot be booked now, as the refusal reason says it. */
export type BookingBar =
  'REFERRAL_NOT_ACCEPTED' | 'FIRST_APPOINTMENT_ATTENDED' | 'FIRST_APPOINTMENT_ALREADY_BOOKED';

/**
 * A first appointment is booked only for an accepted referral with none booked or attended: a
 * cancelled one leaves the referral waiting for a new booking, and so does an attended one whose
 * recorded next step is to see the patient again (first-appointment-outcome.ts). Null when one
 * can be booked. The service refuses by this, and the referral page offers to book by it.
 */
export function firstAppointmentBar(
  referralState: string,
  appointments: readonly { readonly state: AppointmentState; readonly nextStep?: string | null }[],
): BookingBar | null {
  if (referralState !== 'accepted') {
    return 'REFERRAL_NOT_ACCEPTED';
  }
  if (appointments.some((a) => a.state === 'attended' && a.nextStep !== 'rebook')) {
    return 'FIRST_APPOINTMENT_ATTENDED';
  }
  if (appointments.some((a) => a.state === 'booked')) {
    return 'FIRST_APPOINTMENT_ALREADY_BOOKED';
  }
  return null;
}
