import { NEXT_STEP_LABELS, nextStepLink } from '../../../domain/first-appointment-outcome.ts';
import type { ReferralDetail } from '../../../services/referral-view-service.ts';

/**
 * What the referral page shows of the first appointments' next steps: each one recorded, with
 * its summary, its clinic letter and the link on to what it calls for; and the appointments
 * still waiting for one, for those who may record it.
 */
export function nextStepsOf(
  detail: ReferralDetail,
  name: (id: string | null) => string | null,
  canRecord: boolean,
) {
  const ids = { patientId: detail.referral.patientId, referralId: detail.referral.id };
  const nextSteps = detail.outcomes.map((o) => {
    const appointment = detail.appointments.find((a) => a.id === o.appointmentId);
    return {
      ...o,
      label: NEXT_STEP_LABELS[o.nextStep],
      appointmentDate: appointment?.date ?? null,
      recordedByName: name(o.recordedBy) ?? 'Unknown',
      link: nextStepLink(o.nextStep, ids),
    };
  });
  const awaitingNextStep = canRecord
    ? detail.appointments.filter(
        (a) => a.state !== 'cancelled' && !detail.outcomes.some((o) => o.appointmentId === a.id),
      )
    : [];
  return { nextSteps, awaitingNextStep };
}
