import { sql } from 'kysely';
import type { AuditContent, AuditRecord } from '../domain/audit-event.ts';
import type { SelectQueryBuilder } from 'kysely';
import type { AuditEventsTable, Database, DbOrTrx, Trx } from './database.ts';

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
 * Appends one row after the chain's head in a single statement and returns where it landed.
 * The head is read FOR UPDATE: on PostgreSQL that row lock queues concurrent appenders (other
 * instances included) and, after a wait, re-reads the head, so no two rows share a place and
 * none links to a stale hash. The database computes the hash (sha256_hex, defined on both
 * databases) over the text domain/audit-event.ts auditHashInput describes; a trigger then moves
 * the head. One statement means the lock is held only from here to COMMIT.
 */
export async function insertNextAuditRecord(
  trx: Trx,
  content: AuditContent,
  contentJson: string,
): Promise<{ seq: number; prevHash: string; hash: string }> {
  const nextSeq = sql<number>`seq + 1`;
  const row = await trx
    .insertInto('audit_events')
    .columns([
      'seq',
      'occurred_at',
      'request_id',
      'user_id',
      'username',
      'role',
      'action',
      'entity_type',
      'entity_id',
      'patient_id',
      'outcome',
      'details',
      'prev_hash',
      'hash',
    ])
    .expression(
      trx
        .selectFrom('audit_head')
        .select((eb) => [
          nextSeq.as('seq'),
          eb.val(content.occurredAt).as('occurred_at'),
          eb.val(content.requestId).as('request_id'),
          eb.val(content.userId).as('user_id'),
          eb.val(content.username).as('username'),
          eb.val(content.role).as('role'),
          eb.val(content.action).as('action'),
          eb.val(content.entityType).as('entity_type'),
          eb.val(content.entityId).as('entity_id'),
          eb.val(content.patientId).as('patient_id'),
          eb.val(content.outcome).as('outcome'),
          eb.val(JSON.stringify(content.details)).as('details'),
          'hash as prev_hash',
          sql<string>`sha256_hex(hash || cast(${'\n'} as text) || cast(${nextSeq} as text) || cast(${'\n'} as text) || cast(${contentJson} as text))`.as(
            'hash',
          ),
        ])
        .where('id', '=', 1)
        .forUpdate(),
    )
    .returning(['seq', 'prev_hash', 'hash'])
    .executeTakeFirstOrThrow();
  return { seq: row.seq, prevHash: row.prev_hash, hash: row.hash };
}

export interface AuditFilter {
  readonly patientId?: string | undefined;
  readonly username?: string | undefined;
  /** Inclusive UTC bounds, ISO text. */
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  /** Only these actions (for example, only views of a record). */
  readonly actions?: readonly string[] | undefined;
}

type AuditQuery = SelectQueryBuilder<Database, 'audit_events', AuditEventsTable>;

function applyFilter(q: AuditQuery, filter: AuditFilter): AuditQuery {
  let filtered = q;
  if (filter.patientId) {
    filtered = filtered.where('patient_id', '=', filter.patientId);
  }
  if (filter.username) {
    filtered = filtered.where('username', '=', filter.username);
  }
  if (filter.from) {
    filtered = filtered.where('occurred_at', '>=', filter.from);
  }
  if (filter.to) {
    filtered = filtered.where('occurred_at', '<=', filter.to);
  }
  if (filter.actions && filter.actions.length > 0) {
    filtered = filtered.where('action', 'in', [...filter.actions]);
  }
  return filtered;
}

/**
 * One page of the filtered trail, newest first, from before `beforeSeq` (keyset paging: the
 * page after the millionth row costs what the first does). Filtered by patient or by user,
 * the (patient_id, seq) and (username, seq) indexes give the rows in order.
 */
export async function findAuditRecords(
  db: DbOrTrx,
  filter: AuditFilter,
  page: { limit: number; beforeSeq?: number | undefined },
): Promise<AuditRecord[]> {
  let q = applyFilter(db.selectFrom('audit_events').selectAll(), filter);
  if (page.beforeSeq !== undefined) {
    q = q.where('seq', '<', page.beforeSeq);
  }
  const rows = await q.orderBy('seq', 'desc').limit(page.limit).execute();
  return rows.map(rowToAuditRecord);
}

/**
 * The filtered trail oldest first, in batches (for verification and export), up to and
 * including `upToSeq` when given.
 */
export async function* streamAuditBatches(
  db: DbOrTrx,
  filter: AuditFilter,
  options: { upToSeq?: number; batchSize?: number } = {},
): AsyncGenerator<AuditRecord[]> {
  const batchSize = options.batchSize ?? 2000;
  let after = 0;
  for (;;) {
    let q = applyFilter(db.selectFrom('audit_events').selectAll(), filter).where('seq', '>', after);
    if (options.upToSeq !== undefined) {
      q = q.where('seq', '<=', options.upToSeq);
    }
    const rows = await q.orderBy('seq', 'asc').limit(batchSize).execute();
    const last = rows.at(-1);
    if (!last) {
      return;
    }
    yield rows.map(rowToAuditRecord);
    if (rows.length < batchSize) {
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

export interface AuditPatientName {
  readonly givenName: string;
  readonly familyName: string;
  readonly nhsNumber: string;
}

/**
 * The people a page of the trail names, read in two queries however long the page: patients
 * by id (name and NHS number) and staff by id (display name).
 */
export async function findAuditNames(
  db: DbOrTrx,
  patientIds: readonly string[],
  userIds: readonly string[],
): Promise<{ patients: Map<string, AuditPatientName>; users: Map<string, string> }> {
  const patients = new Map<string, AuditPatientName>();
  const users = new Map<string, string>();
  if (patientIds.length > 0) {
    const rows = await db
      .selectFrom('patients')
      .select(['id', 'given_name', 'family_name', 'nhs_number'])
      .where('id', 'in', [...new Set(patientIds)])
      .execute();
    for (const r of rows) {
      patients.set(r.id, { givenName: r.given_name, familyName: r.family_name, nhsNumber: r.nhs_number });
    }
  }
  if (userIds.length > 0) {
    const rows = await db
      .selectFrom('users')
      .select(['id', 'display_name'])
      .where('id', 'in', [...new Set(userIds)])
      .execute();
    for (const r of rows) {
      users.set(r.id, r.display_name);
    }
  }
  return { patients, users };
}

/**
 * Appends many rows after the chain's head in a few statements (a bulk import's one row per
 * record): the head is read FOR UPDATE, as insertNextAuditRecord does, each row's place and
 * hash are worked out by `hashOf` in order, and the rows are inserted a few hundred a
 * statement. The head-moving trigger runs for each row; the head is read back and compared, so a
 * chain the database did not take as computed is never committed.
 */
export async function insertAuditRecordsAfterHead(
  trx: Trx,
  contents: readonly { readonly content: AuditContent; readonly contentJson: string }[],
  hashOf: (prevHash: string, seq: number, contentJson: string) => string,
): Promise<void> {
  const head = await trx
    .selectFrom('audit_head')
    .select(['seq', 'hash'])
    .where('id', '=', 1)
    .forUpdate()
    .executeTakeFirstOrThrow();
  let seq = head.seq;
  let prev = head.hash;
  const rows: AuditEventsTable[] = contents.map(({ content, contentJson }) => {
    seq += 1;
    const hash = hashOf(prev, seq, contentJson);
    const row: AuditEventsTable = {
      seq,
      occurred_at: content.occurredAt,
      request_id: content.requestId,
      user_id: content.userId,
      username: content.username,
      role: content.role,
      action: content.action,
      entity_type: content.entityType,
      entity_id: content.entityId,
      patient_id: content.patientId,
      outcome: content.outcome,
      details: JSON.stringify(content.details),
      prev_hash: prev,
      hash,
    };
    prev = hash;
    return row;
  });
  for (let i = 0; i < rows.length; i += 300) {
    await trx
      .insertInto('audit_events')
      .values(rows.slice(i, i + 300))
      .execute();
  }
  const after = await readAuditHead(trx);
  if (after.seq !== seq || after.hash !== prev) {
    throw new Error(`audit head after a bulk append is ${String(after.seq)}, not ${String(seq)}`);
  }
}
