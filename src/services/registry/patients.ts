import { intakePatientDetails } from '../intake-patient-details.ts';
import { patientOverview } from '../patient-overview-service.ts';
import {
  createPatient,
  findPatients,
  updatePatient,
  viewPatient,
  viewPatientRecord,
} from '../patient-service.ts';
import { bindTo, type ServiceContext } from './bind.ts';

/**
 * Patient records: registering (with the likely-duplicate check), editing, finding and viewing
 * them, the overview that is the patient's home page, and the details an email referral gives
 * for registering its patient; each view and search audited.
 */
export function patientServices(ctx: ServiceContext) {
  return bindTo(ctx, {
    create: createPatient,
    update: updatePatient,
    find: findPatients,
    view: viewPatient,
    viewRecord: viewPatientRecord,
    overview: patientOverview,
    intakeDetails: intakePatientDetails,
  });
}
