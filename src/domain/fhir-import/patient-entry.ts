import type { PlainDate } from '../calendar-date.ts';
import { checkNhsNumber, NHS_NUMBER_MESSAGES } from '../nhs-number.ts';
import { SEXES, validatePatientInput, type PatientInput } from '../patient.ts';

/**
 * One FHIR R4 Patient resource (UK Core Patient) turned into the register's patient details, or
 * the problems that stop it, each naming the element by its FHIRPath-style location in the
 * bundle (`Bundle.entry[3].resource.birthDate`), so a hospital integration engineer can find it.
 */

/** UK Core Patient's NHS number identifier system (https://simplifier.net/hl7fhirukcorer4, UKCore-Patient identifier:nhsNumber). */
export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';

/** The ODS organisation code system, for the GP practice (UK Core Patient generalPractitioner). */
export const ODS_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code';

export type ImportIssueCode = 'structure' | 'required' | 'value' | 'invalid' | 'duplicate' | 'conflict';

/** What is wrong with an entry (or the bundle when `index` is null); errors stop it, warnings do not. */
export interface ImportIssue {
  readonly index: number | null;
  readonly severity: 'error' | 'warning';
  readonly code: ImportIssueCode;
  /** Where, as FHIRPath from the bundle: `Bundle.entry[0].resource.identifier`. */
  readonly path: string;
  readonly message: string;
}

/** A Patient entry that passed every check of its own. */
export interface PatientCandidate {
  readonly index: number;
  readonly fullUrl: string | null;
  readonly input: PatientInput;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function text(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}

function arrayOf(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** The name to register: the `official` one (UK Core: the name on PDS), else the first. */
function pickName(resource: Json): { name: Json; at: number } | null {
  const names = arrayOf(resource.name);
  const official = names.findIndex((n) => isObject(n) && n.use === 'official');
  const at = official >= 0 ? official : names.findIndex(isObject);
  const name = names[at];
  return isObject(name) ? { name, at } : null;
}

/** The home address if there is one, else the first; `line[0]`, `line[1]`, `city`, `postalCode`. */
function pickAddress(resource: Json): { address: Json; at: number } | null {
  const list = arrayOf(resource.address);
  const home = list.findIndex((a) => isObject(a) && a.use === 'home');
  const at = home >= 0 ? home : list.findIndex(isObject);
  const address = list[at];
  return isObject(address) ? { address, at } : null;
}

function pickPhone(resource: Json): { value: string; at: number } | null {
  const list = arrayOf(resource.telecom);
  const at = list.findIndex((c) => isObject(c) && c.system === 'phone' && text(c.value) !== null);
  const contact = list[at];
  return isObject(contact) ? { value: text(contact.value) ?? '', at } : null;
}

/** The registered GP practice: the first generalPractitioner with an ODS code or a name. */
function pickPractice(resource: Json): { ods: string | null; name: string | null; at: number } | null {
  const list = arrayOf(resource.generalPractitioner);
  const at = list.findIndex(
    (r) =>
      isObject(r) &&
      ((isObject(r.identifier) && r.identifier.system === ODS_SYSTEM) || text(r.display) !== null),
  );
  const ref = list[at];
  if (!isObject(ref)) {
    return null;
  }
  const id =
    isObject(ref.identifier) && ref.identifier.system === ODS_SYSTEM ? text(ref.identifier.value) : null;
  return { ods: id, name: text(ref.display), at };
}

/** Where each of the register's fields came from, so the register's own rules name the element. */
function fieldPaths(
  base: string,
  nameAt: number,
  addressAt: number,
  phoneAt: number,
  practiceAt: number,
): Record<string, string> {
  const address = `${base}.address[${String(addressAt)}]`;
  return {
    nhsNumber: `${base}.identifier`,
    givenName: `${base}.name[${String(nameAt)}].given[0]`,
    familyName: `${base}.name[${String(nameAt)}].family`,
    dateOfBirth: `${base}.birthDate`,
    sex: `${base}.gender`,
    addressLine1: `${address}.line[0]`,
    addressLine2: `${address}.line[1]`,
    town: `${address}.city`,
    postcode: `${address}.postalCode`,
    phone: `${base}.telecom[${String(phoneAt)}].value`,
    gpPracticeOds: `${base}.generalPractitioner[${String(practiceAt)}].identifier.value`,
    gpPracticeName: `${base}.generalPractitioner[${String(practiceAt)}].display`,
  };
}

/** The one NHS number the resource carries, or the problem with its identifiers. */
function nhsNumberOf(resource: Json, base: string, index: number): string | ImportIssue {
  const values = arrayOf(resource.identifier)
    .filter((id): id is Json => isObject(id) && id.system === NHS_NUMBER_SYSTEM)
    .map((id) => (typeof id.value === 'string' ? id.value : ''));
  const issue = (code: ImportIssueCode, message: string): ImportIssue => ({
    index,
    severity: 'error',
    code,
    path: `${base}.identifier`,
    message,
  });
  if (values.length === 0) {
    return issue('required', `An identifier with system ${NHS_NUMBER_SYSTEM} (the NHS number) is required`);
  }
  if (new Set(values).size > 1) {
    return issue('invalid', 'The resource has more than one different NHS number');
  }
  const checked = checkNhsNumber(values[0] ?? '');
  if (!checked.ok) {
    return issue('value', `NHS number: ${NHS_NUMBER_MESSAGES[checked.problem]}`);
  }
  return checked.value;
}

/**
 * Checks one entry and maps its Patient to the register's details, through the same validation
 * the registration form uses (validatePatientInput), with `today` passed in for the date of birth.
 */
export function patientFromEntry(
  entry: unknown,
  index: number,
  today: PlainDate,
): { ok: true; candidate: PatientCandidate } | { ok: false; issues: ImportIssue[] } {
  const at = `Bundle.entry[${String(index)}]`;
  const base = `${at}.resource`;
  const fail = (path: string, code: ImportIssueCode, message: string) => ({
    ok: false as const,
    issues: [{ index, severity: 'error' as const, code, path, message }],
  });
  if (!isObject(entry)) {
    return fail(at, 'structure', 'Each entry must be an object');
  }
  const resource = entry.resource;
  if (!isObject(resource)) {
    return fail(`${at}.resource`, 'required', 'The entry has no resource');
  }
  if (resource.resourceType !== 'Patient') {
    return fail(`${base}.resourceType`, 'value', 'Only Patient resources can be imported');
  }
  const issues: ImportIssue[] = [];
  const nhsNumber = nhsNumberOf(resource, base, index);
  if (typeof nhsNumber !== 'string') {
    issues.push(nhsNumber);
  }
  const name = pickName(resource);
  const given = name ? text(arrayOf(name.name.given)[0]) : null;
  const family = name ? text(name.name.family) : null;
  if (!name) {
    issues.push({
      index,
      severity: 'error',
      code: 'required',
      path: `${base}.name`,
      message: 'A name is required',
    });
  }
  const birthDate = resource.birthDate;
  if (typeof birthDate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) {
    // FHIR allows a year or a month alone; the register needs the full date to tell people apart.
    issues.push({
      index,
      severity: 'error',
      code: birthDate === undefined ? 'required' : 'value',
      path: `${base}.birthDate`,
      message: 'The full date of birth (YYYY-MM-DD) is required',
    });
  }
  const gender = resource.gender;
  if (gender !== undefined && !(SEXES as readonly unknown[]).includes(gender)) {
    issues.push({
      index,
      severity: 'error',
      code: 'value',
      path: `${base}.gender`,
      message: 'gender must be male, female, other or unknown',
    });
  }
  const address = pickAddress(resource);
  const lines = address ? arrayOf(address.address.line).map(text) : [];
  const phone = pickPhone(resource);
  const practice = pickPractice(resource);
  const paths = fieldPaths(base, name?.at ?? 0, address?.at ?? 0, phone?.at ?? 0, practice?.at ?? 0);
  const raw = {
    nhsNumber: typeof nhsNumber === 'string' ? nhsNumber : '',
    givenName: given ?? '',
    familyName: family ?? '',
    dateOfBirth: typeof birthDate === 'string' ? birthDate : '',
    sex: typeof gender === 'string' ? gender : 'unknown',
    addressLine1: lines[0] ?? null,
    addressLine2: lines.slice(1).filter(Boolean).join(', ') || null,
    town: address ? text(address.address.city) : null,
    postcode: address ? text(address.address.postalCode) : null,
    phone: phone?.value ?? null,
    gpPracticeOds: practice?.ods ?? null,
    gpPracticeName: practice?.name ?? null,
  };
  const validated = validatePatientInput(raw, today);
  if (!validated.ok) {
    const reported = new Set(issues.map((i) => i.path));
    if (!name) {
      reported.add(paths.givenName ?? '').add(paths.familyName ?? '');
    }
    for (const e of validated.errors) {
      const path = paths[e.field] ?? base;
      // An element already reported above is not reported twice in the register's words.
      if (!reported.has(path) && !(e.field === 'nhsNumber' && typeof nhsNumber !== 'string')) {
        issues.push({ index, severity: 'error', code: 'value', path, message: e.message });
      }
    }
  }
  if (issues.length > 0 || !validated.ok) {
    return { ok: false, issues };
  }
  return { ok: true, candidate: { index, fullUrl: text(entry.fullUrl), input: validated.value } };
}
