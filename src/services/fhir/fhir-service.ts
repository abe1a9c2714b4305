import type { Bundle, Resource } from '@medplum/fhirtypes';
import type { FhirExportType } from '../../domain/fhir/fhir-types.ts';
import { FHIR_EXPORT_TYPES } from '../../domain/fhir/fhir-types.ts';
import { toFhirPatient } from '../../domain/fhir/patient.ts';
import type { Db } from '../../storage/database.ts';
import { findPatientById, findPatientByNhsNumber } from '../../storage/patients.repository.ts';
import { actorEvent, appendAudit, type Actor } from '../audit-service.ts';
import type { Clock } from '../clock.ts';
import type { FhirExportOptions } from './fhir-types.ts';

export interface FhirServiceDeps {
  readonly db: Db;
  readonly clock: Clock;
}

/** One resource by type and logical id, its reading audited; null when there is none. */
export async function readFhirResource(
  deps: FhirServiceDeps,
  actor: Actor,
  type: FhirExportType,
  id: string,
): Promise<Resource | null> {
  return deps.db.transaction().execute(async (trx) => {
    if (type !== 'Patient') {
      return null;
    }
    const patient = await findPatientById(trx, id);
    if (!patient) {
      return null;
    }
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'fhir.read',
        outcome: 'success',
        entityType: 'patient',
        entityId: id,
        patientId: patient.id,
        details: { resourceType: type, id },
      }),
    );
    return toFhirPatient(patient);
  });
}

/** A patient's resources of one type, found by NHS number, the search audited. */
export async function searchFhirResources(
  deps: FhirServiceDeps,
  actor: Actor,
  type: FhirExportType,
  query: { readonly nhsNumber: string },
): Promise<Resource[]> {
  return deps.db.transaction().execute(async (trx) => {
    const patient = await findPatientByNhsNumber(trx, query.nhsNumber);
    const found: Resource[] = patient && type === 'Patient' ? [toFhirPatient(patient)] : [];
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'fhir.search',
        outcome: 'success',
        entityType: 'patient',
        patientId: patient?.id ?? null,
        details: { resourceType: type, resultCount: found.length },
      }),
    );
    return found;
  });
}

/** Every resource of one patient as a searchset Bundle; null when there is no such patient. */
export async function fhirEverything(
  deps: FhirServiceDeps,
  actor: Actor,
  nhsNumberOrPatientId: string,
): Promise<Bundle | null> {
  return deps.db.transaction().execute(async (trx) => {
    const patient =
      (await findPatientById(trx, nhsNumberOrPatientId)) ??
      (await findPatientByNhsNumber(trx, nhsNumberOrPatientId));
    if (!patient) {
      return null;
    }
    const resources: Resource[] = [toFhirPatient(patient)];
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'fhir.everything',
        outcome: 'success',
        entityType: 'patient',
        entityId: patient.id,
        patientId: patient.id,
        details: { resourceCount: resources.length },
      }),
    );
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      total: resources.length,
      entry: resources.map((resource) => ({
        fullUrl: `${resource.resourceType}/${resource.id ?? ''}`,
        resource,
      })),
    };
  });
}

/** How many resources exportAll will give for these types (the progress bar's total). */
export async function countForExport(
  deps: FhirServiceDeps,
  types: readonly FhirExportType[] = FHIR_EXPORT_TYPES,
): Promise<number> {
  if (!types.includes('Patient')) {
    return 0;
  }
  const row = await deps.db
    .selectFrom('patients')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Every resource of the chosen types, read in keyset pages so memory stays flat; one audit row. */
export async function* exportAllFhir(
  deps: FhirServiceDeps,
  actor: Actor,
  options: FhirExportOptions = {},
): AsyncIterable<Resource> {
  const types = options.types ?? FHIR_EXPORT_TYPES;
  const total = await countForExport(deps, types);
  await deps.db.transaction().execute((trx) =>
    appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'fhir.export',
        outcome: 'success',
        details: { types: [...types], total },
      }),
    ),
  );
  let done = 0;
  if (types.includes('Patient')) {
    let after = '';
    for (;;) {
      const rows = await deps.db
        .selectFrom('patients')
        .selectAll()
        .where('id', '>', after)
        .orderBy('id')
        .limit(1000)
        .execute();
      if (rows.length === 0) {
        break;
      }
      for (const r of rows) {
        const p = await findPatientById(deps.db, r.id);
        if (p) {
          yield toFhirPatient(p);
        }
      }
      done += rows.length;
      options.onProgress?.(done, total);
      after = rows[rows.length - 1]?.id ?? after;
    }
  }
}
