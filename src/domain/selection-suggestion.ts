import { chosenCodes, isEnabled, visibleAnswers, type Answer, type Answers } from './selection-answers.ts';
import type { Criterion, Meaning, ProtocolDefinition, Question } from './selection-protocol.ts';

/**
 * The suggestion the protocol makes from the answers [LTH-SEED]. It is advice: the clinician
 * records the decision, and a decision that differs needs a reason (selection-decision.ts).
 */
export const SUGGESTION_OUTCOMES = [
  'contraindicated',
  'not-yet-suitable',
  'incomplete',
  'suitable-discuss-mdt',
  'suitable',
] as const;
export type SuggestionOutcome = (typeof SUGGESTION_OUTCOMES)[number];

export const SUGGESTION_LABELS: Readonly<Record<SuggestionOutcome, string>> = {
  contraindicated: 'Contraindicated',
  'not-yet-suitable': 'Not yet suitable',
  incomplete: 'Incomplete',
  'suitable-discuss-mdt': 'Suitable – discuss at MDT',
  suitable: 'Suitable',
};

export type ReasonKind =
  'absolute-present' | 'indication-not-met' | 'relative-present' | 'unknown' | 'missing';

export interface SuggestionReason {
  readonly kind: ReasonKind;
  readonly criterionId: string;
  /** The criterion's label, or for unknown and missing answers the question's text. */
  readonly text: string;
  readonly questionId: string | null;
  readonly note: string | null;
}

export interface Suggestion {
  readonly outcome: SuggestionOutcome;
  /** Every reason, in the order: absolute, indications not met, relative, unknown, missing. */
  readonly reasons: readonly SuggestionReason[];
  readonly protocol: { readonly code: string; readonly version: number };
}

export type CriterionState = 'met' | 'not-met' | 'present' | 'absent' | 'undetermined';

export interface CriterionResult {
  readonly criterion: Criterion;
  readonly state: CriterionState;
  readonly unknown: readonly Question[];
  readonly missing: readonly Question[];
  /** The notes on the deciding answers that made the criterion hold, for the reasons. */
  readonly notes: readonly string[];
}

function meaningOf(q: Question, a: Answer | undefined): Meaning | null {
  const code = chosenCodes(a)[0];
  return code === undefined ? null : (q.options.find((o) => o.code === code)?.meaning ?? null);
}

/** One criterion's state from the answers to the questions that are asked. */
export function evaluateCriterion(criterion: Criterion, answers: Answers): CriterionResult {
  const asked = criterion.questions.filter((q) => isEnabled(q, answers));
  const missing = asked.filter((q) => answers[q.id] === undefined);
  const deciding = asked.filter((q) => q.decides);
  const meanings = deciding.map((q) => meaningOf(q, answers[q.id]));
  const unknown = deciding.filter((_q, i) => meanings[i] === 'unknown');
  const yes = meanings.filter((m) => m === 'yes').length;
  const open = meanings.filter((m) => m !== 'yes' && m !== 'no').length;
  const notes = deciding
    .filter((_q, i) => meanings[i] === 'yes')
    .map((q) => answers[q.id]?.note ?? null)
    .filter((n): n is string => n !== null);
  let state: CriterionState;
  if (criterion.role === 'indication') {
    state = yes >= criterion.atLeast ? 'met' : yes + open < criterion.atLeast ? 'not-met' : 'undetermined';
  } else {
    state = yes > 0 ? 'present' : open > 0 ? 'undetermined' : 'absent';
  }
  return { criterion, state, unknown, missing, notes };
}

/**
 * The suggestion, a pure function of the protocol version and the answers:
 * - contraindicated: an absolute contraindication is present;
 * - not yet suitable: an indication is not met;
 * - incomplete: an answer is unknown or missing (each listed);
 * - suitable – discuss at MDT: relative contraindications are present (each listed);
 * - suitable: every indication met, nothing contraindicating, nothing unknown.
 * The earlier outcome wins, but every reason is listed whatever the outcome, so a clinician
 * sees all that the answers show. Answers to hidden questions are dropped first, so they can
 * never count (hazard H-014).
 */
export function suggest(protocol: ProtocolDefinition, given: Answers): Suggestion {
  const { answers } = visibleAnswers(protocol, given);
  const results = protocol.criteria.map((c) => evaluateCriterion(c, answers));
  const reason = (r: CriterionResult, kind: ReasonKind): SuggestionReason => ({
    kind,
    criterionId: r.criterion.id,
    text: r.criterion.label,
    questionId: null,
    note: r.notes.length > 0 ? r.notes.join('; ') : null,
  });
  const absolute = results.filter((r) => r.criterion.role === 'absolute' && r.state === 'present');
  const notMet = results.filter((r) => r.criterion.role === 'indication' && r.state === 'not-met');
  const relative = results.filter((r) => r.criterion.role === 'relative' && r.state === 'present');
  const open = (pick: (r: CriterionResult) => readonly Question[], kind: ReasonKind) =>
    results.flatMap((r) =>
      pick(r).map((q) => ({
        kind,
        criterionId: r.criterion.id,
        text: q.text,
        questionId: q.id,
        note: answers[q.id]?.note ?? null,
      })),
    );
  const unknown = open((r) => r.unknown, 'unknown');
  const missing = open((r) => r.missing, 'missing');
  const reasons = [
    ...absolute.map((r) => reason(r, 'absolute-present')),
    ...notMet.map((r) => ({ ...reason(r, 'indication-not-met'), note: null })),
    ...relative.map((r) => reason(r, 'relative-present')),
    ...unknown,
    ...missing,
  ];
  const outcome: SuggestionOutcome =
    absolute.length > 0
      ? 'contraindicated'
      : notMet.length > 0
        ? 'not-yet-suitable'
        : unknown.length + missing.length > 0
          ? 'incomplete'
          : relative.length > 0
            ? 'suitable-discuss-mdt'
            : 'suitable';
  return { outcome, reasons, protocol: { code: protocol.code, version: protocol.version } };
}

/** Each criterion's state, for the assessment summary page. */
export function criterionResults(protocol: ProtocolDefinition, given: Answers): readonly CriterionResult[] {
  const { answers } = visibleAnswers(protocol, given);
  return protocol.criteria.map((c) => evaluateCriterion(c, answers));
}
