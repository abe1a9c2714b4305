import type { NextStep } from './first-appointment-outcome.ts';
import { daysBetween, formatPlainDate, type PlainDate } from './calendar-date.ts';

/**
 * What the patient overview puts first: the one next thing the team has to do for this patient,
 * with the page where it is done, and the alerts the banner shows. Safety work comes before
 * booking work: a dose or a fill nobody has checked yet, then a fill running out, then an open
 * test dose, then triage, booking and assessment (hazard H-063).
 */
export interface NextAction {
  readonly text: string;
  readonly href: string;
}

export interface PumpFacts {
  readonly id: string;
  /** Only implanted pumps need anything doing; ended ones are history. */
  readonly implanted: boolean;
  readonly paused: boolean;
  readonly pendingPrescription: boolean;
  /** A refill recorded but not yet checked and signed. */
  readonly unsignedRefillId: string | null;
  /** The day the fill must be replaced by (the low-reservoir alarm date or the drug's expiry, whichever first). */
  readonly refillDueBy: PlainDate | null;
  readonly refillBookedOn: PlainDate | null;
  readonly nextReviewOn: PlainDate | null;
}

export interface NextActionFacts {
  readonly patientId: string;
  readonly today: PlainDate;
  /** Days ahead a refill counts as due soon (PUMP_DUE_SOON_DAYS). */
  readonly dueSoonDays: number;
  readonly pumps: readonly PumpFacts[];
  readonly openTestDoseId: string | null;
  readonly referrals: readonly {
    readonly id: string;
    readonly state: string;
    /**
     * A first appointment is booked, or was attended and did not end in "rebook"
     * (first-appointment-outcome.ts).
     */
    readonly hasAppointment: boolean;
    /** The next step recorded after its latest attended first appointment, if any. */
    readonly nextStep?: NextStep | null;
    /** A selection assessment linked to this referral has been started. */
    readonly assessmentStarted?: boolean;
  }[];
  readonly assessmentInProgressId: string | null;
}

const days = (n: number) => `${n} ${n === 1 ? 'day' : 'days'}`;

export function patientNextAction(f: NextActionFacts): NextAction | null {
  const live = f.pumps.filter((p) => p.implanted);
  for (const p of live) {
    if (p.pendingPrescription) {
      return { text: 'Check the proposed dose change', href: `/pumps/${p.id}` };
    }
  }
  for (const p of live) {
    if (p.unsignedRefillId) {
      return { text: 'Check and sign the last refill', href: `/refills/${p.unsignedRefillId}` };
    }
  }
  for (const p of live) {
    if (!p.paused && p.refillDueBy !== null) {
      const left = daysBetween(f.today, p.refillDueBy);
      if (left < 0) {
        return { text: `Refill ${days(-left)} overdue: refill the pump today`, href: `/pumps/${p.id}` };
      }
      if (left <= f.dueSoonDays && p.refillBookedOn === null) {
        return {
          text: `Book a refill: due by ${formatPlainDate(p.refillDueBy)}`,
          href: `/pumps/${p.id}/appointments`,
        };
      }
    }
  }
  if (f.openTestDoseId) {
    return { text: 'Continue the test dose', href: `/test-doses/${f.openTestDoseId}` };
  }
  const awaiting = f.referrals.find((r) => r.state === 'awaiting-triage');
  if (awaiting) {
    return { text: 'Triage the referral', href: `/referrals/${awaiting.id}` };
  }
  const toBook = f.referrals.find((r) => r.state === 'accepted' && !r.hasAppointment);
  if (toBook) {
    const text = toBook.nextStep === 'rebook' ? 'Book the next appointment' : 'Book the first appointment';
    return { text, href: `/referrals/${toBook.id}/appointments/new` };
  }
  const toAssess = f.referrals.find(
    (r) => r.nextStep === 'selection-assessment' && r.assessmentStarted !== true,
  );
  if (toAssess) {
    return {
      text: 'Start the selection assessment',
      href: `/patients/${f.patientId}/assessments/new?referralId=${toAssess.id}`,
    };
  }
  if (f.assessmentInProgressId) {
    return { text: 'Continue the selection assessment', href: `/assessments/${f.assessmentInProgressId}` };
  }
  for (const p of live) {
    if (p.refillBookedOn !== null) {
      return { text: `Refill booked for ${formatPlainDate(p.refillBookedOn)}`, href: `/pumps/${p.id}` };
    }
  }
  for (const p of live) {
    if (p.nextReviewOn !== null) {
      const left = daysBetween(f.today, p.nextReviewOn);
      return left < 0
        ? { text: `Review ${days(-left)} overdue: book it`, href: `/pumps/${p.id}/appointments` }
        : { text: `Next review due ${formatPlainDate(p.nextReviewOn)}`, href: `/pumps/${p.id}` };
    }
  }
  return null;
}

/** The alerts the banner shows: what staff record, then what the record itself says. */
export function patientAlerts(recorded: string | null, f: NextActionFacts): string[] {
  const alerts = recorded ? [recorded] : [];
  for (const p of f.pumps.filter((x) => x.implanted)) {
    if (p.paused) {
      alerts.push('Pump paused');
    } else if (p.refillDueBy !== null && p.refillDueBy < f.today) {
      alerts.push(`Refill ${days(daysBetween(p.refillDueBy, f.today))} overdue: risk of baclofen withdrawal`);
    }
    if (p.pendingPrescription) {
      alerts.push('A dose change is waiting for a second check');
    }
  }
  return alerts;
}
