import { importPatientBundle } from '../fhir-import/import-service.ts';
import { bindTo, type ServiceContext } from './bind.ts';

/**
 * Seeding the register from a hospital's record: a FHIR Bundle of Patient resources, each
 * registered or matched by NHS number, with a report of every conflict (POST /fhir/R4 and
 * `itb fhir import`).
 */
export function fhirImportServices(ctx: ServiceContext) {
  return bindTo(ctx, {
    importBundle: importPatientBundle,
  });
}
