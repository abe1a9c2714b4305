import {
  countForExport,
  exportAllFhir,
  fhirEverything,
  readFhirResource,
  searchFhirResources,
} from '../fhir/fhir-service.ts';
import { bindTo, type ServiceContext } from './bind.ts';

/**
 * FHIR R4 (UK Core) export: read and search by NHS number, a patient's whole record as a Bundle,
 * and the bulk export streamed in pages. Every call that shows patient data is audited.
 */
export function fhirServices(ctx: ServiceContext) {
  return bindTo(ctx, {
    read: readFhirResource,
    search: searchFhirResources,
    everything: fhirEverything,
    exportAll: exportAllFhir,
    countForExport,
  });
}
