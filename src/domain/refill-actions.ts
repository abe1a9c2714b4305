import type { RefillComplication } from './refill-input.ts';
import { isRole, roleHasPermission, type Permission } from './roles.ts';

/**
 * Who may do what to a refill once it is recorded, in one place: the refill page shows a form
 * only when this allows it, and the services refuse what this refuses, with the first reason it
 * gives. A second experienced provider checks every refill (clinical-reference.md 6, refill
 * procedure step 9), so the review, the signature, the rejection and the decision on a volume
 * correction are never by the person whose work they check.
 */

/** 'voided': rejected by the checker before signing; kept, with every value, in the history. */
export const REFILL_STATES = ['recorded', 'signed', 'voided'] as const;
export type RefillState = (typeof REFILL_STATES)[number];

/** 'applied' at once (batch, expiry, notes); a volume correction waits 'pending' for a second clinician. */
export const AMENDMENT_STATES = ['applied', 'pending', 'confirmed', 'rejected'] as const;
export type AmendmentState = (typeof AMENDMENT_STATES)[number];

export type RefillAction = 'review' | 'sign' | 'reject' | 'amend' | 'amendVolumes' | 'decideCorrection';

/** The permission each action needs (roles.ts); the routes ask for the same. */
export const REFILL_ACTION_PERMISSIONS: Readonly<Record<RefillAction, Permission>> = {
  review: 'refill:record',
  sign: 'dose:check',
  reject: 'dose:check',
  amend: 'refill:record',
  amendVolumes: 'refill:record',
  decideCorrection: 'dose:check',
};

/** Why an action is not allowed. */
export type RefillBlocker =
  /** The user's role lacks the action's permission. */
  | 'NOT_PERMITTED'
  /** Rejected by the checker: a new refill is recorded in its place. */
  | 'VOIDED'
  /** Signed: it is only amended now. */
  | 'SIGNED'
  /** Not signed yet: there is nothing to amend. */
  | 'NOT_SIGNED'
  /** Nothing was found that needs a review. */
  | 'NO_REVIEW_NEEDED'
  /** The user did the refill. */
  | 'PERFORMER'
  /** A review is needed and not yet written. */
  | 'REVIEW_PENDING'
  /** A volume correction already waits for a second clinician. */
  | 'CORRECTION_PENDING'
  /** The correction is not waiting: confirmed or rejected already. */
  | 'CORRECTION_DECIDED'
  /** The user proposed the correction. */
  | 'CORRECTION_AUTHOR';

/** What the rules read about a refill. */
export interface RefillForActions {
  readonly state: RefillState;
  readonly performedBy: string;
  readonly flagged: boolean;
  readonly complications: readonly RefillComplication[];
  readonly reviewNote: string | null;
}

/** The volume correction concerned: the one waiting (page, new correction) or the one decided. */
export interface CorrectionForActions {
  readonly state: AmendmentState;
  readonly amendedBy: string;
}

export interface ActingUser {
  readonly id: string;
  readonly role: string;
}

export interface RefillActions {
  readonly needsReview: boolean;
  /** A review is needed and none is written yet. */
  readonly reviewPending: boolean;
  readonly isPerformer: boolean;
  readonly canReview: boolean;
  /**
   * The page offers the review form only while no review is written. A later review is still
   * accepted: it replaces the note and moves the version, so a signer who read the old one is
   * told the refill changed.
   */
  readonly offerReview: boolean;
  readonly canSign: boolean;
  readonly canReject: boolean;
  readonly canAmend: boolean;
  readonly canAmendVolumes: boolean;
  readonly canDecideAmendment: boolean;
  /** Why each action is not allowed, the reason to report first first; empty when it is. */
  readonly blockers: Readonly<Record<RefillAction, readonly RefillBlocker[]>>;
}

/** Needs review before signing: any flag (refill-findings.ts), or a suspected pocket fill. */
export function needsReview(refill: Pick<RefillForActions, 'flagged' | 'complications'>): boolean {
  return refill.flagged || refill.complications.includes('suspected-pocket-fill');
}

function awaitingCheck(state: RefillState): RefillBlocker[] {
  return state === 'voided' ? ['VOIDED'] : state === 'signed' ? ['SIGNED'] : [];
}

function signedOnly(state: RefillState): RefillBlocker[] {
  return state === 'voided' ? ['VOIDED'] : state === 'recorded' ? ['NOT_SIGNED'] : [];
}

/**
 * What `user` may do to `refill`. `correction` is the volume correction concerned: on the page
 * and for a new correction, the one waiting (or null); for a decision, the one decided.
 */
export function refillActions(
  refill: RefillForActions,
  user: ActingUser,
  correction: CorrectionForActions | null = null,
): RefillActions {
  const permitted = (action: RefillAction): RefillBlocker[] =>
    isRole(user.role) && roleHasPermission(user.role, REFILL_ACTION_PERMISSIONS[action])
      ? []
      : ['NOT_PERMITTED'];
  const review = needsReview(refill);
  const reviewPending = review && refill.reviewNote === null;
  const isPerformer = refill.performedBy === user.id;
  const performer: RefillBlocker[] = isPerformer ? ['PERFORMER'] : [];
  const waiting = correction?.state === 'pending';
  const blockers: Record<RefillAction, RefillBlocker[]> = {
    review: [
      ...permitted('review'),
      ...awaitingCheck(refill.state),
      ...(review ? [] : ['NO_REVIEW_NEEDED' as const]),
      ...performer,
    ],
    sign: [
      ...permitted('sign'),
      ...awaitingCheck(refill.state),
      ...performer,
      ...(reviewPending ? ['REVIEW_PENDING' as const] : []),
    ],
    reject: [...permitted('reject'), ...awaitingCheck(refill.state), ...performer],
    amend: [...permitted('amend'), ...signedOnly(refill.state)],
    amendVolumes: [
      ...permitted('amendVolumes'),
      ...signedOnly(refill.state),
      ...(waiting ? ['CORRECTION_PENDING' as const] : []),
    ],
    decideCorrection: [
      ...permitted('decideCorrection'),
      ...(waiting ? [] : ['CORRECTION_DECIDED' as const]),
      ...(correction !== null && correction.amendedBy === user.id ? ['CORRECTION_AUTHOR' as const] : []),
      ...signedOnly(refill.state),
    ],
  };
  const can = (action: RefillAction) => blockers[action].length === 0;
  return {
    needsReview: review,
    reviewPending,
    isPerformer,
    canReview: can('review'),
    offerReview: can('review') && reviewPending,
    canSign: can('sign'),
    canReject: can('reject'),
    canAmend: can('amend'),
    canAmendVolumes: can('amendVolumes'),
    canDecideAmendment: can('decideCorrection'),
    blockers,
  };
}
