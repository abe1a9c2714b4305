import {
  adviceCallFormContext,
  adviceCallLog,
  logAdviceCall,
  patientAdviceCalls,
  viewAdviceCall,
} from '../advice-call-service.ts';
import {
  alertsForRecord,
  closeEmergencyEvent,
  openEmergencyEvents,
  openEventCount,
  patientEmergencyEvents,
  recordEmergencyEvent,
  serviceOpenEvents,
  viewEmergencyEvent,
} from '../emergency-event-service.ts';
import { bindTo, type ServiceContext } from './bind.ts';

/** Emergency events (record, close, read, the pages' alerts) and advice-line calls. */
export function emergencyEventServices(ctx: ServiceContext) {
  return {
    ...bindTo(ctx, {
      record: recordEmergencyEvent,
      close: closeEmergencyEvent,
      forPatient: patientEmergencyEvents,
      view: viewEmergencyEvent,
      openInService: serviceOpenEvents,
      openCount: openEventCount,
      alertsForRecord,
      logCall: logAdviceCall,
      viewCall: viewAdviceCall,
      callsForPatient: patientAdviceCalls,
      callLog: adviceCallLog,
      callFormContext: adviceCallFormContext,
    }),
    /** The patient's open events, unaudited (the seam for the emergency summary). */
    openForPatient: (patientId: string) => openEmergencyEvents(ctx.db, patientId),
  };
}
