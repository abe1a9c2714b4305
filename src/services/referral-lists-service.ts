import type { Db } from '../storage/database.ts';
import {
  countIntakeItems,
  listIntakeItems,
  type IntakeItem,
  type IntakeState,
} from '../storage/intake.repository.ts';
import {
  listRecentReferrals,
  listReferralsForPatient,
  type Referral,
  type ReferralListRow,
  type ReferralState,
} from '../storage/referrals.repository.ts';
import { auditListView, type Actor } from './audit-service.ts';
import type { Clock } from './clock.ts';
import type { ReferralServiceDeps } from './referral-service.ts';
import { triageQueue, type TriageQueueItem } from './triage-queue-service.ts';
import { waitingList, type WaitingListItem } from './waiting-list-service.ts';

/**
 * The lists staff work from: recent referrals, the triage queue, the waiting list and the email
 * intake. Each view of a list of patients is audited (as `referral.list`) with how many it showed.
 */

type ListDeps = { readonly db: Db; readonly clock: Clock };

/** How many referrals the list page shows at most, most recently received first. */
const RECENT_REFERRALS = 200;

export async function listReferrals(
  deps: ListDeps,
  actor: Actor,
  state: ReferralState | null,
): Promise<ReferralListRow[]> {
  const rows = await listRecentReferrals(deps.db, state, RECENT_REFERRALS);
  await auditListView(deps.db, deps.clock, actor, { state, shown: rows.length });
  return rows;
}

/** A patient's referrals, newest first (the assessment form offers them). */
export async function referralsForPatient(deps: { readonly db: Db }, patientId: string): Promise<Referral[]> {
  return listReferralsForPatient(deps.db, patientId);
}

export async function viewTriageQueue(deps: ReferralServiceDeps, actor: Actor): Promise<TriageQueueItem[]> {
  const items = await triageQueue(deps);
  await auditListView(deps.db, deps.clock, actor, { list: 'triage-queue', shown: items.length });
  return items;
}

/** The waiting list; `via` says whether the page or the API read it, as the audit records. */
export async function viewWaitingList(
  deps: ReferralServiceDeps,
  actor: Actor,
  via: 'page' | 'api',
): Promise<WaitingListItem[]> {
  const items = await waitingList(deps);
  await auditListView(deps.db, deps.clock, actor, {
    list: 'waiting-list',
    shown: items.length,
    ...(via === 'api' ? { api: true } : {}),
  });
  return items;
}

export interface IntakeList {
  readonly items: readonly IntakeItem[];
  /** How many emails wait to be confirmed, for the tab's count. */
  readonly newCount: number;
}

/** The email intake in one state, unaudited: shown again beside an upload's error. */
export async function intakeList(deps: { readonly db: Db }, view: IntakeState): Promise<IntakeList> {
  const items = await listIntakeItems(deps.db, view);
  return { items, newCount: await countIntakeItems(deps.db, 'new') };
}

/** The email intake in one state, the view audited. */
export async function viewIntakeList(deps: ListDeps, actor: Actor, view: IntakeState): Promise<IntakeList> {
  await auditListView(deps.db, deps.clock, actor, { intake: view });
  return intakeList(deps, view);
}

/** How many emails wait to be confirmed (the dashboard's count). */
export async function countNewEmails(deps: { readonly db: Db }): Promise<number> {
  return countIntakeItems(deps.db, 'new');
}
