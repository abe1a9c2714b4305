import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  refillActions,
  type CorrectionForActions,
  type RefillAction,
  type RefillBlocker,
  type RefillForActions,
} from './refill-actions.ts';

const NINA = { id: 'nina', role: 'nurse-specialist' }; // did the refill
const NORA = { id: 'nora', role: 'nurse-specialist' };
const CARL = { id: 'carl', role: 'consultant' };
const BEA = { id: 'bea', role: 'booking-coordinator' }; // books refills; records and checks none

const recorded: RefillForActions = {
  state: 'recorded',
  performedBy: 'nina',
  flagged: false,
  complications: [],
  reviewNote: null,
};
const flagged: RefillForActions = { ...recorded, flagged: true };
const pocketFill: RefillForActions = { ...recorded, complications: ['suspected-pocket-fill'] };
const reviewed: RefillForActions = { ...flagged, reviewNote: 'Two boluses not on the programmer' };
const signed: RefillForActions = { ...recorded, state: 'signed' };
const voided: RefillForActions = { ...recorded, state: 'voided' };
const pendingByNora: CorrectionForActions = { state: 'pending', amendedBy: 'nora' };
const confirmed: CorrectionForActions = { state: 'confirmed', amendedBy: 'nora' };

interface Case {
  readonly name: string;
  readonly refill: RefillForActions;
  readonly user: { readonly id: string; readonly role: string };
  readonly correction?: CorrectionForActions;
  readonly action: RefillAction;
  /** Why it is refused, first reason first; empty when allowed. */
  readonly blockers: readonly RefillBlocker[];
}

const CASES: readonly Case[] = [
  // The review of a flag or a suspected pocket fill: never by the person who did the refill.
  {
    name: 'another nurse reviews a flagged refill',
    refill: flagged,
    user: NORA,
    action: 'review',
    blockers: [],
  },
  {
    name: 'a suspected pocket fill needs a review',
    refill: pocketFill,
    user: NORA,
    action: 'review',
    blockers: [],
  },
  {
    name: 'the performer may not review',
    refill: flagged,
    user: NINA,
    action: 'review',
    blockers: ['PERFORMER'],
  },
  {
    name: 'a refill with nothing found needs no review',
    refill: recorded,
    user: NORA,
    action: 'review',
    blockers: ['NO_REVIEW_NEEDED'],
  },
  {
    name: 'a booking coordinator may not review',
    refill: flagged,
    user: BEA,
    action: 'review',
    blockers: ['NOT_PERMITTED'],
  },
  {
    name: 'a signed refill is not reviewed',
    refill: { ...signed, flagged: true },
    user: NORA,
    action: 'review',
    blockers: ['SIGNED'],
  },
  {
    name: 'a voided refill is not reviewed',
    refill: { ...voided, flagged: true },
    user: NORA,
    action: 'review',
    blockers: ['VOIDED'],
  },
  // The signature: a different clinician, after any review needed.
  {
    name: 'the consultant signs an unflagged refill',
    refill: recorded,
    user: CARL,
    action: 'sign',
    blockers: [],
  },
  { name: 'a nurse who did not do it may sign', refill: recorded, user: NORA, action: 'sign', blockers: [] },
  { name: 'the consultant signs once reviewed', refill: reviewed, user: CARL, action: 'sign', blockers: [] },
  {
    name: 'not before the review',
    refill: flagged,
    user: CARL,
    action: 'sign',
    blockers: ['REVIEW_PENDING'],
  },
  { name: 'not by the performer', refill: recorded, user: NINA, action: 'sign', blockers: ['PERFORMER'] },
  {
    name: 'the performer of an unreviewed refill: both, the performer first',
    refill: flagged,
    user: NINA,
    action: 'sign',
    blockers: ['PERFORMER', 'REVIEW_PENDING'],
  },
  { name: 'not signed twice', refill: signed, user: CARL, action: 'sign', blockers: ['SIGNED'] },
  { name: 'not once voided', refill: voided, user: CARL, action: 'sign', blockers: ['VOIDED'] },
  {
    name: 'not by a booking coordinator',
    refill: recorded,
    user: BEA,
    action: 'sign',
    blockers: ['NOT_PERMITTED'],
  },
  // The checker's rejection.
  {
    name: 'the consultant rejects before review',
    refill: flagged,
    user: CARL,
    action: 'reject',
    blockers: [],
  },
  {
    name: 'the performer may not reject',
    refill: recorded,
    user: NINA,
    action: 'reject',
    blockers: ['PERFORMER'],
  },
  {
    name: 'a signed refill is not rejected',
    refill: signed,
    user: CARL,
    action: 'reject',
    blockers: ['SIGNED'],
  },
  // Amendments: to a signed refill, by anyone who records refills, the performer included.
  { name: 'the performer amends a signed refill', refill: signed, user: NINA, action: 'amend', blockers: [] },
  {
    name: 'an unsigned refill is not amended',
    refill: recorded,
    user: NINA,
    action: 'amend',
    blockers: ['NOT_SIGNED'],
  },
  {
    name: 'a voided refill is not amended',
    refill: voided,
    user: NINA,
    action: 'amend',
    blockers: ['VOIDED'],
  },
  { name: 'a consultant may amend', refill: signed, user: CARL, action: 'amend', blockers: [] },
  {
    name: 'a booking coordinator may not amend',
    refill: signed,
    user: BEA,
    action: 'amend',
    blockers: ['NOT_PERMITTED'],
  },
  {
    name: 'volumes corrected on a signed refill',
    refill: signed,
    user: NINA,
    action: 'amendVolumes',
    blockers: [],
  },
  {
    name: 'one volume correction at a time',
    refill: signed,
    user: NINA,
    correction: pendingByNora,
    action: 'amendVolumes',
    blockers: ['CORRECTION_PENDING'],
  },
  {
    name: 'a decided correction does not hold up the next',
    refill: signed,
    user: NINA,
    correction: confirmed,
    action: 'amendVolumes',
    blockers: [],
  },
  // A volume correction is confirmed or rejected by someone other than its author.
  {
    name: 'the consultant decides a nurse’s correction',
    refill: signed,
    user: CARL,
    correction: pendingByNora,
    action: 'decideCorrection',
    blockers: [],
  },
  {
    name: 'the performer may decide another’s correction',
    refill: signed,
    user: NINA,
    correction: pendingByNora,
    action: 'decideCorrection',
    blockers: [],
  },
  {
    name: 'not by its author',
    refill: signed,
    user: NORA,
    correction: pendingByNora,
    action: 'decideCorrection',
    blockers: ['CORRECTION_AUTHOR'],
  },
  {
    name: 'not twice',
    refill: signed,
    user: CARL,
    correction: confirmed,
    action: 'decideCorrection',
    blockers: ['CORRECTION_DECIDED'],
  },
  {
    name: 'nothing to decide without a correction',
    refill: signed,
    user: CARL,
    action: 'decideCorrection',
    blockers: ['CORRECTION_DECIDED'],
  },
  {
    name: 'not by a booking coordinator',
    refill: signed,
    user: BEA,
    correction: pendingByNora,
    action: 'decideCorrection',
    blockers: ['NOT_PERMITTED'],
  },
];

describe('refillActions', () => {
  for (const c of CASES) {
    it(`${c.action}: ${c.name}`, () => {
      const actions = refillActions(c.refill, c.user, c.correction ?? null);
      assert.deepEqual(actions.blockers[c.action], c.blockers);
      const allowed = {
        review: actions.canReview,
        sign: actions.canSign,
        reject: actions.canReject,
        amend: actions.canAmend,
        amendVolumes: actions.canAmendVolumes,
        decideCorrection: actions.canDecideAmendment,
      }[c.action];
      assert.equal(allowed, c.blockers.length === 0);
    });
  }

  it('offers the review form only while no review is written, though a later one is accepted', () => {
    assert.equal(refillActions(flagged, NORA).offerReview, true);
    const again = refillActions(reviewed, NORA);
    assert.equal(again.canReview, true);
    assert.equal(again.offerReview, false);
    assert.equal(again.reviewPending, false);
  });

  it('says whether a review is needed and pending, and who did the refill', () => {
    const a = refillActions(pocketFill, NINA);
    assert.deepEqual([a.needsReview, a.reviewPending, a.isPerformer], [true, true, true]);
    const b = refillActions(recorded, CARL);
    assert.deepEqual([b.needsReview, b.reviewPending, b.isPerformer], [false, false, false]);
  });
});
