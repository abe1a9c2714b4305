import {
  auditContentJson,
  auditHashInput,
  findChainBreak,
  GENESIS_HASH,
  type AuditContent,
  type AuditEventInput,
  type AuditRecord,
  type ChainBreak,
} from '../domain/audit-event.ts';
import type { Db, Trx } from '../storage/database.ts';
import {
  insertAuditRecordsAfterHead,
  insertNextAuditRecord,
  readAuditHead,
  streamAuditBatches,
} from '../storage/audit.repository.ts';
import type { Clock } from './clock.ts';
import { sha256Hex } from './secrets.ts';

/** Who is acting, carried from the request into every audited service call. */
export interface Actor {
  readonly userId: string;
  readonly username: string;
  readonly role: string;
  readonly requestId: string | null;
}

/** The actor for an account acting in one request (or 'cli', or null for set-up). */
export function actorOf(
  user: { readonly id: string; readonly username: string; readonly role: string },
  requestId: string | null,
): Actor {
  return { userId: user.id, username: user.username, role: user.role, requestId };
}

/** Appends one event to the hash chain inside the caller's transaction, so the action and
 * its audit row commit or roll back together. */
export async function appendAudit(trx: Trx, clock: Clock, event: AuditEventInput): Promise<AuditRecord> {
  const content: AuditContent = { ...event, occurredAt: clock.now().toISOString() };
  const contentJson = auditContentJson(content);
  const placed = await insertNextAuditRecord(trx, content, contentJson);
  // The database computed the hash; check it is the one verification will compute, so a
  // difference between the two implementations can never be committed.
  if (sha256Hex(auditHashInput(placed.prevHash, placed.seq, contentJson)) !== placed.hash) {
    throw new Error(`audit entry ${String(placed.seq)}: the database's hash differs from the application's`);
  }
  return { ...content, ...placed };
}

/**
 * Appends many events in order inside the caller's transaction, in a few statements rather than
 * one each (a caseload import's row per record created). Same chain, same hashes, same lock on
 * the head as appendAudit; the hashes are computed here and the head checked after.
 */
export async function appendAuditBatch(
  trx: Trx,
  clock: Clock,
  events: readonly AuditEventInput[],
): Promise<void> {
  const occurredAt = clock.now().toISOString();
  const contents = events.map((event) => {
    const content: AuditContent = { ...event, occurredAt };
    return { content, contentJson: auditContentJson(content) };
  });
  await insertAuditRecordsAfterHead(trx, contents, (prev, seq, json) =>
    sha256Hex(auditHashInput(prev, seq, json)),
  );
}

export function actorEvent(
  actor: Actor | null,
  fields: Pick<AuditEventInput, 'action' | 'outcome'> & Partial<AuditEventInput>,
): AuditEventInput {
  return {
    userId: actor?.userId ?? null,
    username: actor?.username ?? null,
    role: actor?.role ?? null,
    requestId: actor?.requestId ?? null,
    entityType: null,
    entityId: null,
    patientId: null,
    details: {},
    ...fields,
  };
}

/** Audits in a transaction of its own (for reads and refusals that change nothing else). */
export async function recordAudit(db: Db, clock: Clock, event: AuditEventInput): Promise<void> {
  await db.transaction().execute((trx) => appendAudit(trx, clock, event));
}

export interface AuditVerification {
  readonly rowsChecked: number;
  readonly headSeq: number;
  readonly headHash: string;
  readonly problem: ChainBreak | { seq: number; reason: 'head-mismatch' } | null;
}

/**
 * Recomputes every hash in order and compares the last one with the stored head, so a changed,
 * inserted or deleted row (including the newest) is found.
 */
export async function verifyAuditChain(db: Db): Promise<AuditVerification> {
  // Read the head first: rows appended while we read are after it and are not judged.
  const head = await readAuditHead(db);
  let last = { seq: 0, hash: GENESIS_HASH };
  let checked = 0;
  for await (const batch of streamAuditBatches(db, {}, { upToSeq: head.seq })) {
    const result = findChainBreak(batch, sha256Hex, last);
    checked += batch.length;
    if (result.break) {
      return { rowsChecked: checked, headSeq: head.seq, headHash: head.hash, problem: result.break };
    }
    last = result.last;
  }
  const problem =
    last.seq !== head.seq || last.hash !== head.hash
      ? { seq: last.seq + 1, reason: 'head-mismatch' as const }
      : null;
  return { rowsChecked: checked, headSeq: head.seq, headHash: head.hash, problem };
}

/** verifyAuditChain on the service's own database (the registry's form of it). */
export async function verifyAuditTrail(deps: { readonly db: Db }): Promise<AuditVerification> {
  return verifyAuditChain(deps.db);
}

/** Audits that a list showing patients' details was viewed (who saw which list, how long). */
export async function auditListView(
  db: Db,
  clock: Clock,
  actor: Actor,
  details: Readonly<Record<string, unknown>>,
): Promise<void> {
  await recordAudit(db, clock, actorEvent(actor, { action: 'referral.list', outcome: 'success', details }));
}
