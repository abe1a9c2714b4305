import { sql } from 'kysely';
import type { NhsNumber } from '../domain/nhs-number.ts';
import type { PatientInput, Sex } from '../domain/patient.ts';
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
    createdAt: r.created_at,
    createdBy: r.created_by,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
    version: r.version,
  };
}

/** The columns of what a person enters about a patient (the bookkeeping columns are set apart). */
function patientInputToRow(p: PatientInput) {
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
  return Number(r.numUpdatedRows) === 1;
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

export interface PatientCriteria {
  readonly nhsNumber?: string | undefined;
  readonly hospitalNumber?: string | undefined;
  /** Matches the start of the family name, ignoring case. */
  readonly familyName?: string | undefined;
  /** Matches the start of the given name, ignoring case. */
  readonly givenName?: string | undefined;
  readonly dateOfBirth?: string | undefined;
}

function likePrefix(text: string): string {
  return `${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export async function searchPatients(db: DbOrTrx, c: PatientCriteria, limit: number): Promise<Patient[]> {
  let q = db.selectFrom('patients').selectAll();
  if (c.nhsNumber) {
    q = q.where('nhs_number', '=', c.nhsNumber);
  }
  if (c.hospitalNumber) {
    q = q.where(sql<boolean>`upper(hospital_number) = ${c.hospitalNumber.toUpperCase()}`);
  }
  if (c.familyName) {
    q = q.where(sql<boolean>`lower(family_name) like ${likePrefix(c.familyName)} escape '\\'`);
  }
  if (c.givenName) {
    q = q.where(sql<boolean>`lower(given_name) like ${likePrefix(c.givenName)} escape '\\'`);
  }
  if (c.dateOfBirth) {
    q = q.where('date_of_birth', '=', c.dateOfBirth);
  }
  const rows = await q
    .orderBy('family_name')
    .orderBy('given_name')
    .orderBy('date_of_birth')
    .limit(limit)
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
