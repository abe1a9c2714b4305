import type { z } from 'zod';
import { checkReasonText, needsChecking, referralSourceLabel } from '../../../domain/referral-check.ts';
import { waitStatusText, type TargetDayNote, type WaitAssessment } from '../../../domain/waiting-target.ts';
import type { ReferralDetail } from '../../../services/referral-view-service.ts';
import type { WaitingListItem } from '../../../services/waiting-list-service.ts';
import type { Appointment } from '../../../storage/appointments.repository.ts';
import type { Referral } from '../../../storage/referrals.repository.ts';
import type {
  appointmentSchema,
  referralDetailSchema,
  referralSchema,
  waitingListSchema,
} from './referral-schemas.ts';

/** The referral API's JSON: each record as its response schema (referral-schemas.ts) gives it. */

export function referralToApi(r: Referral): z.infer<typeof referralSchema> {
  return {
    id: r.id,
    patientId: r.patientId,
    source: r.source,
    ubrn: r.ubrn,
    receivedOn: r.receivedOn,
    referrerName: r.referrerName,
    referrerRole: r.referrerRole,
    referrerOrganisation: r.referrerOrganisation,
    referrerOdsCode: r.referrerOdsCode,
    referrerEmail: r.referrerEmail,
    referrerPhone: r.referrerPhone,
    reason: r.reason,
    conditions: r.conditions,
    origin: r.origin,
    aetiology: r.aetiology,
    aetiologyOther: r.aetiologyOther,
    treatmentsTried: r.treatmentsTried,
    treatmentsNote: r.treatmentsNote,
    referrerGrade: r.referrerGrade,
    ersServiceName: r.ersServiceName,
    sourceLabel: referralSourceLabel(r),
    check: r.check
      ? {
          needed: needsChecking(r.check),
          reason: r.check.reason,
          reasonText: checkReasonText(r.check.reason, r),
          clearedAt: r.check.clearedAt,
          clearedBy: r.check.clearedBy,
          clearedNote: r.check.clearedNote,
        }
      : null,
    state: r.state,
    priority: r.priority,
    acceptedOn: r.acceptedOn,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    version: r.version,
  };
}

export function appointmentToApi(a: Appointment): z.infer<typeof appointmentSchema> {
  return {
    id: a.id,
    referralId: a.referralId,
    date: a.date,
    time: a.time,
    clinic: a.clinic,
    clinician: a.clinician,
    state: a.state,
    rebookedFrom: a.rebookedFrom,
    cancelReason: a.cancelReason,
    cancelNote: a.cancelNote,
    outcomeNote: a.outcomeNote,
    createdAt: a.createdAt,
    version: a.version,
    beyondTargetDate: a.beyondTargetDate,
  };
}

function waitToApi(w: WaitAssessment | null, note: TargetDayNote | null) {
  return w ? { ...w, statusText: waitStatusText(w), targetDateNote: note?.text ?? null } : null;
}

export function detailToApi(d: ReferralDetail): z.infer<typeof referralDetailSchema> {
  return {
    ...referralToApi(d.referral),
    decisions: d.decisions.map((x) => ({
      id: x.id,
      outcome: x.outcome,
      priority: x.priority,
      advice: x.advice,
      redirectTo: x.redirectTo,
      redirectSent: x.redirectSent,
      redirectMethod: x.redirectMethod,
      changeReason: x.changeReason,
      decidedBy: x.decidedBy,
      decidedByName: x.decidedByName,
      decidedAt: x.decidedAt,
    })),
    appointments: d.appointments.map(appointmentToApi),
    nextSteps: d.outcomes.map((o) => ({
      appointmentId: o.appointmentId,
      nextStep: o.nextStep,
      summary: o.summary,
      referTo: o.referTo,
      letterId: o.letterId,
      recordedBy: o.recordedBy,
      recordedAt: o.recordedAt,
    })),
    documents: d.documents.map((x) => ({
      id: x.id,
      kind: x.kind,
      filename: x.filename,
      contentType: x.contentType,
      createdAt: x.createdAt,
    })),
    wait: waitToApi(d.wait, d.targetNote),
  };
}

export function waitingListToApi(items: readonly WaitingListItem[]): z.infer<typeof waitingListSchema> {
  return {
    items: items.map((i) => ({
      referralId: i.referral.id,
      patientId: i.patient.id,
      nhsNumber: i.patient.nhsNumber,
      patientName: `${i.patient.givenName} ${i.patient.familyName}`,
      priority: i.referral.priority ?? 'routine',
      receivedOn: i.referral.receivedOn,
      targetDays: i.assessment.targetDays,
      targetDate: i.assessment.targetDate,
      status: i.assessment.status,
      statusText: waitStatusText(i.assessment),
      daysWaited: i.assessment.daysWaited,
      daysLeft: i.assessment.daysLeft,
      bookedDate: i.assessment.bookedOn,
      outcomeOverdue: i.assessment.outcomeOverdue,
      targetDateNote: i.targetNote?.text ?? null,
    })),
  };
}
