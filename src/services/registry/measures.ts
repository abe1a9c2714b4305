import { newMeasureSetContext, patientMeasures, recordMeasureSet } from '../measures-service.ts';
import { bindTo, type ServiceContext } from './bind.ts';

/** Outcome measures: recording a set, a patient's sets with their scores, the form's context. */
export function measureServices(ctx: ServiceContext) {
  return bindTo(ctx, {
    record: recordMeasureSet,
    forPatient: patientMeasures,
    newSetContext: newMeasureSetContext,
  });
}
