import { createHash, randomUUID } from 'node:crypto';
import type { PlainDate } from '../../domain/calendar-date.ts';
import {
  mapHeaders,
  mappingUsable,
  type HeaderMapping,
} from '../../domain/caseload-import/header-mapping.ts';
import type { RowProblem } from '../../domain/caseload-import/problems.ts';
import {
  checkCaseloadAgainstRegister,
  checkCaseloadContent,
  type CheckedCaseload,
} from '../../domain/caseload-import/caseload-check.ts';
import { serialKey } from '../../domain/caseload-import/register-checks.ts';
import type { PumpRules } from '../../domain/pump-rules.ts';
import { readCaseloadFile, SpreadsheetProblem } from '../../integrations/spreadsheet/read-caseload-file.ts';
import {
  claimStagedImport,
  findCaseloadImport,
  findCaseloadImportRows,
  findImportOfPump,
  insertCaseloadImport,
  insertMany,
  registeredFactsFor,
  type CaseloadImport,
  type CaseloadImportHead,
  type ImportedPumpNote,
} from '../../storage/caseload-imports.repository.ts';
import type { Db, DbOrTrx } from '../../storage/database.ts';
import { countNewPumpsRefills } from '../../storage/figures/figure-facts.repository.ts';
import { AppError, refused, validationError } from '../app-error.ts';
import { actorEvent, appendAudit, appendAuditBatch, recordAudit, type Actor } from '../audit-service.ts';
import { today as serviceToday, type Clock } from '../clock.ts';
import { requirePermission } from '../permission-check.ts';
import { closedDaysAround } from '../pump-store.ts';
import { caseloadRows } from './caseload-rows.ts';
import { forgetRowChecks, keepRowChecks, keptRowChecks } from './kept-row-checks.ts';

export interface CaseloadImportDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly config: {
    readonly timeZone: string;
    readonly pumpRules: PumpRules;
    readonly closedDays: readonly string[];
    readonly uploadMaxBytes: number;
    readonly caseloadImportMaxRows: number;
  };
}

/**
 * How long an uploaded file waits for its confirmation: 24 hours, LOCAL. Long enough to check
 * the report with a colleague; short enough that a file checked against yesterday's register is
 * not committed next week (the commit checks every row again anyway).
 */
export const STAGED_IMPORT_HOURS = 24;

/** What the page and the CLI show: the mapping and the dry run's report. */
export interface CaseloadReport {
  readonly importId: string;
  readonly fileName: string;
  readonly fileSha256: string;
  readonly format: 'xlsx' | 'csv';
  readonly rowCount: number;
  readonly status: 'staged' | 'committed';
  readonly uploadedAt: string;
  readonly expiresAt: string;
  readonly mapping: HeaderMapping;
  readonly problems: readonly RowProblem[];
  readonly errorCount: number;
  readonly warningCount: number;
  /** Rows that would be imported (all of them, when there are no errors). */
  readonly readyCount: number;
  /** No missing columns and no errors: may be committed (warnings confirmed). */
  readonly canCommit: boolean;
  readonly summary: Readonly<Record<string, number>> | null;
}

export interface CommitResult {
  readonly importId: string;
  readonly fileName: string;
  readonly patientsCreated: number;
  readonly patientsMatched: number;
  readonly pumps: number;
  readonly appointments: number;
}

function requireImporter(actor: Actor): void {
  requirePermission(actor, 'caseload:import', 'Only administrators and consultants can import a caseload');
}

/**
 * Checks every row: each row's own checks (kept from the dry run when provably the same:
 * kept-row-checks.ts), then, loaded now, what the rows may clash with in the register.
 */
async function checkRows(
  db: DbOrTrx,
  deps: CaseloadImportDeps,
  x: CaseloadImportHead & { readonly rows?: CaseloadImport['rows'] },
  mapping: HeaderMapping,
): Promise<CheckedCaseload> {
  const today = serviceToday(deps);
  const rules = deps.config.pumpRules;
  let contents = keptRowChecks(x, today, rules);
  if (contents === null) {
    const rows = x.rows ?? (await findCaseloadImportRows(db, x.id));
    contents = checkCaseloadContent(rows, mapping, { today, rules });
    keepRowChecks(x, today, rules, contents);
  }
  const nhsNumbers: string[] = [];
  const serials: string[] = [];
  for (const row of contents) {
    if (row.patient !== null) {
      nhsNumbers.push(row.patient.nhsNumber);
    }
    if (row.pump !== null) {
      serials.push(row.pump.serial);
    }
  }
  const found = await registeredFactsFor(db, nhsNumbers, serials);
  const serialSet = new Set(found.serials.map((s) => serialKey(s.modelId, s.serialNumber)));
  return checkCaseloadAgainstRegister(contents, mapping, { patients: found.patients, serials: serialSet });
}

function reportOf(
  x: CaseloadImportHead,
  mapping: HeaderMapping,
  checked: CheckedCaseload | null,
): CaseloadReport {
  const usable = mappingUsable(mapping);
  return {
    importId: x.id,
    fileName: x.fileName,
    fileSha256: x.fileSha256,
    format: x.format,
    rowCount: x.rowCount,
    status: x.status,
    uploadedAt: x.uploadedAt,
    expiresAt: x.expiresAt,
    mapping,
    problems: checked?.problems ?? [],
    errorCount: checked?.errorCount ?? 0,
    warningCount: checked?.warningCount ?? 0,
    readyCount: checked?.records.length ?? 0,
    canCommit: usable && checked !== null && checked.errorCount === 0 && x.status === 'staged',
    summary: x.summary,
  };
}

/**
 * Reads an uploaded caseload file, keeps its rows server-side (the confirmation names the
 * import by id and never trusts rows sent back) and answers the dry run. Nothing clinical is
 * saved. A file that cannot be read is a 400 naming the problem.
 */
export async function stageCaseloadImport(
  deps: CaseloadImportDeps,
  actor: Actor,
  file: { readonly fileName: string; readonly content: Buffer },
): Promise<CaseloadReport> {
  requireImporter(actor);
  let read;
  try {
    read = await readCaseloadFile(file.fileName, file.content, {
      maxBytes: deps.config.uploadMaxBytes,
      maxRows: deps.config.caseloadImportMaxRows,
    });
  } catch (err) {
    if (err instanceof SpreadsheetProblem) {
      throw validationError([{ field: 'file', message: err.message }]);
    }
    throw err;
  }
  const now = deps.clock.now();
  const x: CaseloadImport = {
    id: randomUUID(),
    fileName: file.fileName,
    fileSha256: createHash('sha256').update(file.content).digest('hex'),
    format: read.format,
    rowCount: read.rows.length,
    headers: read.headers,
    rows: read.rows,
    status: 'staged',
    uploadedAt: now.toISOString(),
    uploadedBy: actor.userId,
    expiresAt: new Date(now.getTime() + STAGED_IMPORT_HOURS * 3_600_000).toISOString(),
    committedAt: null,
    committedBy: null,
    summary: null,
  };
  const mapping = mapHeaders(x.headers);
  const checked = mappingUsable(mapping) ? await checkRows(deps.db, deps, x, mapping) : null;
  await deps.db.transaction().execute(async (trx) => {
    await insertCaseloadImport(trx, x);
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'caseload.check',
        outcome: 'success',
        entityType: 'caseload-import',
        entityId: x.id,
        details: {
          fileName: x.fileName,
          fileSha256: x.fileSha256,
          rowCount: x.rowCount,
          errors: checked?.errorCount ?? null,
          warnings: checked?.warningCount ?? null,
        },
      }),
    );
  });
  return reportOf(x, mapping, checked);
}

/** The uploader's own staged or committed import; anyone else's is not found (never shown). */
async function loadOwnImport(
  deps: CaseloadImportDeps,
  actor: Actor,
  importId: string,
): Promise<CaseloadImportHead> {
  const x = await findCaseloadImport(deps.db, importId);
  if (!x || x.uploadedBy !== actor.userId) {
    throw new AppError('NOT_FOUND', 'No caseload import with this id was uploaded by you');
  }
  return x;
}

/** The report again (the page after a redirect): every row checked against the register now. */
export async function caseloadImportReport(
  deps: CaseloadImportDeps,
  actor: Actor,
  importId: string,
): Promise<CaseloadReport> {
  requireImporter(actor);
  const x = await loadOwnImport(deps, actor, importId);
  const mapping = mapHeaders(x.headers);
  const checked =
    x.status === 'staged' && mappingUsable(mapping) ? await checkRows(deps.db, deps, x, mapping) : null;
  if (x.status === 'staged') {
    await recordAudit(
      deps.db,
      deps.clock,
      actorEvent(actor, {
        action: 'caseload.check',
        outcome: 'success',
        entityType: 'caseload-import',
        entityId: x.id,
        details: { fileName: x.fileName, fileSha256: x.fileSha256, rowCount: x.rowCount, again: true },
      }),
    );
  }
  return reportOf(x, mapping, checked);
}

/**
 * Commits a staged import: every row checked again inside the transaction (each row's own checks
 * reused from the dry run when provably the same: kept-row-checks.ts; those against the register
 * always run again), then every patient,
 * pump, prescription, last fill and booking written with an audit row each, or nothing at all.
 * Once only, by the uploader: a second confirmation is a 409.
 */
export async function commitCaseloadImport(
  deps: CaseloadImportDeps,
  actor: Actor,
  importId: string,
  options: { readonly acceptWarnings: boolean },
): Promise<CommitResult> {
  requireImporter(actor);
  const x = await loadOwnImport(deps, actor, importId);
  if (x.status === 'committed') {
    throw refused('IMPORT_ALREADY_COMMITTED', `${x.fileName} has already been imported`);
  }
  const now = deps.clock.now();
  if (now.toISOString() > x.expiresAt) {
    throw refused(
      'IMPORT_EXPIRED',
      `${x.fileName} was checked more than ${STAGED_IMPORT_HOURS} hours ago: upload it again`,
    );
  }
  const mapping = mapHeaders(x.headers);
  if (!mappingUsable(mapping)) {
    throw refused(
      'IMPORT_COLUMNS_MISSING',
      `${x.fileName} lacks required columns: ${mapping.missing.map((c) => c.label).join(', ')}`,
    );
  }
  const at = now.toISOString();
  const today: PlainDate = serviceToday(deps);
  const committed = await deps.db.transaction().execute(async (trx) => {
    const checked = await checkRows(trx, deps, x, mapping);
    if (checked.errorCount > 0) {
      throw refused(
        'IMPORT_HAS_ERRORS',
        `${x.fileName} has ${String(checked.errorCount)} errors: nothing was imported`,
      );
    }
    if (checked.warningCount > 0 && !options.acceptWarnings) {
      throw refused(
        'IMPORT_WARNINGS_NOT_ACCEPTED',
        `${x.fileName} has ${String(checked.warningCount)} warnings: confirm that each has been checked`,
      );
    }
    const rows = caseloadRows(x.id, checked.records, {
      userId: actor.userId,
      at,
      today,
      rules: deps.config.pumpRules,
      closedDays: closedDaysAround(deps, today),
    });
    const result: CommitResult = {
      importId: x.id,
      fileName: x.fileName,
      patientsCreated: rows.patients.length,
      patientsMatched: checked.records.length - rows.patients.length,
      pumps: rows.pumps.length,
      appointments: rows.appointments.length,
    };
    const summary = {
      patientsCreated: result.patientsCreated,
      patientsMatched: result.patientsMatched,
      pumps: result.pumps,
      appointments: result.appointments,
    };
    if (!(await claimStagedImport(trx, x.id, actor.userId, at, summary))) {
      throw refused('IMPORT_ALREADY_COMMITTED', `${x.fileName} has already been imported`);
    }
    await insertMany(trx, 'patients', rows.patients);
    await insertMany(trx, 'patient_search_terms', rows.searchTerms);
    await insertMany(trx, 'pumps', rows.pumps);
    await insertMany(trx, 'prescriptions', rows.prescriptions);
    await insertMany(trx, 'refills', rows.refills);
    await countNewPumpsRefills(trx, rows.refills); // The refill figures' day counts.
    await insertMany(trx, 'pump_appointments', rows.appointments);
    await insertMany(trx, 'caseload_import_records', rows.records);
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'caseload.import',
        outcome: 'success',
        entityType: 'caseload-import',
        entityId: x.id,
        details: {
          fileName: x.fileName,
          fileSha256: x.fileSha256,
          rowCount: x.rowCount,
          warningsAccepted: checked.warningCount,
          ...summary,
        },
      }),
    );
    // One audit row per record created, so a patient's trail shows where their record came from.
    await appendAuditBatch(
      trx,
      deps.clock,
      rows.records.map((r) =>
        actorEvent(actor, {
          action: 'caseload.import-row',
          outcome: 'success',
          entityType: 'pump',
          entityId: r.pump_id,
          patientId: r.patient_id,
          details: {
            importId: x.id,
            rowNumber: r.row_number,
            patientCreated: r.patient_created === 1,
            prescriptionId: r.prescription_id,
            refillId: r.refill_id,
            appointmentId: r.appointment_id,
          },
        }),
      ),
    );
    return result;
  });
  forgetRowChecks(x.id);
  return committed;
}

/**
 * How an imported pump came in, for the note its page shows ("imported from caseload file X by
 * Y on Z, not yet checked"); null for a pump registered in the system. The pump page that asks
 * has audited the view of the record already.
 */
export async function importNoteForPump(
  deps: Pick<CaseloadImportDeps, 'db'>,
  pumpId: string,
): Promise<ImportedPumpNote | null> {
  return findImportOfPump(deps.db, pumpId);
}
