import type { Cell } from '../domain/caseload-import/cells.ts';
import { insertRowsInBulk } from './bulk-insert.ts';
import type { Database, DbOrTrx, Trx } from './database.ts';

/** A staged or committed caseload import (caseload-import-tables.ts). */
export interface CaseloadImport {
  readonly id: string;
  readonly fileName: string;
  readonly fileSha256: string;
  readonly format: 'xlsx' | 'csv';
  readonly rowCount: number;
  readonly headers: readonly string[];
  readonly rows: readonly { readonly rowNumber: number; readonly cells: readonly Cell[] }[];
  readonly status: 'staged' | 'committed';
  readonly uploadedAt: string;
  readonly uploadedBy: string;
  readonly expiresAt: string;
  readonly committedAt: string | null;
  readonly committedBy: string | null;
  readonly summary: Readonly<Record<string, number>> | null;
}

export async function insertCaseloadImport(db: DbOrTrx, x: CaseloadImport): Promise<void> {
  await db
    .insertInto('caseload_imports')
    .values({
      id: x.id,
      file_name: x.fileName,
      file_sha256: x.fileSha256,
      format: x.format,
      row_count: x.rowCount,
      headers: JSON.stringify(x.headers),
      rows: JSON.stringify(x.rows),
      status: x.status,
      uploaded_at: x.uploadedAt,
      uploaded_by: x.uploadedBy,
      expires_at: x.expiresAt,
      committed_at: null,
      committed_by: null,
      summary: null,
    })
    .execute();
}

/** A caseload import without its rows (the rows are megabytes for a large file). */
export type CaseloadImportHead = Omit<CaseloadImport, 'rows'>;

export async function findCaseloadImport(db: DbOrTrx, id: string): Promise<CaseloadImportHead | null> {
  const r = await db
    .selectFrom('caseload_imports')
    .select([
      'id',
      'file_name',
      'file_sha256',
      'format',
      'row_count',
      'headers',
      'status',
      'uploaded_at',
      'uploaded_by',
      'expires_at',
      'committed_at',
      'committed_by',
      'summary',
    ])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!r) {
    return null;
  }
  return {
    id: r.id,
    fileName: r.file_name,
    fileSha256: r.file_sha256,
    format: r.format as CaseloadImport['format'],
    rowCount: r.row_count,
    headers: JSON.parse(r.headers) as string[],
    status: r.status as CaseloadImport['status'],
    uploadedAt: r.uploaded_at,
    uploadedBy: r.uploaded_by,
    expiresAt: r.expires_at,
    committedAt: r.committed_at,
    committedBy: r.committed_by,
    summary: r.summary === null ? null : (JSON.parse(r.summary) as Record<string, number>),
  };
}

/** The rows of a caseload import, as the upload read them. */
export async function findCaseloadImportRows(db: DbOrTrx, id: string): Promise<CaseloadImport['rows']> {
  const r = await db
    .selectFrom('caseload_imports')
    .select('rows')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return JSON.parse(r.rows) as CaseloadImport['rows'];
}

/**
 * Moves a staged import to committed, once: the conditional update is the lock, so two
 * confirmations racing each other commit once and the second finds nothing to claim.
 */
export async function claimStagedImport(
  trx: Trx,
  id: string,
  by: string,
  at: string,
  summary: Readonly<Record<string, number>>,
): Promise<boolean> {
  const r = await trx
    .updateTable('caseload_imports')
    .set({ status: 'committed', committed_at: at, committed_by: by, summary: JSON.stringify(summary) })
    .where('id', '=', id)
    .where('status', '=', 'staged')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Inserts many rows, in few statements (bulk-insert.ts). */
export async function insertMany<T extends keyof Database>(
  trx: Trx,
  table: T,
  rows: readonly Database[T][],
): Promise<void> {
  await insertRowsInBulk(trx, table, rows);
}

/** What the database holds that rows may clash with, for the NHS numbers and serials given. */
export async function registeredFactsFor(
  db: DbOrTrx,
  nhsNumbers: readonly string[],
  serials: readonly string[],
): Promise<{
  readonly patients: Map<string, { id: string; dateOfBirth: string; pumpInService: boolean }>;
  readonly serials: { modelId: string; serialNumber: string }[];
}> {
  const patients = new Map<string, { id: string; dateOfBirth: string; pumpInService: boolean }>();
  const found: { modelId: string; serialNumber: string }[] = [];
  for (let i = 0; i < nhsNumbers.length; i += 1000) {
    const rows = await db
      .selectFrom('patients as p')
      .select((eb) => [
        'p.id',
        'p.nhs_number',
        'p.date_of_birth',
        eb
          .exists(
            eb
              .selectFrom('pumps as u')
              .select('u.id')
              .whereRef('u.patient_id', '=', 'p.id')
              .where('u.state', '=', 'implanted'),
          )
          .as('in_service'),
      ])
      .where('p.nhs_number', 'in', nhsNumbers.slice(i, i + 1000))
      .execute();
    for (const r of rows) {
      patients.set(r.nhs_number, {
        id: r.id,
        dateOfBirth: r.date_of_birth,
        pumpInService: Boolean(Number(r.in_service)),
      });
    }
  }
  for (let i = 0; i < serials.length; i += 1000) {
    const rows = await db
      .selectFrom('pumps')
      .select(['model_id', 'serial_number'])
      .where('serial_number', 'in', serials.slice(i, i + 1000))
      .execute();
    found.push(...rows.map((r) => ({ modelId: r.model_id, serialNumber: r.serial_number })));
  }
  return { patients, serials: found };
}

/** How an imported pump came in: shown on its page until someone has checked it. */
export interface ImportedPumpNote {
  readonly importId: string;
  readonly fileName: string;
  readonly rowNumber: number;
  readonly importedAt: string;
  readonly importedBy: string;
}

export async function findImportOfPump(db: DbOrTrx, pumpId: string): Promise<ImportedPumpNote | null> {
  const r = await db
    .selectFrom('caseload_import_records as r')
    .innerJoin('caseload_imports as i', 'i.id', 'r.import_id')
    .leftJoin('users as u', 'u.id', 'i.committed_by')
    .select(['i.id', 'i.file_name', 'r.row_number', 'i.committed_at', 'u.display_name'])
    .where('r.pump_id', '=', pumpId)
    .executeTakeFirst();
  if (!r) {
    return null;
  }
  return {
    importId: r.id,
    fileName: r.file_name,
    rowNumber: r.row_number,
    importedAt: r.committed_at ?? '',
    importedBy: r.display_name ?? 'unknown',
  };
}
