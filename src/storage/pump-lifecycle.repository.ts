import { sql } from 'kysely';
import type { PlainDate } from '../domain/calendar-date.ts';
import type { EndRequestKind, EndRequestState, PauseReason, PumpState } from '../domain/pump-lifecycle.ts';
import type { DbOrTrx } from './database.ts';
import type { PumpEndRequestsTable, PumpPausesTable } from './pump-lifecycle-tables.ts';
import { refreshRefillFactsAfterPause } from './figures/figure-facts.repository.ts';

/** Requests to end a pump or correct its end, and pauses (pump-lifecycle.ts). */

export interface EndRequest {
  readonly id: string;
  readonly pumpId: string;
  readonly patientId: string;
  readonly kind: EndRequestKind;
  readonly endedOn: PlainDate | null;
  readonly reason: string;
  readonly previousState: PumpState | null;
  readonly previousEndedOn: PlainDate | null;
  /** For a replacement: the new pump registered in this one's place. */
  readonly replacementPumpId: string | null;
  readonly state: EndRequestState;
  readonly requestedAt: string;
  readonly requestedBy: string;
  readonly decidedAt: string | null;
  readonly decidedBy: string | null;
  readonly decisionNote: string | null;
}

/** A decision on a request: confirmed or rejected, by whom, when and why. */
export interface EndRequestDecision {
  readonly state: 'confirmed' | 'rejected';
  readonly decidedAt: string;
  readonly decidedBy: string;
  readonly decisionNote: string | null;
}

// Only validated input is ever stored, so the enumerations and dates hold what their types say.
function endRequestFromRow(r: PumpEndRequestsTable): EndRequest {
  return {
    id: r.id,
    pumpId: r.pump_id,
    patientId: r.patient_id,
    kind: r.kind as EndRequestKind,
    endedOn: r.ended_on as PlainDate | null,
    reason: r.reason,
    previousState: r.previous_state as PumpState | null,
    previousEndedOn: r.previous_ended_on as PlainDate | null,
    replacementPumpId: r.replacement_pump_id,
    state: r.state as EndRequestState,
    requestedAt: r.requested_at,
    requestedBy: r.requested_by,
    decidedAt: r.decided_at,
    decidedBy: r.decided_by,
    decisionNote: r.decision_note,
  };
}

function endRequestToRow(r: EndRequest): PumpEndRequestsTable {
  return {
    id: r.id,
    pump_id: r.pumpId,
    patient_id: r.patientId,
    kind: r.kind,
    ended_on: r.endedOn,
    reason: r.reason,
    previous_state: r.previousState,
    previous_ended_on: r.previousEndedOn,
    replacement_pump_id: r.replacementPumpId,
    state: r.state,
    requested_at: r.requestedAt,
    requested_by: r.requestedBy,
    decided_at: r.decidedAt,
    decided_by: r.decidedBy,
    decision_note: r.decisionNote,
  };
}

export async function insertEndRequest(db: DbOrTrx, request: EndRequest): Promise<void> {
  await db.insertInto('pump_end_requests').values(endRequestToRow(request)).execute();
}

export async function findEndRequest(db: DbOrTrx, id: string): Promise<EndRequest | null> {
  const row = await db.selectFrom('pump_end_requests').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? endRequestFromRow(row) : null;
}

export async function findPendingEndRequest(db: DbOrTrx, pumpId: string): Promise<EndRequest | null> {
  const row = await db
    .selectFrom('pump_end_requests')
    .selectAll()
    .where('pump_id', '=', pumpId)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return row ? endRequestFromRow(row) : null;
}

/** Every request for the pump, newest first: the history keeps the rejected and reversed ones. */
export async function listEndRequests(db: DbOrTrx, pumpId: string): Promise<EndRequest[]> {
  const rows = await db
    .selectFrom('pump_end_requests')
    .selectAll()
    .where('pump_id', '=', pumpId)
    .orderBy('requested_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.map(endRequestFromRow);
}

/** Decides a request only if it is still pending; false when someone else decided it first. */
export async function decideEndRequest(
  db: DbOrTrx,
  id: string,
  decision: EndRequestDecision,
): Promise<boolean> {
  const result = await db
    .updateTable('pump_end_requests')
    .set({
      state: decision.state,
      decided_at: decision.decidedAt,
      decided_by: decision.decidedBy,
      decision_note: decision.decisionNote,
    })
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The kind of each given pump's pending request (end or correction), for the worklist's marker. */
export async function pendingEndRequestKinds(
  db: DbOrTrx,
  pumpIds: readonly string[],
): Promise<Map<string, EndRequestKind>> {
  if (pumpIds.length === 0) {
    return new Map();
  }
  const rows = await db
    .selectFrom('pump_end_requests')
    .select(['pump_id', 'kind'])
    .where('state', '=', 'pending')
    .where('pump_id', 'in', [...pumpIds])
    .execute();
  return new Map(rows.map((r) => [r.pump_id, r.kind as EndRequestKind]));
}

/**
 * Requests waiting for a second clinician, caseload-wide: to end a pump (explant, death,
 * transfer, replacement; `ends`) and to correct a mistaken end (`corrections`).
 */
export async function countPendingEndRequests(
  db: DbOrTrx,
): Promise<{ readonly ends: number; readonly corrections: number }> {
  const row = await db
    .selectFrom('pump_end_requests')
    .select([
      sql<number | string | null>`sum(case when kind = 'correction' then 0 else 1 end)`.as('ends'),
      sql<number | string | null>`sum(case when kind = 'correction' then 1 else 0 end)`.as('corrections'),
    ])
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return { ends: Number(row?.ends ?? 0), corrections: Number(row?.corrections ?? 0) };
}

export interface PumpPause {
  readonly id: string;
  readonly pumpId: string;
  readonly patientId: string;
  readonly reason: PauseReason;
  readonly note: string | null;
  /** True when the reservoir was emptied; false when the pump was only stopped with its drug inside. */
  readonly emptied: boolean;
  readonly pausedOn: PlainDate;
  readonly resumeBy: PlainDate;
  readonly recordedAt: string;
  readonly recordedBy: string;
  readonly resumedOn: PlainDate | null;
  readonly resumeNote: string | null;
  readonly resumedAt: string | null;
  readonly resumedBy: string | null;
}

/** What resuming a pause records. */
export interface PauseResume {
  readonly resumedOn: PlainDate;
  readonly resumeNote: string | null;
  readonly resumedAt: string;
  readonly resumedBy: string;
}

function pauseFromRow(r: PumpPausesTable): PumpPause {
  return {
    id: r.id,
    pumpId: r.pump_id,
    patientId: r.patient_id,
    reason: r.reason as PauseReason,
    note: r.note,
    emptied: r.emptied === 1,
    pausedOn: r.paused_on as PlainDate,
    resumeBy: r.resume_by as PlainDate,
    recordedAt: r.recorded_at,
    recordedBy: r.recorded_by,
    resumedOn: r.resumed_on as PlainDate | null,
    resumeNote: r.resume_note,
    resumedAt: r.resumed_at,
    resumedBy: r.resumed_by,
  };
}

function pauseToRow(p: PumpPause): PumpPausesTable {
  return {
    id: p.id,
    pump_id: p.pumpId,
    patient_id: p.patientId,
    reason: p.reason,
    note: p.note,
    emptied: p.emptied ? 1 : 0,
    paused_on: p.pausedOn,
    resume_by: p.resumeBy,
    recorded_at: p.recordedAt,
    recorded_by: p.recordedBy,
    resumed_on: p.resumedOn,
    resume_note: p.resumeNote,
    resumed_at: p.resumedAt,
    resumed_by: p.resumedBy,
  };
}

/** Writes a pause; the refills after it lose their due date in the figures (same transaction). */
export async function insertPause(db: DbOrTrx, pause: PumpPause): Promise<void> {
  await db.insertInto('pump_pauses').values(pauseToRow(pause)).execute();
  await refreshRefillFactsAfterPause(db, pause.pumpId, pause.pausedOn);
}

export async function findOpenPause(db: DbOrTrx, pumpId: string): Promise<PumpPause | null> {
  const row = await db
    .selectFrom('pump_pauses')
    .selectAll()
    .where('pump_id', '=', pumpId)
    .where('resumed_on', 'is', null)
    .executeTakeFirst();
  return row ? pauseFromRow(row) : null;
}

/** Every pause of the pump, newest first. */
export async function listPauses(db: DbOrTrx, pumpId: string): Promise<PumpPause[]> {
  const rows = await db
    .selectFrom('pump_pauses')
    .selectAll()
    .where('pump_id', '=', pumpId)
    .orderBy('paused_on', 'desc')
    .orderBy('recorded_at', 'desc')
    .execute();
  return rows.map(pauseFromRow);
}

/** Closes a pause if it is still open; false when someone resumed it first. */
export async function closePause(db: DbOrTrx, id: string, resume: PauseResume): Promise<boolean> {
  const result = await db
    .updateTable('pump_pauses')
    .set({
      resumed_on: resume.resumedOn,
      resume_note: resume.resumeNote,
      resumed_at: resume.resumedAt,
      resumed_by: resume.resumedBy,
    })
    .where('id', '=', id)
    .where('resumed_on', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
