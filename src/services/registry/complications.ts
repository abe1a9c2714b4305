import { recordBridgingPlan } from '../bridging-plan-service.ts';
import { patientRegister, pumpRegister, serviceRegister } from '../complication-register-service.ts';
import {
  complicationPage,
  recordComplication,
  updateComplication,
  viewComplication,
} from '../complication-service.ts';
import { bindTo, type ServiceContext } from './bind.ts';

/** The complications register (per patient, per pump, service-wide) and bridging plans. */
export function complicationServices(ctx: ServiceContext) {
  return bindTo(ctx, {
    record: recordComplication,
    update: updateComplication,
    view: viewComplication,
    page: complicationPage,
    forPatient: patientRegister,
    forPump: pumpRegister,
    register: serviceRegister,
    recordBridgingPlan,
  });
}
