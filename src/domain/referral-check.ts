import type { FieldError, Validated } from './field-error.ts';
import { SOURCE_LABELS, type ReferralSource, type ReferrerGrade } from './referral.ts';

/**
 * Consultants in the trust refer to the service by email; GP practices refer through e-RS
 * [LTH-SEED] (clinical-reference.md 1). An email referral from anyone who is not recorded as a
 * consultant (a registrar, a GP, a nurse) is therefore not filed as a consultant referral: it is
 * marked "needs checking", with why, until a consultant clears the mark in writing (audited) or
 * it is closed as not accepted or redirected so that it can come back through the right channel.
 * While the mark stands, the referral cannot be accepted.
 */
export const CHECK_REASONS = ['referrer-not-consultant', 'referrer-grade-not-recorded'] as const;
export type CheckReason = (typeof CHECK_REASONS)[number];

/** The mark on a referral: why it was made and, once cleared, by whom and with what note. */
export interface ReferralCheck {
  readonly reason: CheckReason;
  readonly clearedAt: string | null;
  readonly clearedBy: string | null;
  readonly clearedNote: string | null;
}

/** Who the referrer is, in a sentence ("from a registrar …"). */
const FROM: Readonly<Record<ReferrerGrade, string>> = {
  consultant: 'a consultant',
  registrar: 'a registrar or other doctor in training',
  'other-doctor': 'a specialty doctor or other hospital doctor',
  gp: 'a GP',
  nurse: 'a nurse',
  therapist: 'a therapist',
  other: 'another professional',
};

interface ReferrerFacts {
  readonly source: ReferralSource;
  readonly referrerGrade: ReferrerGrade | null;
}

/** Why a new referral must be checked by a consultant, or null when it need not be. */
export function checkReasonFor(r: ReferrerFacts): CheckReason | null {
  if (r.source !== 'email') {
    return null;
  }
  if (r.referrerGrade === null) {
    return 'referrer-grade-not-recorded';
  }
  return r.referrerGrade === 'consultant' ? null : 'referrer-not-consultant';
}

/** The mark stands: made and not yet cleared. */
export function needsChecking(check: ReferralCheck | null): boolean {
  return check !== null && check.clearedAt === null;
}

/** Why the referral needs checking, in words for the referral page and the triage queue. */
export function checkReasonText(
  reason: CheckReason,
  r: ReferrerFacts & { readonly referrerRole: string },
): string {
  const then =
    'Email referrals are taken from consultants; others refer through e-RS. A consultant must check it before it can be accepted.';
  if (reason === 'referrer-grade-not-recorded') {
    return `Email referral whose referrer's grade was not recorded, so it is not known to come from a consultant. ${then}`;
  }
  const from = r.referrerGrade === null ? 'someone' : FROM[r.referrerGrade];
  // The role is free text as the referrer gave it; labelled so it never reads as the grade.
  return `Email referral from ${from} (role given: ${r.referrerRole}), not a consultant. ${then}`;
}

/**
 * How the referral arrived, in words. Only an email referral from a recorded consultant is a
 * "consultant email"; any other email referral is shown as what it is.
 */
export function referralSourceLabel(r: ReferrerFacts): string {
  if (r.source === 'e-rs' || r.referrerGrade === 'consultant') {
    return SOURCE_LABELS[r.source];
  }
  return r.referrerGrade === null
    ? "Email (the referrer's grade was not recorded)"
    : `Email from ${FROM[r.referrerGrade]}, not a consultant`;
}

export const CLEAR_NOTE_MAX = 1000;

/** The note a consultant writes when clearing the mark: why the referral can stand. */
export function validateClearNote(raw: unknown): Validated<string> {
  const errors: FieldError[] = [];
  const note = typeof raw === 'string' ? raw.trim() : '';
  if (raw !== undefined && raw !== null && typeof raw !== 'string') {
    errors.push({ field: 'note', message: 'Note must be text' });
  } else if (note === '') {
    errors.push({
      field: 'note',
      message: 'Enter why this referral can stand, for example which consultant supports it',
    });
  } else if (note.length > CLEAR_NOTE_MAX) {
    errors.push({ field: 'note', message: `Note must be ${String(CLEAR_NOTE_MAX)} characters or fewer` });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: note };
}
