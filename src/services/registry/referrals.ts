import {
  bookAppointment,
  cancelAppointment,
  findAppointment,
  rebookAppointment,
  recordOutcome,
} from '../appointment-service.ts';
import { today } from '../clock.ts';
import { closeIntakeItem, ingestEmail, pollMailbox, uploadEmail, viewIntakeItem } from '../intake-service.ts';
import { sendDueEmails } from '../outbox-service.ts';
import { referralAlerts } from '../referral-alerts.ts';
import { clearReferralCheck } from '../referral-check-service.ts';
import { attachLetter, readDocument } from '../referral-documents.ts';
import {
  countNewEmails,
  intakeList,
  listReferrals,
  referralsForPatient,
  viewIntakeList,
  viewTriageQueue,
  viewWaitingList,
} from '../referral-lists-service.ts';
import { createReferral, triageReferral } from '../referral-service.ts';
import { viewReferral } from '../referral-view-service.ts';
import { bindTo, type ServiceContext } from './bind.ts';

/**
 * Referrals: e-RS and email intake, the needs-checking mark, triage, first appointments, the
 * waiting list, letters and their emails.
 */
export function referralServices(ctx: ServiceContext) {
  return bindTo(ctx, {
    /** Today in the service's time zone: the referral forms check dates against it. */
    today,
    create: createReferral,
    view: viewReferral,
    list: listReferrals,
    listForPatient: referralsForPatient,
    triage: triageReferral,
    clearCheck: clearReferralCheck,
    attachLetter,
    readDocument,
    triageQueue: viewTriageQueue,
    waitingList: viewWaitingList,
    alerts: referralAlerts,
    ingestEmail,
    uploadEmail,
    viewEmail: viewIntakeItem,
    closeEmail: closeIntakeItem,
    intakeList,
    viewIntakeList,
    countNewEmails,
    pollMailbox,
    sendDueEmails,
    findAppointment,
    book: bookAppointment,
    rebook: rebookAppointment,
    cancelAppointment,
    recordOutcome,
  });
}
