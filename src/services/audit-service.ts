import {
  auditContentJson,
  auditHashInput,
  findChainBreak,
  type AuditContent,
  type AuditEventInput,
  type AuditRecord,
  type ChainBreak,
} from '../domain/audit-event.ts';
import type { Db, Trx } from '../storage/database.ts';
import { insertNextAuditRecord, readAuditHead, streamAuditRecords } from '../storage/audit.repository.ts';
import type { Clock } from './clock.ts';
import { sha256Hex } from './secrets.ts';

/** Who is acting, carried from the request into every audited service call. */
export interface Actor {
  readonly userId: string;
  readonly username: string;
  readonly role: string;
  readonly requestId: string | null;
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
  const rows: AuditRecord[] = [];
  let result: ReturnType<typeof findChainBreak> | undefined;
  let start = undefined as { seq: number; hash: string } | undefined;
  let checked = 0;
  for await (const row of streamAuditRecords(db)) {
    if (row.seq > head.seq) {
      break;
    }
    rows.push(row);
    if (rows.length >= 2000) {
      result = findChainBreak(rows, sha256Hex, start);
      checked += rows.length;
      rows.length = 0;
      if (result.break) {
        return { rowsChecked: checked, headSeq: head.seq, headHash: head.hash, problem: result.break };
      }
      start = result.last;
    }
  }
  result = findChainBreak(rows, sha256Hex, start);
  checked += rows.length;
  if (result.break) {
    return { rowsChecked: checked, headSeq: head.seq, headHash: head.hash, problem: result.break };
  }
  const problem =
    result.last.seq !== head.seq || result.last.hash !== head.hash
      ? { seq: result.last.seq + 1, reason: 'head-mismatch' as const }
      : null;
  return { rowsChecked: checked, headSeq: head.seq, headHash: head.hash, problem };
}
