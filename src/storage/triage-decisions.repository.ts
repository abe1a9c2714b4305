import type { PlainDate } from '../domain/calendar-date.ts';
import type { Priority, RedirectMethod, TriageOutcome } from '../domain/triage.ts';
import type { DbOrTrx, TriageDecisionsTable } from './database.ts';
import { refreshReferralTriageFacts } from './figures/figure-facts.repository.ts';

/** A consultant's triage decision, with the name of who made it. */
export interface TriageDecision {
  readonly id: string;
  readonly referralId: string;
  readonly outcome: TriageOutcome;
  readonly priority: Priority | null;
  readonly advice: string | null;
  readonly redirectTo: string | null;
  /** Whether a redirected referral was sent on; null otherwise, or when recorded before this was asked. */
  readonly redirectSent: boolean | null;
  readonly redirectMethod: RedirectMethod | null;
  readonly changeReason: string | null;
  readonly decidedBy: string;
  readonly decidedByName: string;
  readonly decidedAt: string;
  readonly decidedOn: PlainDate;
}

/** What is stored of a decision: the decider's name is read from their account. */
export type NewTriageDecision = Omit<TriageDecision, 'decidedByName'>;

function toRow(d: NewTriageDecision): TriageDecisionsTable {
  return {
    id: d.id,
    referral_id: d.referralId,
    outcome: d.outcome,
    priority: d.priority,
    advice: d.advice,
    redirect_to: d.redirectTo,
    redirect_sent: d.redirectSent === null ? null : d.redirectSent ? 1 : 0,
    redirect_method: d.redirectMethod,
    change_reason: d.changeReason,
    decided_by: d.decidedBy,
    decided_at: d.decidedAt,
    decided_on: d.decidedOn,
  };
}

function fromRow(r: TriageDecisionsTable & { display_name: string }): TriageDecision {
  return {
    id: r.id,
    referralId: r.referral_id,
    outcome: r.outcome as TriageOutcome,
    priority: r.priority as Priority | null,
    advice: r.advice,
    redirectTo: r.redirect_to,
    redirectSent: r.redirect_sent === null ? null : r.redirect_sent === 1,
    redirectMethod: r.redirect_method as RedirectMethod | null,
    changeReason: r.change_reason,
    decidedBy: r.decided_by,
    decidedByName: r.display_name,
    decidedAt: r.decided_at,
    decidedOn: r.decided_on as PlainDate,
  };
}

/** Writes a decision, and its referral's first triage date for the figures, in `db`'s transaction. */
export async function insertTriageDecision(db: DbOrTrx, decision: NewTriageDecision): Promise<void> {
  await db.insertInto('triage_decisions').values(toRow(decision)).execute();
  await refreshReferralTriageFacts(db, decision.referralId);
}

/** Every decision on a referral, oldest first. */
export async function listTriageDecisions(db: DbOrTrx, referralId: string): Promise<TriageDecision[]> {
  const rows = await db
    .selectFrom('triage_decisions as t')
    .innerJoin('users as u', 'u.id', 't.decided_by')
    .selectAll('t')
    .select('u.display_name')
    .where('t.referral_id', '=', referralId)
    .orderBy('t.decided_at', 'asc')
    .execute();
  return rows.map(fromRow);
}
