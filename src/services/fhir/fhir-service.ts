import type { Bundle, Resource } from '@medplum/fhirtypes';
import { FHIR_EXPORT_TYPES, FHIR_ID_PATTERN, type FhirExportType } from '../../domain/fhir/fhir-types.ts';
import { checkNhsNumber } from '../../domain/nhs-number.ts';
import type { Db } from '../../storage/database.ts';
import {
  countSource,
  findInSource,
  findPatientFacts,
  loadPatientRecord,
  pageOfSource,
  type PatientRecordRows,
} from '../../storage/fhir-export.repository.ts';
import { actorEvent, appendAudit, type Actor } from '../audit-service.ts';
import type { Clock } from '../clock.ts';
import { SOURCES_OF_TYPE } from './fhir-sources.ts';
import type { FhirExportOptions } from './fhir-types.ts';

export interface FhirServiceDeps {
  readonly db: Db;
  readonly clock: Clock;
  /** The service's time zone: appointments are local times, FHIR instants carry an offset. */
  readonly timeZone: string;
}

/** Rows per keyset page of the bulk export: large enough for speed, small enough for flat memory. */
export const EXPORT_PAGE_ROWS = 1000;

/** The patient a row of facts belongs to (a patient's own row names itself). */
function patientIdOf(facts: object): string {
  const f = facts as { readonly patientId?: string; readonly id: string };
  return f.patientId ?? f.id;
}

/** Every resource of the given types in one patient's record, in FHIR_EXPORT_TYPES order. */
function patientResources(
  record: PatientRecordRows,
  timeZone: string,
  types: readonly FhirExportType[] = FHIR_EXPORT_TYPES,
): Resource[] {
  return types.flatMap((type) =>
    SOURCES_OF_TYPE[type].flatMap((s) =>
      (record[s.source] as readonly never[]).flatMap((facts) => s.toResources(facts, timeZone)),
    ),
  );
}

/**
 * One resource by type and logical id, its reading audited (fhir.read, naming the patient); null
 * when there is none, with nothing audited because nothing was shown.
 */
export async function readFhirResource(
  deps: FhirServiceDeps,
  actor: Actor,
  type: FhirExportType,
  id: string,
): Promise<Resource | null> {
  if (!FHIR_ID_PATTERN.test(id)) {
    return null;
  }
  return deps.db.transaction().execute(async (trx) => {
    for (const s of SOURCES_OF_TYPE[type]) {
      const rowId = s.idOf(id);
      const facts = rowId === null ? undefined : await findInSource(trx, s.source, rowId);
      const resource = facts && s.toResources(facts as never, deps.timeZone).find((r) => r.id === id);
      if (facts && resource) {
        const patientId = patientIdOf(facts);
        await appendAudit(
          trx,
          deps.clock,
          actorEvent(actor, {
            action: 'fhir.read',
            outcome: 'success',
            entityType: 'fhir',
            entityId: `${type}/${id}`,
            patientId,
            details: { resourceType: type, id },
          }),
        );
        return resource;
      }
    }
    return null;
  });
}

/**
 * A patient's resources of one type, found by NHS number (spaces allowed, as people paste it).
 * Every search is audited, naming the patient when one was found; a number that is not a valid
 * NHS number finds nothing.
 */
export async function searchFhirResources(
  deps: FhirServiceDeps,
  actor: Actor,
  type: FhirExportType,
  query: { readonly nhsNumber: string },
): Promise<Resource[]> {
  const checked = checkNhsNumber(query.nhsNumber);
  return deps.db.transaction().execute(async (trx) => {
    const patient = checked.ok ? await findPatientFacts(trx, { nhsNumber: checked.value }) : undefined;
    const found = patient
      ? patientResources(await loadPatientRecord(trx, patient), deps.timeZone, [type])
      : [];
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'fhir.search',
        outcome: 'success',
        entityType: 'fhir',
        patientId: patient?.id ?? null,
        details: { resourceType: type, resultCount: found.length },
      }),
    );
    return found;
  });
}

/**
 * Every exported resource of one patient (by patient id or NHS number) as a searchset Bundle,
 * the Patient first; null when there is no such patient. Entries carry no fullUrl: the HTTP
 * layer knows its base URL and adds them. Audited as one read of the whole record.
 */
export async function fhirEverything(
  deps: FhirServiceDeps,
  actor: Actor,
  nhsNumberOrPatientId: string,
): Promise<Bundle | null> {
  const asNhs = checkNhsNumber(nhsNumberOrPatientId);
  return deps.db.transaction().execute(async (trx) => {
    const patient =
      (FHIR_ID_PATTERN.test(nhsNumberOrPatientId)
        ? await findPatientFacts(trx, { id: nhsNumberOrPatientId })
        : undefined) ?? (asNhs.ok ? await findPatientFacts(trx, { nhsNumber: asNhs.value }) : undefined);
    if (!patient) {
      return null;
    }
    const resources = patientResources(await loadPatientRecord(trx, patient), deps.timeZone);
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
      timestamp: deps.clock.now().toISOString(),
      total: resources.length,
      entry: resources.map((resource) => ({ resource, search: { mode: 'match' } })),
    };
  });
}

/** How many resources exportAll gives for these types (the progress bar's total). */
export async function countForExport(
  deps: Pick<FhirServiceDeps, 'db'>,
  types: readonly FhirExportType[] = FHIR_EXPORT_TYPES,
): Promise<number> {
  let total = 0;
  for (const type of types) {
    for (const s of SOURCES_OF_TYPE[type]) {
      total += (s.perRow ?? 1) * (await countSource(deps.db, s.source));
    }
  }
  return total;
}

/**
 * Every resource of the chosen types, type by type in FHIR_EXPORT_TYPES order, read in keyset
 * pages of EXPORT_PAGE_ROWS rows so memory stays flat. The export is audited once, before the
 * first resource, with the types and the total (fhir.export); onProgress is called after each page.
 */
export async function* exportAllFhir(
  deps: FhirServiceDeps,
  actor: Actor,
  options: FhirExportOptions = {},
): AsyncIterable<Resource> {
  const types = FHIR_EXPORT_TYPES.filter((t) => (options.types ?? FHIR_EXPORT_TYPES).includes(t));
  const total = await countForExport(deps, types);
  await deps.db.transaction().execute((trx) =>
    appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'fhir.export',
        outcome: 'success',
        entityType: 'fhir',
        details: { types: [...types], total },
      }),
    ),
  );
  let done = 0;
  for (const type of types) {
    for (const s of SOURCES_OF_TYPE[type]) {
      let after = '';
      for (;;) {
        const page = await pageOfSource(deps.db, s.source, after, EXPORT_PAGE_ROWS);
        if (page.length === 0) {
          break;
        }
        for (const facts of page) {
          for (const resource of s.toResources(facts, deps.timeZone)) {
            done += 1;
            yield resource;
          }
        }
        options.onProgress?.(done, total);
        after = (page[page.length - 1] as { readonly id: string }).id;
        if (page.length < EXPORT_PAGE_ROWS) {
          break;
        }
      }
    }
  }
}
