import type { HeaderMapping } from './header-mapping.ts';
import type { RowProblem } from './problems.ts';
import { RowCollector } from './row-collector.ts';
import type { CaseloadRecord, RegisteredFacts, RowContent } from './row-types.ts';

export const serialKey = (modelId: string, serial: string): string =>
  `${modelId} ${serial.trim().toUpperCase()}`;

/**
 * A row checked on its own (row-checks.ts), then against what the database holds: a patient
 * registered already (matched, or refused) and a pump registered already. These are the only
 * checks that depend on the register, so they are the ones a commit runs again on rows it
 * reuses from the dry run. The import never changes a registered patient's details.
 */
export function checkRowAgainstRegister(
  content: RowContent,
  mapping: HeaderMapping,
  registered: RegisteredFacts,
): { readonly record: CaseloadRecord | null; readonly problems: readonly RowProblem[] } {
  const p = new RowCollector(content.rowNumber, mapping);
  let existingPatientId: string | null = null;
  const known = content.patient === null ? undefined : registered.patients.get(content.patient.nhsNumber);
  if (known && content.patient) {
    if (known.dateOfBirth !== content.patient.dateOfBirth) {
      p.add(
        'nhsNumber',
        'error',
        'ALREADY_REGISTERED',
        'This NHS number is registered with another date of birth: check the number and the date',
      );
    } else if (known.pumpInService) {
      p.add(
        'nhsNumber',
        'error',
        'ALREADY_REGISTERED',
        'This patient is registered with a pump in service already',
      );
    } else {
      existingPatientId = known.id;
      p.add(
        'nhsNumber',
        'warning',
        'MATCHED_EXISTING',
        'Registered already (same NHS number and date of birth, no pump in service): the pump is added to that record, whose details are kept',
      );
    }
  }
  const pump = content.pump;
  if (pump && registered.serials.has(serialKey(pump.model.id, pump.serial))) {
    p.add(
      'serialNumber',
      'error',
      'ALREADY_REGISTERED',
      `A ${pump.model.name} with serial ${pump.serial} is registered already`,
    );
  }
  const problems = p.problems.length === 0 ? content.problems : [...content.problems, ...p.problems];
  if (content.draft === null || p.hasError()) {
    return { record: null, problems };
  }
  return { record: { ...content.draft, existingPatientId }, problems };
}
