import { sql, type Selectable, type SelectQueryBuilder } from 'kysely';
import { insertRowsInBulk } from './bulk-insert.ts';
import { isPostgres } from './dialect-name.ts';
import type { AuditContent, AuditRecord, SealedAuditEntry } from '../domain/audit-event.ts';
import type { AuditEventsTable, AuditSealsTable, Database, Db, DbOrTrx, Trx } from './database.ts';

type AuditEventRow = Selectable<AuditEventsTable>;

export function rowToAuditContent(row: AuditEventRow): AuditContent {
  return {
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
  };
}

function contentToRow(content: AuditContent): Omit<AuditEventRow, 'seq'> {
  return {
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
  };
}

/**
 * Appends one row in the caller's transaction and returns its place in the reading order. No
 * lock is shared with any other transaction: on PostgreSQL the place comes from a sequence; on
 * SQLite, whose writers take turns anyway, it is the next number. A trigger queues the row for
 * the sealer, which hashes it into the chain once it has committed.
 */
export async function insertAuditEvent(trx: Trx, content: AuditContent): Promise<number> {
  const row = contentToRow(content);
  const q = isPostgres(trx)
    ? trx.insertInto('audit_events').values(row)
    : trx.insertInto('audit_events').values({
        ...row,
        seq: sql<number>`(select coalesce(max(seq), 0) + 1 from audit_events)`,
      });
  const placed = await q.returning('seq').executeTakeFirstOrThrow();
  return placed.seq;
}

/**
 * Appends many rows in order in the caller's transaction. PostgreSQL: a few thousand rows a
 * statement through insertRowsInBulk, each row's place taken from the sequence as the rows come
 * in order; SQLite: a few hundred a statement, numbered after the last row.
 */
export async function insertAuditEvents(trx: Trx, contents: readonly AuditContent[]): Promise<void> {
  if (isPostgres(trx)) {
    await insertRowsInBulk(trx, 'audit_events', contents.map(contentToRow));
    return;
  }
  const top = await trx
    .selectFrom('audit_events')
    .select((eb) => eb.fn.max<number | null>('seq').as('seq'))
    .executeTakeFirst();
  const after = top?.seq ?? 0;
  const rows = contents.map((content, i) => ({ ...contentToRow(content), seq: after + i + 1 }));
  for (let i = 0; i < rows.length; i += 300) {
    await trx
      .insertInto('audit_events')
      .values(rows.slice(i, i + 300))
      .execute();
  }
}

/**
 * Seals up to `limit` committed rows waiting in `audit_pending`, in their reading order: each
 * gets the next place in the chain and a hash after the previous seal, and the head moves, in
 * one transaction. The head row is the sealer's claim: on PostgreSQL it is read FOR UPDATE SKIP
 * LOCKED, so while one instance seals another finds nothing to do and returns 0 at once (no
 * request ever waits on it). Rows of transactions still open are not visible yet and are sealed
 * by a later pass, after rows that committed first: the chain is in commit order.
 */
export async function sealPendingAuditRows(
  db: Db,
  hashOf: (prevHash: string, chainSeq: number, contentJson: string, eventSeq: number) => string,
  contentJsonOf: (content: AuditContent) => string,
  sealedAt: string,
  limit: number,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const claim = trx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1);
    const head = await (isPostgres(trx) ? claim.forUpdate().skipLocked() : claim).executeTakeFirst();
    if (!head) {
      return 0;
    }
    // The queue first, then its rows by key: two index reads, whatever the size of the trail
    // (a join could be planned as a scan of the whole trail four times a second).
    const queued = await trx.selectFrom('audit_pending').select('seq').orderBy('seq').limit(limit).execute();
    if (queued.length === 0) {
      return 0;
    }
    const rows = await trx
      .selectFrom('audit_events')
      .selectAll()
      .where(
        'seq',
        'in',
        queued.map((q) => q.seq),
      )
      .orderBy('seq')
      .execute();
    let chainSeq = head.seq;
    let prev = head.hash;
    const seals: AuditSealsTable[] = rows.map((row) => {
      chainSeq += 1;
      const eventSeq = row.seq;
      const hash = hashOf(prev, chainSeq, contentJsonOf(rowToAuditContent(row)), eventSeq);
      const seal = { chain_seq: chainSeq, event_seq: eventSeq, prev_hash: prev, hash, sealed_at: sealedAt };
      prev = hash;
      return seal;
    });
    for (let i = 0; i < seals.length; i += 500) {
      const part = seals.slice(i, i + 500);
      await trx.insertInto('audit_seals').values(part).execute();
      await trx
        .deleteFrom('audit_pending')
        .where(
          'seq',
          'in',
          part.map((p) => p.event_seq),
        )
        .execute();
    }
    // A queue entry whose row is gone (removed past the append-only trigger) is dropped: the row
    // was never sealed, and verification cannot see it either way.
    const sealedSeqs = new Set(seals.map((seal) => seal.event_seq));
    const orphans = queued.map((q) => q.seq).filter((seq) => !sealedSeqs.has(seq));
    if (orphans.length > 0) {
      await trx.deleteFrom('audit_pending').where('seq', 'in', orphans).execute();
    }
    await trx.updateTable('audit_head').set({ seq: chainSeq, hash: prev }).where('id', '=', 1).execute();
    return rows.length;
  });
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

type AuditQuery = SelectQueryBuilder<Database, 'audit_events', AuditEventRow>;

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
  return withSeals(db, rows);
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
    yield await withSeals(db, rows);
    if (rows.length < batchSize) {
      return;
    }
    after = last.seq;
  }
}

/** The rows as records, each with its seal's hashes (null while it waits for the sealer). */
async function withSeals(db: DbOrTrx, rows: readonly AuditEventRow[]): Promise<AuditRecord[]> {
  const seals = new Map<number, { prev_hash: string; hash: string }>();
  if (rows.length > 0) {
    const found = await db
      .selectFrom('audit_seals')
      .select(['event_seq', 'prev_hash', 'hash'])
      .where(
        'event_seq',
        'in',
        rows.map((r) => r.seq),
      )
      .execute();
    for (const f of found) {
      seals.set(f.event_seq, f);
    }
  }
  return rows.map((row) => {
    const seal = seals.get(row.seq);
    return {
      ...rowToAuditContent(row),
      seq: row.seq,
      prevHash: seal?.prev_hash ?? null,
      hash: seal?.hash ?? null,
    };
  });
}

/**
 * The chain's seals in chain order up to and including `upToChainSeq`, in batches, each with
 * the row it seals (null when that row is gone), for verification.
 */
export async function* streamSealedEntries(
  db: DbOrTrx,
  upToChainSeq: number,
  batchSize = 2000,
): AsyncGenerator<SealedAuditEntry[]> {
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_seals')
      .leftJoin('audit_events', 'audit_events.seq', 'audit_seals.event_seq')
      .select([
        'audit_seals.chain_seq',
        'audit_seals.event_seq',
        'audit_seals.prev_hash',
        'audit_seals.hash',
        'audit_events.seq',
        'audit_events.occurred_at',
        'audit_events.request_id',
        'audit_events.user_id',
        'audit_events.username',
        'audit_events.role',
        'audit_events.action',
        'audit_events.entity_type',
        'audit_events.entity_id',
        'audit_events.patient_id',
        'audit_events.outcome',
        'audit_events.details',
      ])
      .where('audit_seals.chain_seq', '>', after)
      .where('audit_seals.chain_seq', '<=', upToChainSeq)
      .orderBy('audit_seals.chain_seq')
      .limit(batchSize)
      .execute();
    const last = rows.at(-1);
    if (!last) {
      return;
    }
    yield rows.map((r) => ({
      chainSeq: r.chain_seq,
      eventSeq: r.event_seq,
      prevHash: r.prev_hash,
      hash: r.hash,
      // A seal whose row is gone comes back with every row column null (the left join).
      content: r.seq === null ? null : rowToAuditContent(r as AuditEventRow),
    }));
    if (rows.length < batchSize) {
      return;
    }
    after = last.chain_seq;
  }
}

/**
 * Rows appended before `before` (ISO time) that have no seal: the oldest's number and how
 * many. Every row is looked at (verification reads the whole trail anyway).
 */
export async function findUnsealedBefore(
  db: DbOrTrx,
  before: string,
): Promise<{ oldestSeq: number; count: number } | null> {
  const row = await db
    .selectFrom('audit_events')
    .select((eb) => [
      eb.fn.min<number | null>('seq').as('oldest'),
      eb.fn.countAll<number | string>().as('count'),
    ])
    .where('occurred_at', '<', before)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('audit_seals')
            .select('audit_seals.chain_seq')
            .whereRef('audit_seals.event_seq', '=', 'audit_events.seq'),
        ),
      ),
    )
    .executeTakeFirst();
  const count = Number(row?.count ?? 0);
  const oldest = row?.oldest ?? null;
  return count === 0 || oldest === null ? null : { oldestSeq: oldest, count };
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
