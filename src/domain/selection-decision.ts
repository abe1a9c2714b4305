import { z } from 'zod';
import { daysBetween, type PlainDate } from './calendar-date.ts';
import { zodIssuesToFieldErrors, type FieldError, type Validated } from './field-error.ts';
import { optionalText, plainDateField, requiredText } from './schema-fields.ts';
import type { SuggestionOutcome } from './selection-suggestion.ts';

/** What the clinician decides after the assessment [LTH-SEED]. */
export const DECISIONS = ['proceed-to-test-dose', 'not-suitable', 'defer', 'discuss-at-mdt'] as const;
export type Decision = (typeof DECISIONS)[number];
export const DECISION_LABELS: Readonly<Record<Decision, string>> = {
  'proceed-to-test-dose': 'Proceed to test dose',
  'not-suitable': 'Not suitable',
  defer: 'Defer',
  'discuss-at-mdt': 'Discuss at MDT',
};

/** What an MDT meeting can decide: it does not send the patient back to itself. */
export const MDT_DECISIONS = ['proceed-to-test-dose', 'not-suitable', 'defer'] as const;
export type MdtDecision = (typeof MDT_DECISIONS)[number];

/**
 * The decisions that follow the suggestion. Any other needs a reason, and both are kept, so
 * an audit can find every departure from the protocol. "Not yet suitable" is met by
 * deciding not suitable or by deferring until, say, another treatment has been tried.
 */
const AGREEING: Readonly<Record<SuggestionOutcome, readonly Decision[]>> = {
  suitable: ['proceed-to-test-dose'],
  'suitable-discuss-mdt': ['discuss-at-mdt'],
  'not-yet-suitable': ['not-suitable', 'defer'],
  contraindicated: ['not-suitable'],
  incomplete: ['defer'],
};

/**
 * Whether a decision follows the suggestion. At an MDT meeting, a case the protocol sent for
 * discussion may go any way: that is what the meeting is for.
 */
export function agreesWithSuggestion(
  kind: 'clinician' | 'mdt',
  decision: Decision,
  outcome: SuggestionOutcome,
) {
  if (kind === 'mdt' && outcome === 'suitable-discuss-mdt') {
    return true;
  }
  return AGREEING[outcome].includes(decision);
}

export function agreeingDecisions(outcome: SuggestionOutcome): readonly Decision[] {
  return AGREEING[outcome];
}

export interface DecisionInput {
  readonly decision: Decision;
  readonly reason: string | null;
  readonly note: string | null;
}

const reasonField = optionalText('Reason for differing from the suggestion', 2000);
const decisionSchema = z.object({
  decision: z.enum(DECISIONS, {
    error: 'Select the decision: proceed to test dose, not suitable, defer or discuss at MDT',
  }),
  reason: reasonField,
  note: optionalText('Note', 2000),
});

function needReason(agrees: boolean, reason: string | null): FieldError[] {
  return !agrees && reason === null
    ? [{ field: 'reason', message: 'Enter the reason for a decision that differs from the suggestion' }]
    : [];
}

/** The clinician's decision; a reason is required when it differs from the suggestion. */
export function validateDecisionInput(raw: unknown, outcome: SuggestionOutcome): Validated<DecisionInput> {
  const parsed = decisionSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, errors: zodIssuesToFieldErrors(parsed.error.issues) };
  }
  const v = parsed.data;
  const agrees = agreesWithSuggestion('clinician', v.decision, outcome);
  const errors = needReason(agrees, v.reason);
  return errors.length > 0
    ? { ok: false, errors }
    : { ok: true, value: { decision: v.decision, reason: agrees ? null : v.reason, note: v.note } };
}

export interface MdtOutcomeInput {
  readonly decision: MdtDecision;
  readonly meetingOn: PlainDate;
  readonly attendees: string | null;
  readonly note: string;
  readonly reason: string | null;
}

const mdtSchema = z.object({
  decision: z.enum(MDT_DECISIONS, {
    error: 'Select the MDT outcome: proceed to test dose, not suitable or defer',
  }),
  meetingOn: plainDateField('Meeting date'),
  attendees: optionalText('Who attended', 1000),
  note: requiredText('Summary of the discussion', 4000),
  reason: reasonField,
});

/**
 * The MDT meeting's outcome: the meeting date (not in the future, not before the assessment
 * began), a summary of the discussion, and a reason when it differs from the suggestion.
 */
export function validateMdtOutcomeInput(
  raw: unknown,
  context: { readonly outcome: SuggestionOutcome; readonly today: PlainDate; readonly startedOn: PlainDate },
): Validated<MdtOutcomeInput> {
  const parsed = mdtSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, errors: zodIssuesToFieldErrors(parsed.error.issues) };
  }
  const v = parsed.data;
  const errors: FieldError[] = [];
  if (daysBetween(context.today, v.meetingOn) > 0) {
    errors.push({ field: 'meetingOn', message: 'Meeting date must be today or in the past' });
  } else if (daysBetween(context.startedOn, v.meetingOn) < 0) {
    errors.push({
      field: 'meetingOn',
      message: 'Meeting date must be on or after the day the assessment began',
    });
  }
  const agrees = agreesWithSuggestion('mdt', v.decision, context.outcome);
  errors.push(...needReason(agrees, v.reason));
  return errors.length > 0
    ? { ok: false, errors }
    : {
        ok: true,
        value: {
          decision: v.decision,
          meetingOn: v.meetingOn,
          attendees: v.attendees,
          note: v.note,
          reason: agrees ? null : v.reason,
        },
      };
}
