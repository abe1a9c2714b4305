import { CANCEL_REASON_LABELS } from '../../../domain/appointment.ts';
import {
  AETIOLOGY_LABELS,
  CONDITION_LABELS,
  ORIGIN_LABELS,
  REFERRER_GRADE_LABELS,
  TREATMENT_LABELS,
} from '../../../domain/referral.ts';
import { firstAppointmentBar } from '../../../domain/first-appointment.ts';
import { nextStepsOf } from './next-step-view.ts';
import { checkReasonText, needsChecking, referralSourceLabel } from '../../../domain/referral-check.ts';
import { referralTimeline } from '../../../domain/referral-timeline.ts';
import { roleHasPermission, type Permission, type Role } from '../../../domain/roles.ts';
import { PRIORITY_LABELS, redirectNote, TRIAGE_OUTCOME_LABELS } from '../../../domain/triage.ts';
import { formatUbrn } from '../../../domain/ubrn.ts';
import { waitStatusText } from '../../../domain/waiting-target.ts';
import type { ReferralDetail } from '../../../services/referral-view-service.ts';
import type { ReferralState } from '../../../storage/referrals.repository.ts';

export const STATE_LABELS: Readonly<Record<ReferralState, string>> = {
  'awaiting-triage': 'Waiting for triage',
  ...TRIAGE_OUTCOME_LABELS,
};

const DOCUMENT_LABELS: Readonly<Record<string, string>> = {
  'letter-acknowledgement': 'Acknowledgement letter (to the referrer)',
  'letter-advice': 'Advice letter (to the referrer)',
  'letter-appointment': 'Appointment letter (to the patient)',
  'letter-clinic': 'Clinic letter (to the patient, copied to the referrer)',
  attachment: 'Attached document',
  'original-email': 'Original email message',
};

/** What was done with a redirected referral, for the decision shown at the top of the page. */
function latestRedirectNote(latest: ReferralDetail['decisions'][number] | undefined): string | null {
  return latest ? redirectNote(latest) : null;
}

/** The story of the referral, oldest first, with who did each step by name. */
function timelineOf(detail: ReferralDetail, name: (id: string | null) => string | null) {
  const { referral, decisions, appointments, documents, emails } = detail;
  return referralTimeline({
    receivedOn: referral.receivedOn,
    sourceLabel: referralSourceLabel(referral),
    createdAt: referral.createdAt,
    createdBy: detail.createdByName,
    emailReadAt: detail.intakeItem?.receivedAt ?? null,
    checkCleared:
      referral.check?.clearedAt && referral.check.clearedNote !== null
        ? {
            at: referral.check.clearedAt,
            by: name(referral.check.clearedBy),
            note: referral.check.clearedNote,
          }
        : null,
    decisions: decisions.map((d) => ({ ...d, decidedBy: d.decidedByName })),
    documents: documents.map((d) => ({ ...d, createdBy: name(d.createdBy) })),
    emails: emails.map((e) => ({
      to: e.toAddress,
      purpose: e.purpose,
      state: e.state,
      sentAt: e.sentAt,
      createdAt: e.createdAt,
      lastError: e.lastError,
    })),
    outcomes: detail.outcomes.map((o) => ({ ...o, recordedBy: name(o.recordedBy) })),
    appointments: appointments.map((a) => ({
      ...a,
      createdBy: name(a.createdBy) ?? 'Unknown',
      rebooked: a.rebookedFrom !== null,
      cancelledBy: name(a.cancelledBy),
      outcomeBy: name(a.outcomeBy),
    })),
  });
}

/** What the referral shows of its "needs checking" mark, or null when none was made. */
function checkOf(detail: ReferralDetail, name: (id: string | null) => string | null) {
  const { referral } = detail;
  return referral.check
    ? {
        open: needsChecking(referral.check),
        text: checkReasonText(referral.check.reason, referral),
        clearedAt: referral.check.clearedAt,
        clearedByName: name(referral.check.clearedBy),
        clearedNote: referral.check.clearedNote,
      }
    : null;
}

/** Everything the referral page shows, including its timeline. */
export function referralPageData(detail: ReferralDetail, role: Role, smtpConfigured: boolean) {
  const { referral, patient, decisions, appointments, documents, emails } = detail;
  const name = (id: string | null) => (id ? (detail.names.get(id) ?? null) : null);
  const can = (p: Permission) => roleHasPermission(role, p);
  const booked = appointments.find((a) => a.state === 'booked') ?? null;
  const emailFor = (docId: string) => emails.find((e) => e.documentId === docId);
  return {
    referral,
    patient,
    decisions,
    latestDecision: decisions.at(-1) ?? null,
    redirectNote: latestRedirectNote(decisions.at(-1)),
    appointments: appointments.map((a) => ({
      ...a,
      cancelReasonLabel: a.cancelReason ? CANCEL_REASON_LABELS[a.cancelReason] : null,
    })),
    booked,
    ...nextStepsOf(detail, name, can('appointment:outcome')),
    documents: documents.map((d) => ({
      ...d,
      label: DOCUMENT_LABELS[d.kind] ?? d.kind,
      email: emailFor(d.id) ?? null,
    })),
    timeline: timelineOf(detail, name),
    wait: detail.wait,
    waitText: detail.wait ? waitStatusText(detail.wait) : null,
    targetNote: detail.targetNote?.text ?? null,
    stateLabel: STATE_LABELS[referral.state],
    sourceLabel: referralSourceLabel(referral),
    gradeLabel: referral.referrerGrade ? REFERRER_GRADE_LABELS[referral.referrerGrade] : null,
    check: checkOf(detail, name),
    canClearCheck: can('referral:triage'),
    ubrn: referral.ubrn ? formatUbrn(referral.ubrn) : null,
    conditionsText: referral.conditions.map((c) => CONDITION_LABELS[c]).join(' and '),
    originLabel: ORIGIN_LABELS[referral.origin],
    aetiologyText:
      referral.aetiology === 'other'
        ? `Other: ${referral.aetiologyOther ?? ''}`
        : AETIOLOGY_LABELS[referral.aetiology],
    treatmentsText: referral.treatmentsTried.map((t) => TREATMENT_LABELS[t]).join(', '),
    priorityLabel: referral.priority ? PRIORITY_LABELS[referral.priority] : null,
    canTriage: can('referral:triage'),
    canBook:
      can('appointment:manage') &&
      firstAppointmentBar(
        referral.state,
        appointments.map((a) => ({
          state: a.state,
          nextStep: detail.outcomes.find((o) => o.appointmentId === a.id)?.nextStep ?? null,
        })),
      ) === null,
    canManageBooking: can('appointment:manage'),
    canAttach: can('referral:write'),
    // The pathway's next step once the patient has been seen: a selection assessment that
    // starts from this referral (its treatments and conditions carried forward).
    assessmentHref:
      can('assessment:write') && appointments.some((a) => a.state === 'attended')
        ? `/patients/${referral.patientId}/assessments/new?referralId=${referral.id}`
        : null,
    smtpConfigured,
  };
}

/** The referral page's title: the patient it is for. */
export function referralTitle(detail: ReferralDetail): string {
  return `Referral for ${detail.patient.givenName} ${detail.patient.familyName}`;
}
