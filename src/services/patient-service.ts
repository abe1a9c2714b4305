import { randomUUID } from 'node:crypto';
import { formatNhsNumber } from '../domain/nhs-number.ts';
import { validatePatientInput, type PatientInput } from '../domain/patient.ts';
import { namesLikelySamePerson } from '../domain/patient-duplicates.ts';
import type { SearchCriteria } from '../domain/patient-search.ts';
import type { Db, DbOrTrx, Trx } from '../storage/database.ts';
import {
  findPatientById,
  findPatientByNhsNumber,
  findPatientsBornOn,
  findPatientWithEditor,
  insertPatient,
  searchPatients,
  updatePatientIfVersion,
  type Patient,
  type PatientWithEditor,
} from '../storage/patients.repository.ts';
import { findUserById } from '../storage/users.repository.ts';
import { AppError, refused, validationError } from './app-error.ts';
import { isUniqueViolation } from '../storage/database-errors.ts';
import { actorEvent, appendAudit, type Actor } from './audit-service.ts';
import { todayIn, type Clock } from './clock.ts';

export interface PatientServiceDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly timeZone: string;
}

export const SEARCH_RESULT_LIMIT = 50;

function validate(deps: PatientServiceDeps, raw: unknown): PatientInput {
  const result = validatePatientInput(raw, todayIn(deps.clock, deps.timeZone));
  if (!result.ok) {
    throw validationError(result.errors);
  }
  return result.value;
}

function duplicateError(existing: Patient): AppError {
  return new AppError(
    'DUPLICATE_NHS_NUMBER',
    `A patient with NHS number ${formatNhsNumber(existing.nhsNumber)} is already registered: ${existing.givenName} ${existing.familyName}`,
    {
      fieldErrors: [{ field: 'nhsNumber', message: 'A patient with this NHS number is already registered' }],
      details: { existingPatientId: existing.id },
    },
  );
}

/**
 * Two requests registering one NHS number at the same moment (or editing two records to it) both
 * pass the check on PostgreSQL, which runs READ COMMITTED; the unique index refuses the second,
 * which is answered as the check would have answered it, naming the patient who has the number.
 */
async function nhsNumberOnce<T>(
  deps: PatientServiceDeps,
  nhsNumber: string,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (isUniqueViolation(err, 'patients_nhs_number_key')) {
      const existing = await findPatientByNhsNumber(deps.db, nhsNumber);
      if (existing) {
        throw duplicateError(existing);
      }
    }
    throw err;
  }
}

/** Someone already registered who may be the person being registered (namesLikelySamePerson). */
export interface PossibleDuplicate {
  readonly id: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly nhsNumber: string;
  readonly dateOfBirth: string;
}

export interface RegistrationOptions {
  /**
   * The person registering has looked at the possible duplicates and says this is someone else.
   * Without it a likely duplicate is refused (LIKELY_DUPLICATE_PATIENT) and nothing is saved.
   */
  readonly confirmNotDuplicate?: boolean;
}

/**
 * People born on the same day whose names look like this person's (hazard H-061). Someone with
 * this very NHS number (registered by a request that committed after the number was checked)
 * is the existing 409 DUPLICATE_NHS_NUMBER, not a question.
 */
async function possibleDuplicates(trx: Trx, input: PatientInput): Promise<PossibleDuplicate[]> {
  const sameDay = await findPatientsBornOn(trx, input.dateOfBirth);
  const sameNumber = sameDay.find((p) => p.nhsNumber === input.nhsNumber);
  if (sameNumber) {
    throw duplicateError(sameNumber);
  }
  return sameDay
    .filter((p) => namesLikelySamePerson(input, p))
    .map((p) => ({
      id: p.id,
      givenName: p.givenName,
      familyName: p.familyName,
      nhsNumber: p.nhsNumber,
      dateOfBirth: p.dateOfBirth,
    }));
}

export async function createPatient(
  deps: PatientServiceDeps,
  actor: Actor,
  raw: unknown,
  options: RegistrationOptions = {},
): Promise<Patient> {
  const input = validate(deps, raw);
  const id = randomUUID();
  return nhsNumberOnce(deps, input.nhsNumber, () =>
    deps.db.transaction().execute(async (trx) => {
      const existing = await findPatientByNhsNumber(trx, input.nhsNumber);
      if (existing) {
        throw duplicateError(existing);
      }
      const likely = await possibleDuplicates(trx, input);
      if (likely.length > 0 && options.confirmNotDuplicate !== true) {
        throw refused(
          'LIKELY_DUPLICATE_PATIENT',
          `${likely.length === 1 ? 'A patient' : `${likely.length} patients`} born on the same day with a similar name ${likely.length === 1 ? 'is' : 'are'} already registered. Check ${likely.length === 1 ? 'that record' : 'those records'} before registering a new one.`,
          { details: { possibleDuplicates: likely } },
        );
      }
      const at = deps.clock.now().toISOString();
      await insertPatient(trx, id, input, actor.userId, at);
      await appendAudit(
        trx,
        deps.clock,
        actorEvent(actor, {
          action: 'patient.create',
          outcome: 'success',
          entityType: 'patient',
          entityId: id,
          patientId: id,
          // Who was shown as a possible duplicate and confirmed to be someone else.
          ...(likely.length > 0 ? { details: { confirmedNotDuplicateOf: likely.map((p) => p.id) } } : {}),
        }),
      );
      const created = await findPatientById(trx, id);
      if (!created) {
        throw new Error('patient vanished after insert');
      }
      return created;
    }),
  );
}

/** Names the fields whose values differ, for the audit row (never the values themselves). */
function changedFields(before: PatientInput, after: PatientInput): string[] {
  return (Object.keys(after) as (keyof PatientInput)[]).filter((k) => before[k] !== after[k]);
}

/**
 * Saves an edit only if nobody saved since the editor loaded the record (optimistic locking):
 * a stale save is refused with who changed it and when, never silently overwriting.
 */
export async function updatePatient(
  deps: PatientServiceDeps,
  actor: Actor,
  id: string,
  expectedVersion: number,
  raw: unknown,
): Promise<Patient> {
  const input = validate(deps, raw);
  return nhsNumberOnce(deps, input.nhsNumber, () =>
    deps.db.transaction().execute(async (trx) => {
      const current = await findPatientById(trx, id);
      if (!current) {
        throw new AppError('NOT_FOUND', 'Patient not found');
      }
      if (current.version !== expectedVersion) {
        const who = await findUserById(trx, current.updatedBy);
        throw new AppError(
          'STALE_EDIT',
          `${who?.displayName ?? 'Someone'} changed this record at ${current.updatedAt} after you opened it. Your changes were not saved: review their changes and make yours again.`,
          {
            details: {
              changedBy: who?.displayName ?? null,
              changedAt: current.updatedAt,
              currentVersion: current.version,
            },
          },
        );
      }
      if (input.nhsNumber !== current.nhsNumber) {
        const other = await findPatientByNhsNumber(trx, input.nhsNumber);
        if (other) {
          throw duplicateError(other);
        }
      }
      const at = deps.clock.now().toISOString();
      const saved = await updatePatientIfVersion(trx, id, expectedVersion, input, actor.userId, at);
      if (!saved) {
        throw new AppError(
          'STALE_EDIT',
          'This record was changed by someone else while you were saving. Reload it and try again.',
        );
      }
      await appendAudit(
        trx,
        deps.clock,
        actorEvent(actor, {
          action: 'patient.update',
          outcome: 'success',
          entityType: 'patient',
          entityId: id,
          patientId: id,
          details: { changedFields: changedFields(current, input), version: expectedVersion + 1 },
        }),
      );
      const updated = await findPatientById(trx, id);
      if (!updated) {
        throw new Error('patient vanished after update');
      }
      return updated;
    }),
  );
}

/** Reading a record is audited in the same transaction as the read. */
async function readAudited<T>(
  deps: PatientServiceDeps,
  actor: Actor,
  id: string,
  read: (trx: Trx) => Promise<T | undefined>,
): Promise<T> {
  return deps.db.transaction().execute(async (trx) => {
    const found = await read(trx);
    if (found === undefined) {
      throw new AppError('NOT_FOUND', 'Patient not found');
    }
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'patient.view',
        outcome: 'success',
        entityType: 'patient',
        entityId: id,
        patientId: id,
      }),
    );
    return found;
  });
}

/** A patient's record, its viewing audited. */
export async function viewPatient(deps: PatientServiceDeps, actor: Actor, id: string): Promise<Patient> {
  return readAudited(deps, actor, id, (trx) => findPatientById(trx, id));
}

/** A patient's record with the name of whoever last changed it (the patient page), its viewing
 * audited; one query, where a second for the name cost the page a database round trip. */
export async function viewPatientRecord(
  deps: PatientServiceDeps,
  actor: Actor,
  id: string,
): Promise<PatientWithEditor> {
  return readAudited(deps, actor, id, (trx) => findPatientWithEditor(trx, id));
}

/** Every search is audited with what was searched for and how many records it showed. */
export async function findPatients(
  deps: PatientServiceDeps,
  actor: Actor,
  criteria: SearchCriteria,
): Promise<Patient[]> {
  return deps.db.transaction().execute(async (trx) => {
    const results = await searchPatients(trx, criteria, SEARCH_RESULT_LIMIT);
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'patient.search',
        outcome: 'success',
        entityType: 'patient',
        details: { criteria, resultCount: results.length, patientIds: results.map((p) => p.id) },
      }),
    );
    return results;
  });
}

/** A patient by id for a service that works on their record; NOT_FOUND when there is none. */
export async function loadPatient(db: DbOrTrx, patientId: string): Promise<Patient> {
  const patient = await findPatientById(db, patientId);
  if (!patient) {
    throw new AppError('NOT_FOUND', 'Patient not found');
  }
  return patient;
}
