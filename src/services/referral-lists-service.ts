import type { Db } from '../storage/database.ts';
import {
  countIntakeItems,
  listIntakeItems,
  type IntakeItem,
  type IntakeState,
} from '../storage/intake.repository.ts';
import { clampPage, pageCount, parseReferralSearch } from '../domain/referral-search.ts';
import {
  listReferralPage,
  listReferralsForPatient,
  type Referral,
  type ReferralListRow,
  type ReferralState,
} from '../storage/referrals.repository.ts';
import { validationError } from './app-error.ts';
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

/** How many referrals a page of the list shows: a screen or two, a page quick to read and audit. */
export const REFERRAL_PAGE_SIZE = 25;
/** The most an API caller may ask for in one page. */
export const REFERRAL_PAGE_SIZE_MAX = 100;

export interface ReferralListRequest {
  readonly state: ReferralState | null;
  /** The search box as typed (referral-search.ts reads it); empty or absent for every referral. */
  readonly q?: string | null;
  /** From 1; a page past the last shows the last. */
  readonly page?: number;
  readonly pageSize?: number;
}

export interface ReferralListPage {
  readonly rows: readonly ReferralListRow[];
  /** How many referrals match, on every page. */
  readonly total: number;
  /** The page shown (a page asked for past the last is the last). */
  readonly page: number;
  readonly pageSize: number;
  readonly pages: number;
}

/**
 * A page of referrals, most recently received first, in one state or all, matching the search
 * or all. A search that cannot be read is refused naming the box (`q`); a page number that is
 * not a whole number from 1 is the route's to refuse. The view is audited with what was asked
 * (whether a search was made and of what kind, never the words: an NHS number or a name typed
 * there would put patient details in the list's audit row) and how many were shown.
 */
export async function listReferrals(
  deps: ListDeps,
  actor: Actor,
  request: ReferralListRequest,
): Promise<ReferralListPage> {
  const parsed = parseReferralSearch(request.q);
  if (!parsed.ok) {
    throw validationError([parsed.error]);
  }
  const pageSize = Math.min(Math.max(1, request.pageSize ?? REFERRAL_PAGE_SIZE), REFERRAL_PAGE_SIZE_MAX);
  const filter = { state: request.state, search: parsed.search };
  const asked = Math.max(1, request.page ?? 1);
  let result = await listReferralPage(deps.db, filter, { offset: (asked - 1) * pageSize, limit: pageSize });
  const page = clampPage(asked, result.total, pageSize);
  if (page !== asked) {
    result = await listReferralPage(deps.db, filter, { offset: (page - 1) * pageSize, limit: pageSize });
  }
  await auditListView(deps.db, deps.clock, actor, {
    state: request.state,
    ...(parsed.search ? { search: parsed.search.kind } : {}),
    page,
    shown: result.rows.length,
    total: result.total,
  });
  return { ...result, page, pageSize, pages: pageCount(result.total, pageSize) };
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
