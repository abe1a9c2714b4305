import { CONDITION_LABELS, TREATMENT_LABELS, type Condition, type Treatment } from './referral.ts';
import { visibleAnswers, type Answer, type Answers } from './selection-answers.ts';
import { questionsOf, type ProtocolDefinition } from './selection-protocol.ts';

/**
 * What a selection assessment started from a referral begins with: the referral's conditions and
 * the treatments it says were tried, carried into the protocol's questions that ask for them, so
 * nobody types them again. They are answers like any other, shown on the form to check and
 * change; nothing the referral does not say is filled in, and a treatment the referral does not
 * list is left unanswered rather than answered "not tried" (the referrer may not have known).
 */

/** The parts of a referral the assessment carries forward. */
export interface ReferralFacts {
  readonly conditions: readonly Condition[];
  readonly treatmentsTried: readonly Treatment[];
}

/** The answers and what they came from, in words for the form's note. */
export interface ReferralPrefill {
  readonly answers: Answers;
  /** "Oral baclofen: tried" … for the page to say what was filled in. */
  readonly filled: readonly string[];
}

/**
 * The protocol's answers from a referral:
 * - a treatment tried: a question `tried-<treatment>` with a "tried" option is answered "tried"
 *   (the adult protocol's less invasive treatments, clinical-reference.md 2);
 * - conditions: a question whose options are coded by condition (spasticity, dystonia) is
 *   answered with those the referral names (several for a multi-answer question, one for a
 *   single-answer question only when the referral names exactly one of its options).
 * Follow-ups are never filled, and answers to questions not asked are dropped (visibleAnswers).
 */
export function answersFromReferral(protocol: ProtocolDefinition, referral: ReferralFacts): ReferralPrefill {
  const answers: Record<string, Answer> = {};
  const filled: [string, string][] = [];
  for (const q of questionsOf(protocol)) {
    const codes = q.options.map((o) => o.code);
    const treatment = referral.treatmentsTried.find((t) => q.id === `tried-${t}`);
    if (treatment !== undefined && q.kind === 'single' && codes.includes('tried')) {
      answers[q.id] = { value: 'tried', note: null };
      filled.push([q.id, `${TREATMENT_LABELS[treatment]}: tried`]);
      continue;
    }
    const named = referral.conditions.filter((c) => codes.includes(c));
    if (named.length === 0 || q.enableWhen.length > 0) {
      continue;
    }
    if (q.kind === 'multi') {
      answers[q.id] = { value: named, note: null };
    } else if (named.length === 1 && named[0] !== undefined) {
      answers[q.id] = { value: named[0], note: null };
    } else {
      continue;
    }
    filled.push([q.id, `${q.text}: ${named.map((c) => CONDITION_LABELS[c]).join(', ')}`]);
  }
  const kept = visibleAnswers(protocol, answers).answers;
  return { answers: kept, filled: filled.filter(([id]) => id in kept).map(([, text]) => text) };
}
