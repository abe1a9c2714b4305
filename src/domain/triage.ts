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

const triageSchema = z.object({
  outcome: z.enum(TRIAGE_OUTCOMES, { error: 'Select the outcome: accepted, not accepted or redirected' }),
  priority: z
    .enum(PRIORITIES, { error: 'Select the priority: routine or urgent' })
    .nullish()
    .transform((v) => v ?? null),
  advice: optionalText('Advice to the referrer', 5000),
  redirectTo: optionalText('Service redirected to', 200),
  reason: optionalText('Reason for changing the decision', 1000),
});

export interface TriageInput {
  readonly outcome: TriageOutcome;
  readonly priority: Priority | null;
  readonly advice: string | null;
  readonly redirectTo: string | null;
  /** Why an earlier decision is being changed; required when there is one. */
  readonly reason: string | null;
}

/**
 * Each outcome asks for what the referrer needs: a priority when accepted, advice when not
 * accepted, and the service and advice when redirected. A later decision replaces an earlier
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
      reason: context.isChange ? v.reason : null,
    },
  };
}
