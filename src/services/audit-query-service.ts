import { stringify } from 'csv-stringify/sync';
import { csvSafeCell } from '../domain/csv-cell.ts';
import type { AuditRecord } from '../domain/audit-event.ts';
import type { NhsNumber } from '../domain/nhs-number.ts';
import type { Db } from '../storage/database.ts';
import { findPatientByNhsNumber } from '../storage/patients.repository.ts';
import { findAuditRecords, streamAuditBatches, type AuditFilter } from '../storage/audit.repository.ts';
import { actorEvent, recordAudit, type Actor } from './audit-service.ts';
import type { Clock } from './clock.ts';

export interface AuditQueryDeps {
  readonly db: Db;
  readonly clock: Clock;
}

export const AUDIT_PAGE_SIZE = 100;

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

/** Looking at the audit trail is itself audited. */
export async function browseAudit(
  deps: AuditQueryDeps,
  actor: Actor,
  filter: AuditFilter,
  beforeSeq?: number,
): Promise<AuditRecord[]> {
  const rows = await findAuditRecords(deps.db, filter, { limit: AUDIT_PAGE_SIZE, beforeSeq });
  await recordAudit(
    deps.db,
    deps.clock,
    actorEvent(actor, {
      action: 'audit.view',
      outcome: 'success',
      patientId: filter.patientId ?? null,
      details: { filter, rows: rows.length },
    }),
  );
  return rows;
}

export const AUDIT_CSV_COLUMNS = [
  'seq',
  'occurredAt',
  'username',
  'role',
  'action',
  'outcome',
  'entityType',
  'entityId',
  'patientId',
  'requestId',
  'details',
  'hash',
] as const;

function csvRow(r: AuditRecord): string[] {
  return [
    String(r.seq),
    r.occurredAt,
    r.username ?? '',
    r.role ?? '',
    r.action,
    r.outcome,
    r.entityType ?? '',
    r.entityId ?? '',
    r.patientId ?? '',
    r.requestId ?? '',
    JSON.stringify(r.details),
    r.hash,
  ].map(csvSafeCell);
}

/**
 * The filtered trail as CSV, oldest first, streamed in chunks. Every cell is neutralised
 * against spreadsheet formula injection. The export is audited before any row leaves.
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
    yield stringify(batch.map(csvRow));
  }
}
