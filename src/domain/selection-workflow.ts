import type { Decision } from './selection-decision.ts';

/**
 * Where a selection assessment stands: answers are gathered while it is in progress, the
 * clinician's decision settles it or sends it to the MDT meeting, whose outcome settles it
 * [LTH-SEED]. The service enforces these rules and the pages ask the same functions which
 * forms to show, so the two cannot disagree.
 */
export const ASSESSMENT_STATES = ['in-progress', 'awaiting-mdt', 'decided'] as const;
export type AssessmentState = (typeof ASSESSMENT_STATES)[number];

/** Who records a decision: the clinician after the assessment, or the MDT meeting. */
export type DecisionKind = 'clinician' | 'mdt';

/**
 * Answers can change only until the first decision: the recorded decision and the suggestion
 * kept with it rest on the answers as they then stood.
 */
export function answersCanChange(state: AssessmentState): boolean {
  return state === 'in-progress';
}

/** Whether a decision of this kind can be recorded now: the clinician's first, then the MDT's. */
export function awaitsDecision(state: AssessmentState, kind: DecisionKind): boolean {
  return state === (kind === 'mdt' ? 'awaiting-mdt' : 'in-progress');
}

/** "Discuss at MDT" puts the patient on the MDT list; any other decision settles the assessment. */
export function stateAfterDecision(decision: Decision): AssessmentState {
  return decision === 'discuss-at-mdt' ? 'awaiting-mdt' : 'decided';
}
