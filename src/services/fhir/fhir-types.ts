import type { FhirExportType } from '../../domain/fhir/fhir-types.ts';

/** The exported resource types, for callers outside the domain (HTTP routes, the CLI). */
export {
  FHIR_EXPORT_TYPES,
  FHIR_ID_PATTERN,
  isFhirExportType,
  type FhirExportType,
} from '../../domain/fhir/fhir-types.ts';
export type { Bundle, Resource } from '@medplum/fhirtypes';

/** What a bulk export can be asked for. */
export interface FhirExportOptions {
  /** Only these types (default: every type in FHIR_EXPORT_TYPES). */
  readonly types?: readonly FhirExportType[];
  /** Called after each page with the resources done so far and the total countForExport gives. */
  readonly onProgress?: (done: number, total: number) => void;
}
