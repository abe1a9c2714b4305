import { SEX_LABELS } from '../../../domain/patient.ts';
import { TIMELINE_KIND_LABELS } from '../../../domain/patient-timeline.ts';
import { PRIORITY_LABELS } from '../../../domain/triage.ts';
import type { PatientOverview } from '../../../services/patient-overview-service.ts';

const REFERRAL_STATE_TEXT: Readonly<Record<string, string>> = {
  'awaiting-triage': 'Waiting for triage',
  accepted: 'Accepted',
  'not-accepted': 'Not accepted',
  redirected: 'Redirected',
};

/** The patient overview as the page shows it: words and links, no decisions. */
export function overviewView(o: PatientOverview) {
  const p = o.patient;
  return {
    title: `${p.givenName} ${p.familyName}`,
    patient: p,
    updatedByName: o.updatedByName,
    sexLabel: SEX_LABELS[p.sex],
    ageYears: o.ageYears,
    alerts: o.alerts,
    nextAction: o.nextAction,
    pumps: o.pumps.map((x) => ({
      id: x.pump.id,
      serialNumber: x.pump.serialNumber,
      reservoirMl: x.pump.reservoirMl,
      implantedOn: x.pump.implantedOn,
      paused: x.pump.pausedOn !== null,
      dose: x.current
        ? `${x.current.doseMcgPerDay} micrograms a day (${x.current.concentrationMcgPerMl} micrograms/ml)`
        : 'No confirmed prescription',
      pending: x.pending ? `${x.pending.doseMcgPerDay} micrograms a day, waiting for a second check` : null,
      refillDueBy: x.pump.refillDueBy,
      refillBookedOn: x.refillBookedOn,
      nextReviewOn: x.pump.nextReviewOn,
    })),
    referrals: o.referrals.map((r) => ({
      id: r.id,
      receivedOn: r.receivedOn,
      from: `${r.referrerName}, ${r.referrerOrganisation}`,
      state: REFERRAL_STATE_TEXT[r.state] ?? r.state,
      priority: r.priority ? PRIORITY_LABELS[r.priority] : null,
    })),
    timeline: o.timeline.map((e) => ({ ...e, kindLabel: TIMELINE_KIND_LABELS[e.kind] })),
  };
}
