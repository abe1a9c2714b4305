import type { PlainDate } from '../calendar-date.ts';
import { formatNhsNumber } from '../nhs-number.ts';
import { namesLikelySamePerson } from '../patient-duplicates.ts';
import { nameKey } from '../patient-search-key.ts';
import { patientFromEntry, type ImportIssue, type PatientCandidate } from './patient-entry.ts';

/**
 * A FHIR R4 Bundle of Patient resources sent to seed the register (POST /fhir/R4, `itb fhir
 * import`). FHIR's rules (https://hl7.org/fhir/R4/http.html#transaction): a `transaction` is
 * processed as one unit, "either all or none of the actions succeed", so one bad entry saves
 * nothing and the answer lists every problem; a `batch`'s entries stand alone, so the clean
 * entries are saved and each problem is answered on its own entry.
 */

/** More than this in one bundle is refused: split the caseload into several bundles. */
export const MAX_IMPORT_ENTRIES = 10_000;

export const IMPORT_BUNDLE_TYPES = ['transaction', 'batch'] as const;
export type ImportBundleType = (typeof IMPORT_BUNDLE_TYPES)[number];

export interface ParsedImport {
  /** Null when the bundle itself is unusable (then `issues` says why). */
  readonly bundleType: ImportBundleType | null;
  readonly entryCount: number;
  /** Entries that passed their own checks and are not repeats of an earlier entry. */
  readonly candidates: readonly PatientCandidate[];
  readonly issues: readonly ImportIssue[];
}

function bundleIssue(path: string, message: string): ImportIssue {
  return { index: null, severity: 'error', code: 'structure', path, message };
}

/** Checks a bundle and each Patient in it; nothing here looks at the register. */
export function parsePatientBundle(raw: unknown, today: PlainDate): ParsedImport {
  const none = (issue: ImportIssue): ParsedImport => ({
    bundleType: null,
    entryCount: 0,
    candidates: [],
    issues: [issue],
  });
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return none(bundleIssue('Bundle', 'Send a FHIR Bundle as a JSON object'));
  }
  const bundle = raw as Record<string, unknown>;
  if (bundle.resourceType !== 'Bundle') {
    return none(bundleIssue('Bundle.resourceType', 'resourceType must be Bundle'));
  }
  const type = bundle.type;
  if (!(IMPORT_BUNDLE_TYPES as readonly unknown[]).includes(type)) {
    return none(bundleIssue('Bundle.type', 'type must be transaction or batch'));
  }
  const entries = bundle.entry;
  if (!Array.isArray(entries) || entries.length === 0) {
    return none(bundleIssue('Bundle.entry', 'The bundle has no entries'));
  }
  if (entries.length > MAX_IMPORT_ENTRIES) {
    return none(
      bundleIssue(
        'Bundle.entry',
        `The bundle has ${String(entries.length)} entries; send at most ${String(MAX_IMPORT_ENTRIES)} in one bundle`,
      ),
    );
  }
  const issues: ImportIssue[] = [];
  const candidates: PatientCandidate[] = [];
  const firstWithNumber = new Map<string, number>();
  entries.forEach((entry: unknown, index) => {
    const method = (entry as { request?: { method?: unknown } } | null)?.request?.method;
    if (method !== 'POST' && method !== 'PUT') {
      // Every entry of a transaction or batch says what to do with it (FHIR invariant bdl-3).
      issues.push({
        index,
        severity: 'error',
        code: 'required',
        path: `Bundle.entry[${String(index)}].request.method`,
        message: 'Each entry needs request.method POST (register or match the patient)',
      });
    }
    const result = patientFromEntry(entry, index, today);
    if (!result.ok) {
      issues.push(...result.issues);
      return;
    }
    const nhs = result.candidate.input.nhsNumber;
    const first = firstWithNumber.get(nhs);
    if (first !== undefined) {
      issues.push({
        index,
        severity: 'error',
        code: 'duplicate',
        path: `Bundle.entry[${String(index)}].resource.identifier`,
        message: `NHS number ${formatNhsNumber(nhs)} is also in entry ${String(first)}: each patient once per bundle`,
      });
      return;
    }
    firstWithNumber.set(nhs, index);
    if (method === 'POST' || method === 'PUT') {
      candidates.push(result.candidate);
    }
  });
  return { bundleType: type as ImportBundleType, entryCount: entries.length, candidates, issues };
}

/** What the register holds of someone, enough to match or tell apart. */
export interface RegisteredPerson {
  readonly id: string;
  readonly nhsNumber: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly dateOfBirth: string;
}

export type EntryDecision =
  | { readonly kind: 'matched'; readonly patientId: string; readonly warnings: readonly ImportIssue[] }
  | { readonly kind: 'create' }
  | { readonly kind: 'conflict'; readonly issues: readonly ImportIssue[] };

/**
 * Match, register or conflict, for one clean entry. `registered` is who holds its NHS number;
 * `bornSameDay` everyone born on its date of birth (for the likely-duplicate rule, H-061).
 *
 * - Same NHS number, same date of birth, a name the duplicate rule calls the same person:
 *   matched, nothing changed (a spelling that differs is a warning, not a change).
 * - Same NHS number with another date of birth or name: a conflict, nothing changed. Which
 *   record is right is for a person to decide; silently keeping either could join two people.
 * - No one with the NHS number but someone born the same day with a similar name: a conflict,
 *   as the registration form would ask; an import cannot answer "not the same person".
 * - Otherwise: registered.
 */
export function decideEntry(
  candidate: PatientCandidate,
  registered: RegisteredPerson | undefined,
  bornSameDay: readonly RegisteredPerson[],
): EntryDecision {
  const { input, index } = candidate;
  const base = `Bundle.entry[${String(index)}].resource`;
  const issue = (path: string, code: ImportIssue['code'], message: string): ImportIssue => ({
    index,
    severity: 'error',
    code,
    path,
    message,
  });
  const nhs = formatNhsNumber(input.nhsNumber);
  if (registered) {
    const problems: ImportIssue[] = [];
    if (registered.dateOfBirth !== input.dateOfBirth) {
      problems.push(
        issue(
          `${base}.birthDate`,
          'conflict',
          `NHS number ${nhs} is registered with another date of birth (${registered.dateOfBirth}); nothing was changed`,
        ),
      );
    }
    if (!namesLikelySamePerson(input, registered)) {
      problems.push(
        issue(
          `${base}.name`,
          'conflict',
          `NHS number ${nhs} is registered under another name (${registered.givenName} ${registered.familyName}); nothing was changed`,
        ),
      );
    }
    if (problems.length > 0) {
      return { kind: 'conflict', issues: problems };
    }
    const sameSpelling =
      nameKey(registered.givenName) === nameKey(input.givenName) &&
      nameKey(registered.familyName) === nameKey(input.familyName);
    return {
      kind: 'matched',
      patientId: registered.id,
      warnings: sameSpelling
        ? []
        : [
            {
              ...issue(
                `${base}.name`,
                'conflict',
                `Matched by NHS number; the register spells the name ${registered.givenName} ${registered.familyName} and was not changed`,
              ),
              severity: 'warning',
            },
          ],
    };
  }
  const likely = bornSameDay.filter(
    (p) => p.nhsNumber !== input.nhsNumber && namesLikelySamePerson(input, p),
  );
  if (likely.length > 0) {
    return {
      kind: 'conflict',
      issues: [
        issue(
          base,
          'conflict',
          `Likely the same person as ${likely.map((p) => `patient ${p.id} (NHS number ${formatNhsNumber(p.nhsNumber)})`).join(', ')}: born the same day with a similar name but another NHS number. Check the records and register this patient by hand if they are different people`,
        ),
      ],
    };
  }
  return { kind: 'create' };
}
