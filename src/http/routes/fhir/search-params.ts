import { checkNhsNumber, NHS_NUMBER_MESSAGES } from '../../../domain/nhs-number.ts';
import { NHS_NUMBER_SYSTEM } from '../../../domain/fhir-import/patient-entry.ts';
import { FHIR_ID_PATTERN, type FhirExportType } from '../../../services/fhir/fhir-types.ts';

/** Whose resources a search asks for: by NHS number, or by the Patient's logical id. */
export type PatientCriterion =
  | { readonly by: 'nhsNumber'; readonly nhsNumber: string; readonly param: string; readonly value: string }
  | { readonly by: 'id'; readonly id: string; readonly param: string; readonly value: string };

export type SearchParse =
  | { readonly ok: true; readonly criterion: PatientCriterion }
  | { readonly ok: false; readonly param: string; readonly message: string };

/**
 * The search parameters each type takes (CapabilityStatement, capability-statement.ts):
 * Patient by `identifier`; every other type by its patient, chained by NHS number
 * (`patient.identifier`, the R4 chained form, https://hl7.org/fhir/R4/search.html#chaining;
 * `patient:identifier` accepted as the same) or by reference (`patient=Patient/{id}`).
 */
export const SEARCH_PARAMS_OF = (type: FhirExportType): readonly string[] =>
  type === 'Patient' ? ['identifier'] : ['patient.identifier', 'patient:identifier', 'patient'];

/** A token `system|value` or `value` holding an NHS number (https://hl7.org/fhir/R4/search.html#token). */
function nhsToken(param: string, value: string): SearchParse {
  const bar = value.indexOf('|');
  const system = bar >= 0 ? value.slice(0, bar) : null;
  const code = bar >= 0 ? value.slice(bar + 1) : value;
  if (system !== null && system !== '' && system !== NHS_NUMBER_SYSTEM) {
    return {
      ok: false,
      param,
      message: `${param}: only the NHS number (system ${NHS_NUMBER_SYSTEM}) can be searched`,
    };
  }
  const checked = checkNhsNumber(code);
  if (!checked.ok) {
    return { ok: false, param, message: `${param}: ${NHS_NUMBER_MESSAGES[checked.problem]}` };
  }
  return { ok: true, criterion: { by: 'nhsNumber', nhsNumber: checked.value, param, value } };
}

export function parseFhirSearch(
  type: FhirExportType,
  query: Readonly<Record<string, string | undefined>>,
): SearchParse {
  const params = SEARCH_PARAMS_OF(type);
  const given = params.filter((p) => query[p] !== undefined);
  if (given.length === 0) {
    return {
      ok: false,
      param: params[0] ?? '',
      message: `Search ${type} by ${params.filter((p) => p !== 'patient:identifier').join(' or ')}`,
    };
  }
  if (given.length > 1) {
    return { ok: false, param: given[1] ?? '', message: `Give one of ${given.join(', ')}, not several` };
  }
  const param = given[0] ?? '';
  const value = query[param] ?? '';
  if (param !== 'patient') {
    return nhsToken(param, value);
  }
  const id = value.replace(/^(?:.*\/)?Patient\//, '');
  if (!FHIR_ID_PATTERN.test(id)) {
    return { ok: false, param, message: 'patient: give Patient/{id}, the logical id of a Patient' };
  }
  return { ok: true, criterion: { by: 'id', id, param, value } };
}
