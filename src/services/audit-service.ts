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
  findUnsealedBefore,
  insertAuditEvent,
  insertAuditEvents,
  readAuditHead,
  sealPendingAuditRows,
  streamSealedEntries,
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

/**
 * Appends one event inside the caller's transaction, so the action and its audit row commit or
 * roll back together. The row takes no lock another transaction waits on; the sealer hashes it
 * into the chain after it commits (sealAuditTrail), within the seal delay.
 */
export async function appendAudit(trx: Trx, clock: Clock, event: AuditEventInput): Promise<AuditRecord> {
  const content: AuditContent = { ...event, occurredAt: clock.now().toISOString() };
  const seq = await insertAuditEvent(trx, content);
  return { ...content, seq, prevHash: null, hash: null };
}

/**
 * Appends many events in order inside the caller's transaction, in a few statements rather than
 * one each (a caseload import's row per record created).
 */
export async function appendAuditBatch(
  trx: Trx,
  clock: Clock,
  events: readonly AuditEventInput[],
): Promise<void> {
  const occurredAt = clock.now().toISOString();
  await insertAuditEvents(
    trx,
    events.map((event) => ({ ...event, occurredAt })),
  );
}

const SEAL_BATCH_ROWS = 2000;

/**
 * Seals every audit row that has committed and waits for its seal, a batch per transaction,
 * and returns how many. Runs in the server every fraction of the seal delay, when a command
 * ends and when the server starts and stops; several instances may call it at once (one seals,
 * the others return 0 at once).
 */
export async function sealAuditTrail(deps: { readonly db: Db; readonly clock: Clock }): Promise<number> {
  let sealed = 0;
  for (;;) {
    const n = await sealPendingAuditRows(
      deps.db,
      (prev, chainSeq, json, eventSeq) => sha256Hex(auditHashInput(prev, chainSeq, json, eventSeq)),
      auditContentJson,
      deps.clock.now().toISOString(),
      SEAL_BATCH_ROWS,
    );
    sealed += n;
    if (n < SEAL_BATCH_ROWS) {
      return sealed;
    }
  }
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
  readonly problem:
    | ChainBreak
    | { seq: number; reason: 'head-mismatch' }
    | { seq: number; reason: 'unsealed'; rows: number }
    | null;
}

/**
 * Recomputes every seal in chain order and compares the last with the stored head, so a
 * changed, inserted or deleted row or seal (the newest included) is found; then looks for rows
 * appended more than `sealDelayMs` before `now` that have no seal, which a working sealer never
 * leaves (a row slipped in past the sealer, a seal removed, or no sealer running). Reads only:
 * it seals nothing itself.
 */
export async function verifyAuditChain(
  db: Db,
  options: { readonly now: Date; readonly sealDelayMs: number },
): Promise<AuditVerification> {
  // Read the head first: seals made while we read are after it and are not judged.
  const head = await readAuditHead(db);
  let last = { seq: 0, hash: GENESIS_HASH };
  let checked = 0;
  for await (const batch of streamSealedEntries(db, head.seq)) {
    const result = findChainBreak(batch, sha256Hex, last);
    checked += batch.length;
    if (result.break) {
      return { rowsChecked: checked, headSeq: head.seq, headHash: head.hash, problem: result.break };
    }
    last = result.last;
  }
  const found = { rowsChecked: checked, headSeq: head.seq, headHash: head.hash };
  if (last.seq !== head.seq || last.hash !== head.hash) {
    return { ...found, problem: { seq: last.seq + 1, reason: 'head-mismatch' } };
  }
  const cutoff = new Date(options.now.getTime() - options.sealDelayMs).toISOString();
  const unsealed = await findUnsealedBefore(db, cutoff);
  return {
    ...found,
    problem: unsealed ? { seq: unsealed.oldestSeq, reason: 'unsealed', rows: unsealed.count } : null,
  };
}

/** verifyAuditChain on the service's own database and settings (the registry's form of it). */
export async function verifyAuditTrail(deps: {
  readonly db: Db;
  readonly clock: Clock;
  readonly config: { readonly auditSealDelayMs: number };
}): Promise<AuditVerification> {
  return verifyAuditChain(deps.db, { now: deps.clock.now(), sealDelayMs: deps.config.auditSealDelayMs });
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
