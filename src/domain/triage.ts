import { z } from 'zod';
import { zodIssuesToFieldErrors, type FieldError, type Validated } from './field-error.ts';
import { optionalText } from './schema-fields.ts';

/**
 * Consultant triage outcomes [LTH-SEED]: accepted (the patient is seen within the target),
 * not accepted (advice to the referrer) or redirected (to another service, with advice). Three
 * distinct states, each with its time, so the target can be audited (clinical-reference.md 1).
 */
export const TRIAGE_OUTCOMES = ['accepted', 'not-accepted', 'redirected'] as const;
export type TriageOutcome = (typeof TRIAGE_OUTCOMES)[number];
export const TRIAGE_OUTCOME_LABELS: Readonly<Record<TriageOutcome, string>> = {
  accepted: 'Accepted',
  'not-accepted': 'Not accepted',
  redirected: 'Redirected',
};

export const PRIORITIES = ['routine', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const PRIORITY_LABELS: Readonly<Record<Priority, string>> = { routine: 'Routine', urgent: 'Urgent' };

/**
 * How a redirected referral was sent on to the other service, when it was: the letter says "we
 * have redirected it" only when it was, so the referrer never assumes someone else now holds a
 * referral nobody sent.
 */
export const REDIRECT_METHODS = ['e-rs', 'email', 'post'] as const;
export type RedirectMethod = (typeof REDIRECT_METHODS)[number];
export const REDIRECT_METHOD_LABELS: Readonly<Record<RedirectMethod, string>> = {
  'e-rs': 'e-RS (NHS e-Referral Service)',
  email: 'Secure email',
  post: 'Post',
};

/** "yes"/"no" from a form's radios, or a JSON boolean; anything else is left for zod to refuse. */
const yesNo = (v: unknown) => (v === 'yes' ? true : v === 'no' ? false : v === '' ? null : v);

const triageSchema = z.object({
  outcome: z.enum(TRIAGE_OUTCOMES, { error: 'Select the outcome: accepted, not accepted or redirected' }),
  priority: z
    .enum(PRIORITIES, { error: 'Select the priority: routine or urgent' })
    .nullish()
    .transform((v) => v ?? null),
  advice: optionalText('Advice to the referrer', 5000),
  redirectTo: optionalText('Service redirected to', 200),
  redirectSent: z.preprocess(
    yesNo,
    z
      .boolean({ error: 'Select whether the referral has been sent on to the other service: yes or no' })
      .nullish()
      .transform((v) => v ?? null),
  ),
  redirectMethod: z.preprocess(
    (v) => (v === '' ? null : v),
    z
      .enum(REDIRECT_METHODS, { error: 'Select how the referral was sent on: e-RS, secure email or post' })
      .nullish()
      .transform((v) => v ?? null),
  ),
  reason: optionalText('Reason for changing the decision', 1000),
});

export interface TriageInput {
  readonly outcome: TriageOutcome;
  readonly priority: Priority | null;
  readonly advice: string | null;
  readonly redirectTo: string | null;
  /** Whether a redirected referral has been sent on to `redirectTo`; null unless redirected. */
  readonly redirectSent: boolean | null;
  /** How it was sent on; null unless it was. */
  readonly redirectMethod: RedirectMethod | null;
  /** Why an earlier decision is being changed; required when there is one. */
  readonly reason: string | null;
}

/**
 * Each outcome asks for what the referrer needs: a priority when accepted, advice when not
 * accepted, and the service and advice when redirected, with whether and how the referral was
 * sent on. A later decision replaces an earlier
 * one only with a reason, and both are kept.
 */
export function validateTriageInput(
  raw: unknown,
  context: { readonly isChange: boolean },
): Validated<TriageInput> {
  const parsed = triageSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, errors: zodIssuesToFieldErrors(parsed.error.issues) };
  }
  const v = parsed.data;
  const errors: FieldError[] = [];
  if (v.outcome === 'accepted' && v.priority === null) {
    errors.push({ field: 'priority', message: 'Select the priority: routine or urgent' });
  }
  if (v.outcome !== 'accepted' && v.advice === null) {
    errors.push({ field: 'advice', message: 'Enter the advice for the referrer' });
  }
  if (v.outcome === 'redirected' && v.redirectTo === null) {
    errors.push({ field: 'redirectTo', message: 'Enter the service the referral is redirected to' });
  }
  if (v.outcome === 'redirected' && v.redirectSent === null) {
    errors.push({
      field: 'redirectSent',
      message: 'Select whether the referral has been sent on to the other service: yes or no',
    });
  }
  if (v.outcome === 'redirected' && v.redirectSent === true && v.redirectMethod === null) {
    errors.push({
      field: 'redirectMethod',
      message: 'Select how the referral was sent on: e-RS, secure email or post',
    });
  }
  if (context.isChange && v.reason === null) {
    errors.push({ field: 'reason', message: 'Enter the reason for changing the decision' });
  }
  if (errors.length > 0) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    value: {
      outcome: v.outcome,
      priority: v.outcome === 'accepted' ? v.priority : null,
      advice: v.advice,
      redirectTo: v.outcome === 'redirected' ? v.redirectTo : null,
      redirectSent: v.outcome === 'redirected' ? v.redirectSent : null,
      redirectMethod: v.outcome === 'redirected' && v.redirectSent === true ? v.redirectMethod : null,
      reason: context.isChange ? v.reason : null,
    },
  };
}

/**
 * What was done with a redirected referral, in words for the referral page and its timeline:
 * null for other outcomes and for redirects recorded before this was asked.
 */
export function redirectNote(d: {
  readonly outcome: TriageOutcome;
  readonly redirectSent?: boolean | null;
  readonly redirectMethod?: RedirectMethod | null;
}): string | null {
  if (d.outcome !== 'redirected' || d.redirectSent === null || d.redirectSent === undefined) {
    return null;
  }
  if (!d.redirectSent) {
    return 'Not sent on: the referrer was advised to refer there';
  }
  const how = d.redirectMethod ? ` by ${REDIRECT_METHOD_LABELS[d.redirectMethod]}` : '';
  return `Sent on${how}`;
}
