import {
  createPatient,
  findPatients,
  updatePatient,
  viewPatient,
  viewPatientRecord,
} from '../patient-service.ts';
import { bindTo, type ServiceContext } from './bind.ts';

/** Patient records: registering, editing, finding and viewing them, each view and search audited. */
export function patientServices(ctx: ServiceContext) {
  return bindTo(ctx, {
    create: createPatient,
    update: updatePatient,
    find: findPatients,
    view: viewPatient,
    viewRecord: viewPatientRecord,
  });
}
