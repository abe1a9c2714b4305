import { stringify } from 'csv-stringify/sync';
import { csvSafeCell } from '../domain/csv-cell.ts';
import type { AuditRecord } from '../domain/audit-event.ts';
import { auditActionWords, auditOutcomeWords } from '../domain/audit-wording.ts';
import type { NhsNumber } from '../domain/nhs-number.ts';
import { isRole, roleHasPermission } from '../domain/roles.ts';
import type { Db, DbOrTrx } from '../storage/database.ts';
import { findPatientByNhsNumber } from '../storage/patients.repository.ts';
import {
  findAuditNames,
  findAuditRecords,
  streamAuditBatches,
  type AuditFilter,
  type AuditPatientName,
} from '../storage/audit.repository.ts';
import { actorEvent, recordAudit, type Actor } from './audit-service.ts';
import type { Clock } from './clock.ts';

export interface AuditQueryDeps {
  readonly db: Db;
  readonly clock: Clock;
}

export const AUDIT_PAGE_SIZE = 100;

/**
 * The actions that show a record to someone: the answer to "who opened this patient's record?"
 * (the filter "Only views of the record").
 */
export const RECORD_VIEW_ACTIONS = [
  'patient.view',
  'referral.view',
  'document.view',
  'assessment.view',
  'measures.view',
  'pump.view',
  'refill.view',
  'testdose.view',
  'patient.emergency-summary',
  'patient.break-glass-view',
  // The FHIR interface shows the record to another system's user: a read or a whole-record bundle.
  'fhir.read',
  'fhir.everything',
] as const;

/**
 * The patient id an audit filter by NHS number means: a number with no record matches nothing,
 * rather than everything.
 */
export async function auditPatientFilter(
  deps: Pick<AuditQueryDeps, 'db'>,
  nhsNumber: NhsNumber,
): Promise<string> {
  const patient = await findPatientByNhsNumber(deps.db, nhsNumber);
  return patient?.id ?? 'no-such-patient';
}

/** One row of the trail as people read it. */
export interface AuditEntry {
  readonly record: AuditRecord;
  readonly actionText: string;
  readonly outcomeText: string;
  /** The staff member's name; null for the system (jobs, the mailbox) or an unknown account. */
  readonly userName: string | null;
  /** The patient the row concerns, when the reader's role may see patients. */
  readonly patient: AuditPatientName | null;
  /** The row concerns a patient the reader's role may not see. */
  readonly patientHidden: boolean;
}

export interface AuditPage {
  readonly entries: readonly AuditEntry[];
  /** The seq to page on from for older entries; null on the last page. */
  readonly olderThan: number | null;
  /** Whether the reader's role may see who the patients are. */
  readonly showsPatients: boolean;
}

/** Patients are named only to roles that may see patient records (least privilege). */
function maySeePatients(actor: Actor): boolean {
  return isRole(actor.role) && roleHasPermission(actor.role, 'patient:read');
}

async function describe(
  db: DbOrTrx,
  rows: readonly AuditRecord[],
  showsPatients: boolean,
): Promise<AuditEntry[]> {
  const patientIds = showsPatients ? rows.flatMap((r) => (r.patientId ? [r.patientId] : [])) : [];
  const userIds = rows.flatMap((r) => (r.userId ? [r.userId] : []));
  const names = await findAuditNames(db, patientIds, userIds);
  return rows.map((record) => ({
    record,
    actionText: auditActionWords(record.action),
    outcomeText: auditOutcomeWords(record.outcome),
    userName: record.userId ? (names.users.get(record.userId) ?? null) : null,
    patient: record.patientId ? (names.patients.get(record.patientId) ?? null) : null,
    patientHidden: record.patientId !== null && !showsPatients,
  }));
}

/** Looking at the audit trail is itself audited. */
export async function browseAudit(
  deps: AuditQueryDeps,
  actor: Actor,
  filter: AuditFilter,
  beforeSeq?: number,
): Promise<AuditPage> {
  // One row more than a page says whether there is an older page, with no count over the trail.
  const rows = await findAuditRecords(deps.db, filter, { limit: AUDIT_PAGE_SIZE + 1, beforeSeq });
  const page = rows.slice(0, AUDIT_PAGE_SIZE);
  const showsPatients = maySeePatients(actor);
  const entries = await describe(deps.db, page, showsPatients);
  await recordAudit(
    deps.db,
    deps.clock,
    actorEvent(actor, {
      action: 'audit.view',
      outcome: 'success',
      patientId: filter.patientId ?? null,
      details: { filter, rows: page.length, ...(beforeSeq === undefined ? {} : { beforeSeq }) },
    }),
  );
  const last = page.at(-1);
  return { entries, olderThan: rows.length > AUDIT_PAGE_SIZE && last ? last.seq : null, showsPatients };
}

export const AUDIT_CSV_COLUMNS = [
  'seq',
  'occurredAt',
  'username',
  'role',
  'action',
  'actionText',
  'outcome',
  'entityType',
  'entityId',
  'patientId',
  'nhsNumber',
  'requestId',
  'details',
  'hash',
] as const;

function csvRow(r: AuditRecord, nhsNumbers: ReadonlyMap<string, AuditPatientName>): string[] {
  return [
    String(r.seq),
    r.occurredAt,
    r.username ?? '',
    r.role ?? '',
    r.action,
    auditActionWords(r.action),
    r.outcome,
    r.entityType ?? '',
    r.entityId ?? '',
    r.patientId ?? '',
    (r.patientId ? nhsNumbers.get(r.patientId)?.nhsNumber : undefined) ?? '',
    r.requestId ?? '',
    JSON.stringify(r.details),
    r.hash ?? '',
  ].map(csvSafeCell);
}

/**
 * The filtered trail as CSV, oldest first, streamed in chunks. Every cell is neutralised
 * against spreadsheet formula injection. The export is audited before any row leaves. Each row
 * carries the patient's NHS number (not the name): an investigation matches the export against
 * other systems by NHS number, which the reader can already filter by.
 */
export async function* exportAuditCsv(
  deps: AuditQueryDeps,
  actor: Actor,
  filter: AuditFilter,
): AsyncGenerator<string> {
  await recordAudit(
    deps.db,
    deps.clock,
    actorEvent(actor, {
      action: 'audit.export',
      outcome: 'success',
      patientId: filter.patientId ?? null,
      details: { filter },
    }),
  );
  yield stringify([[...AUDIT_CSV_COLUMNS]]);
  for await (const batch of streamAuditBatches(deps.db, filter)) {
    const { patients } = await findAuditNames(
      deps.db,
      batch.flatMap((r) => (r.patientId ? [r.patientId] : [])),
      [],
    );
    yield stringify(batch.map((r) => csvRow(r, patients)));
  }
}
