import { sourcesHref, withoutSourceKeys } from '../../../domain/clinical-sources.ts';
import { answerLabels, type Answers } from '../../../domain/selection-answers.ts';
import {
  DECISION_LABELS,
  MDT_DECISIONS,
  agreeingDecisions,
  DECISIONS,
} from '../../../domain/selection-decision.ts';
import {
  CRITERION_ROLE_LABELS,
  CRITERION_ROLES,
  questionsOf,
  type ProtocolDefinition,
} from '../../../domain/selection-protocol.ts';
import {
  SUGGESTION_LABELS,
  type CriterionState,
  type ReasonKind,
  type Suggestion,
} from '../../../domain/selection-suggestion.ts';
import type { AssessmentDetail } from '../../../services/assessment-view-service.ts';
import type { AssessmentState } from '../../../domain/selection-workflow.ts';
import { formList } from '../form.ts';

export const STATE_LABELS: Readonly<Record<AssessmentState, string>> = {
  'in-progress': 'In progress',
  'awaiting-mdt': 'Waiting for MDT discussion',
  decided: 'Decided',
};

const REASON_HEADINGS: Readonly<Record<ReasonKind, string>> = {
  'absolute-present': 'Absolute contraindication present',
  'indication-not-met': 'Indication not met',
  'relative-present': 'Relative contraindications present',
  unknown: 'Not known',
  missing: 'Not answered',
};

const CRITERION_STATE_LABELS: Readonly<Record<CriterionState, string>> = {
  met: 'Met',
  'not-met': 'Not met',
  present: 'Present',
  absent: 'Absent',
  undetermined: 'Not yet known',
};

/** The suggestion's reasons grouped under a heading per kind, in the suggestion's order. */
export function suggestionView(s: Suggestion) {
  const groups: { heading: string; kind: ReasonKind; items: { text: string; note: string | null }[] }[] = [];
  for (const r of s.reasons) {
    let g = groups.find((x) => x.kind === r.kind);
    if (!g) {
      g = { heading: REASON_HEADINGS[r.kind], kind: r.kind, items: [] };
      groups.push(g);
    }
    g.items.push({ text: r.text, note: r.note });
  }
  return { outcome: s.outcome, label: SUGGESTION_LABELS[s.outcome], groups };
}

/** The answers by section for the summary page, with each criterion's state. */
export function answerSections(detail: AssessmentDetail) {
  return CRITERION_ROLES.map((role) => ({
    heading: CRITERION_ROLE_LABELS[role],
    criteria: detail.criteria
      .filter((r) => r.criterion.role === role)
      .map((r) => ({
        label: withoutSourceKeys(r.criterion.label),
        source: withoutSourceKeys(r.criterion.source),
        state: CRITERION_STATE_LABELS[r.state],
        rows: r.criterion.questions
          .filter((q) => detail.assessment.answers[q.id] !== undefined)
          .map((q) => ({
            question: withoutSourceKeys(q.text),
            answer: answerLabels(q, detail.assessment.answers[q.id]).join(', '),
            note: detail.assessment.answers[q.id]?.note ?? null,
          })),
      })),
  })).filter((s) => s.criteria.length > 0);
}

/** The question form: one fieldset per question, grouped by section, filled with the answers. */
export function questionForm(def: ProtocolDefinition, answers: Answers) {
  return CRITERION_ROLES.map((role) => ({
    heading: CRITERION_ROLE_LABELS[role],
    criteria: def.criteria
      .filter((c) => c.role === role)
      .map((c) => ({
        label: withoutSourceKeys(c.label),
        source: withoutSourceKeys(c.source),
        // One link for the criterion, to the first source its source, questions or hints cite.
        sourcesHref: sourcesHref(
          [c.source, c.label, ...c.questions.flatMap((q) => [q.text, q.hint ?? ''])].join(' '),
        ),
        questions: c.questions.map((q) => {
          const a = answers[q.id];
          const chosen = a === undefined ? [] : typeof a.value === 'string' ? [a.value] : a.value;
          return {
            id: q.id,
            text: withoutSourceKeys(q.text),
            hint: q.hint === undefined ? null : withoutSourceKeys(q.hint),
            kind: q.kind,
            followUp: q.enableWhen.length > 0,
            takesNote: q.note === 'optional',
            note: a?.note ?? '',
            items: q.options.map((o) => ({ value: o.code, text: o.label, checked: chosen.includes(o.code) })),
          };
        }),
      })),
  })).filter((s) => s.criteria.length > 0);
}

/** The answers from the form's fields (`q-ID` for the answer, `n-ID` for its note). */
export function answersFromForm(def: ProtocolDefinition, body: unknown, f: Record<string, string>) {
  const out: Record<string, { value: string | string[]; note: string }> = {};
  for (const q of questionsOf(def)) {
    const value = q.kind === 'multi' ? formList(body, `q-${q.id}`) : (f[`q-${q.id}`] ?? '');
    const note = f[`n-${q.id}`] ?? '';
    if ((Array.isArray(value) ? value.length > 0 : value !== '') || note.trim() !== '') {
      out[q.id] = { value, note };
    }
  }
  return out;
}

/** Where each answer's error links to in the form. */
export function answerHrefs(def: ProtocolDefinition): Record<string, string> {
  return Object.fromEntries(
    questionsOf(def).flatMap((q) => [
      [`answers.${q.id}`, `q-${q.id}`],
      [`answers.${q.id}.note`, `n-${q.id}`],
    ]),
  );
}

/** Radio items for the clinician's decision, saying which follow the suggestion. */
export function decisionItems(s: Suggestion, checked: string | undefined) {
  const agreeing = agreeingDecisions(s.outcome);
  return DECISIONS.map((d) => ({
    value: d,
    text: DECISION_LABELS[d],
    checked: checked === d,
    hint: {
      text: agreeing.includes(d) ? 'Follows the suggestion' : 'Differs from the suggestion: give a reason',
    },
  }));
}

export function mdtDecisionItems(checked: string | undefined) {
  return MDT_DECISIONS.map((d) => ({ value: d, text: DECISION_LABELS[d], checked: checked === d }));
}
