import { recordFirstAppointmentOutcome } from '../first-appointment-outcome-service.ts';
import { bindTo, type ServiceContext } from './bind.ts';

/** The next step after a first appointment, with its clinic letter. */
export function firstAppointmentOutcomeServices(ctx: ServiceContext) {
  return bindTo(ctx, {
    record: recordFirstAppointmentOutcome,
  });
}
