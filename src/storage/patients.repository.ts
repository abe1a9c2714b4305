import type { NhsNumber } from '../domain/nhs-number.ts';
import type { PatientInput, Sex } from '../domain/patient.ts';
import type { SearchCriteria } from '../domain/patient-search.ts';
import { hospitalNumberKey, patientSearchTerms, termRange } from '../domain/patient-search-key.ts';
import { compiledOnce } from './compiled-once.ts';
import type { DbOrTrx, PatientsTable } from './database.ts';

export interface Patient extends PatientInput {
  readonly id: string;
  readonly sex: Sex;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
  readonly version: number;
}

/** A row of `patients` as the record the services work with. */
export function patientFromRow(r: PatientsTable): Patient {
  return {
    id: r.id,
    // Only validated numbers are ever stored (validatePatientInput runs before every write).
    nhsNumber: r.nhs_number as NhsNumber,
    hospitalNumber: r.hospital_number,
    givenName: r.given_name,
    familyName: r.family_name,
    dateOfBirth: r.date_of_birth,
    sex: r.sex as Sex,
    addressLine1: r.address_line1,
    addressLine2: r.address_line2,
    town: r.town,
    postcode: r.postcode,
    phone: r.phone,
    gpPracticeName: r.gp_practice_name,
    gpPracticeOds: r.gp_practice_ods,
    nextOfKinName: r.next_of_kin_name,
    nextOfKinRelationship: r.next_of_kin_relationship,
    nextOfKinPhone: r.next_of_kin_phone,
    communicationNeeds: r.communication_needs,
    allergies: r.allergies,
    alerts: r.alerts,
    relevantConditions: r.relevant_conditions,
    createdAt: r.created_at,
    createdBy: r.created_by,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
    version: r.version,
  };
}

/** The columns of what a person enters about a patient (the bookkeeping columns are set apart). */
export function patientInputToRow(p: PatientInput) {
  return {
    nhs_number: p.nhsNumber,
    hospital_number: p.hospitalNumber,
    given_name: p.givenName,
    family_name: p.familyName,
    date_of_birth: p.dateOfBirth,
    sex: p.sex,
    address_line1: p.addressLine1,
    address_line2: p.addressLine2,
    town: p.town,
    postcode: p.postcode,
    phone: p.phone,
    gp_practice_name: p.gpPracticeName,
    gp_practice_ods: p.gpPracticeOds,
    next_of_kin_name: p.nextOfKinName,
    next_of_kin_relationship: p.nextOfKinRelationship,
    next_of_kin_phone: p.nextOfKinPhone,
    communication_needs: p.communicationNeeds,
    allergies: p.allergies,
    alerts: p.alerts,
    relevant_conditions: p.relevantConditions,
    hospital_number_key: hospitalNumberKey(p.hospitalNumber),
  };
}

export async function insertPatient(
  db: DbOrTrx,
  id: string,
  input: PatientInput,
  by: string,
  at: string,
): Promise<void> {
  await db
    .insertInto('patients')
    .values({
      id,
      ...patientInputToRow(input),
      created_at: at,
      created_by: by,
      updated_at: at,
      updated_by: by,
      version: 1,
    })
    .execute();
  await writeSearchTerms(db, id, input);
}

/**
 * Replaces the terms a patient is found by. Written in the transaction that writes the patient,
 * after the row itself, whose lock (or the version check) keeps two writers apart.
 */
async function writeSearchTerms(db: DbOrTrx, id: string, input: PatientInput): Promise<void> {
  await db.deleteFrom('patient_search_terms').where('patient_id', '=', id).execute();
  const terms = patientSearchTerms(input);
  if (terms.length > 0) {
    await db
      .insertInto('patient_search_terms')
      .values(terms.map((t) => ({ patient_id: id, part: t.part, term: t.term })))
      .execute();
  }
}

export async function updatePatientIfVersion(
  db: DbOrTrx,
  id: string,
  expectedVersion: number,
  input: PatientInput,
  by: string,
  at: string,
): Promise<boolean> {
  const r = await db
    .updateTable('patients')
    .set({ ...patientInputToRow(input), updated_at: at, updated_by: by, version: expectedVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) {
    return false;
  }
  await writeSearchTerms(db, id, input);
  return true;
}

export async function findPatientById(db: DbOrTrx, id: string): Promise<Patient | undefined> {
  const row = await db.selectFrom('patients').selectAll().where('id', '=', id).executeTakeFirst();
  return row && patientFromRow(row);
}

export interface PatientWithEditor {
  readonly patient: Patient;
  /** The display name of the account that last changed the record; null if none is on record. */
  readonly updatedByName: string | null;
}

/**
 * A patient and the name of whoever last changed the record, in one query, compiled once (the
 * patient page runs it on every view). The name is a scalar subquery rather than a left join:
 * on SQLite the join is several times slower for the same row (docs/performance.md).
 */
const patientWithEditor = compiledOnce((db, id) =>
  db
    .selectFrom('patients')
    .selectAll('patients')
    .select((eb) =>
      eb
        .selectFrom('users')
        .select('users.display_name')
        .whereRef('users.id', '=', 'patients.updated_by')
        .as('updated_by_name'),
    )
    .where('patients.id', '=', id),
);

export async function findPatientWithEditor(db: DbOrTrx, id: string): Promise<PatientWithEditor | undefined> {
  const [row] = await patientWithEditor(db, id);
  if (!row) {
    return undefined;
  }
  const { updated_by_name, ...patient } = row;
  return { patient: patientFromRow(patient), updatedByName: updated_by_name };
}

/** Which of the patient's records the patient page lists there are any of. */
export interface PatientHas {
  readonly referrals: boolean;
  readonly assessments: boolean;
  readonly testDoses: boolean;
  readonly measureSets: boolean;
  readonly pumps: boolean;
  readonly lifeEvents: boolean;
}

/**
 * The patient page's first read: the patient, the editor's name, and how many referrals,
 * assessments, test doses, outcome measure sets, pumps and life events the patient has (each
 * counted on its index by patient), in one query compiled once, so the page reads only the lists
 * that have rows: each query is a round trip to the database. Counts rather than EXISTS, as
 * PostgreSQL plans the EXISTS subqueries more slowly than counts for the same answer.
 */
const patientForOverview = compiledOnce((db, id) =>
  db
    .selectFrom('patients')
    .selectAll('patients')
    .select((eb) => [
      eb
        .selectFrom('users')
        .select('users.display_name')
        .whereRef('users.id', '=', 'patients.updated_by')
        .as('updated_by_name'),
      eb
        .selectFrom('referrals')
        .select((c) => c.fn.countAll<number | string>().as('n'))
        .whereRef('referrals.patient_id', '=', 'patients.id')
        .as('referral_count'),
      eb
        .selectFrom('selection_assessments')
        .select((c) => c.fn.countAll<number | string>().as('n'))
        .whereRef('selection_assessments.patient_id', '=', 'patients.id')
        .as('assessment_count'),
      eb
        .selectFrom('test_dose_episodes')
        .select((c) => c.fn.countAll<number | string>().as('n'))
        .whereRef('test_dose_episodes.patient_id', '=', 'patients.id')
        .as('test_dose_count'),
      eb
        .selectFrom('outcome_measure_sets')
        .select((c) => c.fn.countAll<number | string>().as('n'))
        .whereRef('outcome_measure_sets.patient_id', '=', 'patients.id')
        .as('measure_set_count'),
      eb
        .selectFrom('pumps')
        .select((c) => c.fn.countAll<number | string>().as('n'))
        .whereRef('pumps.patient_id', '=', 'patients.id')
        .as('pump_count'),
      eb
        .selectFrom('life_events')
        .select((c) => c.fn.countAll<number | string>().as('n'))
        .whereRef('life_events.patient_id', '=', 'patients.id')
        .as('life_event_count'),
    ])
    .where('patients.id', '=', id),
);

/** A count is a number on SQLite and a string (a bigint) on PostgreSQL. */
const some = (count: number | string | null) => Number(count ?? 0) > 0;

export async function findPatientForOverview(
  db: DbOrTrx,
  id: string,
): Promise<(PatientWithEditor & { readonly has: PatientHas }) | undefined> {
  const [row] = await patientForOverview(db, id);
  if (!row) {
    return undefined;
  }
  const {
    updated_by_name,
    referral_count,
    assessment_count,
    test_dose_count,
    measure_set_count,
    pump_count,
    life_event_count,
    ...patient
  } = row;
  return {
    patient: patientFromRow(patient),
    updatedByName: updated_by_name,
    has: {
      referrals: some(referral_count),
      assessments: some(assessment_count),
      testDoses: some(test_dose_count),
      measureSets: some(measure_set_count),
      pumps: some(pump_count),
      lifeEvents: some(life_event_count),
    },
  };
}

/** Several patients at once, by id (for lists), so a list costs one query, not one a row. */
export async function findPatientsByIds(db: DbOrTrx, ids: readonly string[]): Promise<Map<string, Patient>> {
  const map = new Map<string, Patient>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await db
      .selectFrom('patients')
      .selectAll()
      .where('id', 'in', unique.slice(i, i + 500))
      .execute();
    for (const r of rows) {
      map.set(r.id, patientFromRow(r));
    }
  }
  return map;
}

export async function findPatientByNhsNumber(db: DbOrTrx, nhsNumber: string): Promise<Patient | undefined> {
  const row = await db
    .selectFrom('patients')
    .selectAll()
    .where('nhs_number', '=', nhsNumber)
    .executeTakeFirst();
  return row && patientFromRow(row);
}

type NameWord = NonNullable<SearchCriteria['names']>[number];

/** The patients with a name term in the word's range (and of its part, when it names one). */
function termsOf(db: DbOrTrx, word: NameWord) {
  const { from, to } = termRange(word.key);
  let q = db
    .selectFrom('patient_search_terms')
    .select('patient_id')
    .where('term', '>=', from)
    .where('term', '<', to);
  if (word.part) {
    q = q.where('part', '=', word.part);
  }
  return q;
}

/**
 * Patients matching every criterion, at most `limit`, in name order. Each name word is a range
 * of the indexed search terms (patient-search-key.ts), the hospital number its indexed key, so no
 * search reads every patient.
 *
 * A search by names alone ("smith" in a large register) reads the terms of its longest word in
 * index order and stops after enough patients, rather than collecting and sorting every Smith:
 * the patients shown are then the first in order of the matching name, and the page asks for
 * more words or a date of birth to narrow it. With an NHS number, hospital number or date of
 * birth, those indexes narrow the search first.
 */
export async function searchPatients(db: DbOrTrx, c: SearchCriteria, limit: number): Promise<Patient[]> {
  const names = c.names ?? [];
  const byNamesOnly = names.length > 0 && !c.nhsNumber && !c.hospitalNumber && !c.dateOfBirth;
  if (byNamesOnly) {
    const [driver, ...others] = [...names].sort((a, b) => b.key.length - a.key.length);
    if (driver) {
      const { from, to } = termRange(driver.key);
      let q = db
        .selectFrom('patient_search_terms as t')
        .innerJoin('patients as p', 'p.id', 't.patient_id')
        .selectAll('p')
        .where('t.term', '>=', from)
        .where('t.term', '<', to);
      if (driver.part) {
        q = q.where('t.part', '=', driver.part);
      }
      for (const word of others) {
        q = q.where('p.id', 'in', termsOf(db, word));
      }
      // A patient can match one word by more than one term (given and family): room for those.
      const rows = await q
        .orderBy('t.term')
        .orderBy('t.patient_id')
        .limit(limit * 4)
        .execute();
      const seen = new Set<string>();
      const unique = rows.filter((r) => !seen.has(r.id) && seen.add(r.id)).slice(0, limit);
      return unique.map(patientFromRow).sort(byName);
    }
  }
  let q = db.selectFrom('patients').selectAll();
  if (c.nhsNumber) {
    q = q.where('nhs_number', '=', c.nhsNumber);
  }
  if (c.hospitalNumber) {
    q = q.where('hospital_number_key', '=', hospitalNumberKey(c.hospitalNumber) ?? '');
  }
  if (c.dateOfBirth) {
    q = q.where('date_of_birth', '=', c.dateOfBirth);
  }
  for (const word of names) {
    q = q.where('id', 'in', termsOf(db, word));
  }
  const rows = await q
    .orderBy('family_name')
    .orderBy('given_name')
    .orderBy('date_of_birth')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(patientFromRow);
}

/** Family name, given name, date of birth, as the search results list them. */
function byName(a: Patient, b: Patient): number {
  return (
    a.familyName.localeCompare(b.familyName, 'en-GB') ||
    a.givenName.localeCompare(b.givenName, 'en-GB') ||
    a.dateOfBirth.localeCompare(b.dateOfBirth) ||
    a.id.localeCompare(b.id)
  );
}

/** Everyone born on this day (the duplicate check at registration), through the date index. */
export async function findPatientsBornOn(db: DbOrTrx, dateOfBirth: string): Promise<Patient[]> {
  const rows = await db
    .selectFrom('patients')
    .selectAll()
    .where('date_of_birth', '=', dateOfBirth)
    .orderBy('family_name')
    .orderBy('given_name')
    .execute();
  return rows.map(patientFromRow);
}

export async function countPatients(db: DbOrTrx): Promise<number> {
  const r = await db
    .selectFrom('patients')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return r.n;
}
