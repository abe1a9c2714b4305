import type { AuditRecord } from '../domain/audit-event.ts';
import type { AuditEventsTable, DbOrTrx, Trx } from './database.ts';

export function rowToAuditRecord(row: AuditEventsTable): AuditRecord {
  return {
    seq: row.seq,
    occurredAt: row.occurred_at,
    requestId: row.request_id,
    userId: row.user_id,
    username: row.username,
    role: row.role,
    action: row.action as AuditRecord['action'],
    entityType: row.entity_type,
    entityId: row.entity_id,
    patientId: row.patient_id,
    outcome: row.outcome as AuditRecord['outcome'],
    details: JSON.parse(row.details) as Record<string, unknown>,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/**
 * Claims the next sequence number. The UPDATE takes the head row's write lock, held until the
 * transaction ends, so concurrent writers (other instances included) append one at a time.
 */
export async function claimNextAuditSeq(trx: Trx): Promise<{ seq: number; prevHash: string }> {
  const head = await trx
    .updateTable('audit_head')
    .set((eb) => ({ seq: eb('seq', '+', 1) }))
    .where('id', '=', 1)
    .returning(['seq', 'hash'])
    .executeTakeFirstOrThrow();
  return { seq: head.seq, prevHash: head.hash };
}

export async function insertAuditRecord(trx: Trx, record: AuditRecord): Promise<void> {
  await trx
    .insertInto('audit_events')
    .values({
      seq: record.seq,
      occurred_at: record.occurredAt,
      request_id: record.requestId,
      user_id: record.userId,
      username: record.username,
      role: record.role,
      action: record.action,
      entity_type: record.entityType,
      entity_id: record.entityId,
      patient_id: record.patientId,
      outcome: record.outcome,
      details: JSON.stringify(record.details),
      prev_hash: record.prevHash,
      hash: record.hash,
    })
    .execute();
  // The audit_events_head trigger sets audit_head.hash to this row's hash (see the migration).
}

export interface AuditFilter {
  readonly patientId?: string | undefined;
  readonly username?: string | undefined;
  /** Inclusive UTC bounds, ISO text. */
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

export async function findAuditRecords(
  db: DbOrTrx,
  filter: AuditFilter,
  page: { limit: number; beforeSeq?: number | undefined },
): Promise<AuditRecord[]> {
  let q = db.selectFrom('audit_events').selectAll();
  if (filter.patientId) {
    q = q.where('patient_id', '=', filter.patientId);
  }
  if (filter.username) {
    q = q.where('username', '=', filter.username);
  }
  if (filter.from) {
    q = q.where('occurred_at', '>=', filter.from);
  }
  if (filter.to) {
    q = q.where('occurred_at', '<=', filter.to);
  }
  if (page.beforeSeq !== undefined) {
    q = q.where('seq', '<', page.beforeSeq);
  }
  const rows = await q.orderBy('seq', 'desc').limit(page.limit).execute();
  return rows.map(rowToAuditRecord);
}

/** Reads the whole chain in batches, in order, for verification and export. */
export async function* streamAuditRecords(db: DbOrTrx, batchSize = 2000): AsyncGenerator<AuditRecord> {
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('seq', '>', after)
      .orderBy('seq', 'asc')
      .limit(batchSize)
      .execute();
    for (const row of rows) {
      yield rowToAuditRecord(row);
    }
    const last = rows.at(-1);
    if (!last || rows.length < batchSize) {
      return;
    }
    after = last.seq;
  }
}

export async function readAuditHead(db: DbOrTrx): Promise<{ seq: number; hash: string }> {
  const head = await db
    .selectFrom('audit_head')
    .select(['seq', 'hash'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  return { seq: head.seq, hash: head.hash };
}
