import { bookPumpAppointment, recordReviewHeld, updatePumpAppointment } from '../pump-appointment-service.ts';
import {
  confirmEndRequest,
  countWaitingEndRequests,
  findEndRequestById,
  rejectEndRequest,
} from '../pump-end-decisions.ts';
import { requestEndCorrection, requestPumpEnd } from '../pump-end-requests.ts';
import { patientPumps, peopleNamed, pumpOverview, registrationChoices } from '../pump-overview.ts';
import { pausePump, resumePump } from '../pump-pause-service.ts';
import { recordPumpEvent, registerPump } from '../pump-service.ts';
import {
  confirmPrescription,
  findPrescription,
  proposePrescription,
  rejectPrescription,
} from '../prescription-service.ts';
import { refillWorklist, viewRefillWorklist } from '../worklist-service.ts';
import { bindTo, type ServiceContext } from './bind.ts';

/**
 * Pumps: registration and events, the pump page, prescriptions and their second check,
 * appointments, a pump's end and pauses, and the refill worklist.
 */
export function pumpServices(ctx: ServiceContext) {
  return bindTo(ctx, {
    listForPatient: patientPumps,
    registrationChoices,
    register: registerPump,
    overview: pumpOverview,
    peopleNamed,
    recordEvent: recordPumpEvent,
    bookAppointment: bookPumpAppointment,
    updateAppointment: updatePumpAppointment,
    recordReviewHeld,
    findPrescription,
    proposePrescription,
    confirmPrescription,
    rejectPrescription,
    requestEnd: requestPumpEnd,
    requestEndCorrection,
    findEndRequest: findEndRequestById,
    confirmEnd: confirmEndRequest,
    rejectEnd: rejectEndRequest,
    endRequestsWaiting: countWaitingEndRequests,
    pause: pausePump,
    resume: resumePump,
    worklist: viewRefillWorklist,
    // The whole caseload's worklist with nobody viewing it (the daily digest): not audited.
    caseloadWorklist: refillWorklist,
  });
}
