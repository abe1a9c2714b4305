import type { AmendmentState } from '../domain/refill-actions.ts';
import type { DbOrTrx, RefillAmendmentsTable } from './database.ts';

/**
 * Corrections to signed refills, which are never edited in place: batch, expiry and notes
 * applied at once, volumes pending until a second clinician decides. `amendmentToRow` and
 * `amendmentFromRow` map the entity to its row (changes as JSON).
 */

export type { AmendmentState } from '../domain/refill-actions.ts';

export interface RefillAmendment {
  readonly id: string;
  readonly refillId: string;
  readonly reason: string;
  readonly changes: readonly { field: string; old: string | null; new: string | null }[];
  readonly amendedAt: string;
  readonly amendedBy: string;
  readonly state: AmendmentState;
  readonly decidedAt: string | null;
  readonly decidedBy: string | null;
  readonly decisionNote: string | null;
}

export function amendmentFromRow(r: RefillAmendmentsTable): RefillAmendment {
  return {
    id: r.id,
    refillId: r.refill_id,
    reason: r.reason,
    changes: JSON.parse(r.changes) as RefillAmendment['changes'],
    amendedAt: r.amended_at,
    amendedBy: r.amended_by,
    state: r.state as AmendmentState,
    decidedAt: r.decided_at,
    decidedBy: r.decided_by,
    decisionNote: r.decision_note,
  };
}

export function amendmentToRow(a: RefillAmendment): RefillAmendmentsTable {
  return {
    id: a.id,
    refill_id: a.refillId,
    reason: a.reason,
    changes: JSON.stringify(a.changes),
    amended_at: a.amendedAt,
    amended_by: a.amendedBy,
    state: a.state,
    decided_at: a.decidedAt,
    decided_by: a.decidedBy,
    decision_note: a.decisionNote,
  };
}

export async function findAmendmentById(db: DbOrTrx, id: string): Promise<RefillAmendment | null> {
  const row = await db.selectFrom('refill_amendments').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? amendmentFromRow(row) : null;
}

/** Settles a pending volume correction; false when someone else settled it first. */
export async function decideAmendmentIfPending(
  db: DbOrTrx,
  id: string,
  decision: Pick<RefillAmendment, 'state' | 'decidedAt' | 'decidedBy' | 'decisionNote'>,
): Promise<boolean> {
  const result = await db
    .updateTable('refill_amendments')
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

export async function insertAmendment(db: DbOrTrx, amendment: RefillAmendment): Promise<void> {
  await db.insertInto('refill_amendments').values(amendmentToRow(amendment)).execute();
}

export async function listAmendments(db: DbOrTrx, refillId: string): Promise<RefillAmendment[]> {
  const rows = await db
    .selectFrom('refill_amendments')
    .selectAll()
    .where('refill_id', '=', refillId)
    .orderBy('amended_at', 'asc')
    .execute();
  return rows.map(amendmentFromRow);
}
