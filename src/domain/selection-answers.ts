import type { FieldError, Validated } from './field-error.ts';
import { questionsOf, type ProtocolDefinition, type Question } from './selection-protocol.ts';

/** One answer: an option code (or several for a multi-answer question) and an optional note. */
export interface Answer {
  readonly value: string | readonly string[];
  readonly note: string | null;
}
export type Answers = Readonly<Record<string, Answer>>;

export const NOTE_MAX = 2000;

function chosen(answer: Answer | undefined): readonly string[] {
  if (!answer) {
    return [];
  }
  return typeof answer.value === 'string' ? [answer.value] : answer.value;
}

/** Whether a question is asked, given the answers kept so far. */
export function isEnabled(question: Question, kept: Answers): boolean {
  return question.enableWhen.every((w) => chosen(kept[w.question]).some((a) => w.answerIn.includes(a)));
}

export interface VisibleAnswers {
  readonly answers: Answers;
  /** Answers given to questions the protocol does not ask, given the other answers. */
  readonly dropped: readonly string[];
}

/**
 * Keeps only the answers to questions the protocol asks. A follow-up answered and then made
 * irrelevant by changing the earlier answer is dropped, never stored or counted: Medplum kept
 * answers to questions later hidden by enableWhen (medplum#8993), a known clinical-safety bug
 * (hazard H-014). Questions are walked in order, so a chain of follow-ups falls together.
 */
export function visibleAnswers(protocol: ProtocolDefinition, answers: Answers): VisibleAnswers {
  const kept: Record<string, Answer> = {};
  const dropped: string[] = [];
  const known = new Set<string>();
  for (const q of questionsOf(protocol)) {
    known.add(q.id);
    const a = answers[q.id];
    if (a === undefined) {
      continue;
    }
    if (isEnabled(q, kept)) {
      kept[q.id] = a;
    } else {
      dropped.push(q.id);
    }
  }
  for (const id of Object.keys(answers)) {
    if (!known.has(id)) {
      dropped.push(id);
    }
  }
  return { answers: kept, dropped };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Checks raw answers (from the form or the API) against the protocol's questions: every key
 * must be a question, every value one of its options, notes only where the protocol takes
 * them. An empty value means "not answered" and is left out. Hidden answers are then dropped
 * (see visibleAnswers) and reported.
 */
export function validateAnswers(protocol: ProtocolDefinition, raw: unknown): Validated<VisibleAnswers> {
  if (!isRecord(raw)) {
    return {
      ok: false,
      errors: [{ field: 'answers', message: 'Answers must be an object keyed by question id' }],
    };
  }
  const byId = new Map(questionsOf(protocol).map((q) => [q.id, q]));
  const errors: FieldError[] = [];
  const answers: Record<string, Answer> = {};
  for (const [id, entry] of Object.entries(raw)) {
    const field = `answers.${id}`;
    const q = byId.get(id);
    if (!q) {
      errors.push({
        field,
        message: `"${id}" is not a question in ${protocol.title} version ${String(protocol.version)}`,
      });
      continue;
    }
    if (!isRecord(entry)) {
      errors.push({ field, message: `${q.text}: the answer must be an object with a value and a note` });
      continue;
    }
    const codes = q.options.map((o) => o.code);
    const value = entry.value;
    const note = entry.note;
    let noteText: string | null = null;
    if (note !== undefined && note !== null) {
      if (typeof note !== 'string') {
        errors.push({ field: `${field}.note`, message: `${q.text}: the note must be text` });
        continue;
      }
      noteText = note.trim() === '' ? null : note.trim();
      if (noteText !== null && q.note === 'none') {
        errors.push({ field: `${field}.note`, message: `${q.text}: this question takes no note` });
        continue;
      }
      if (noteText !== null && noteText.length > NOTE_MAX) {
        errors.push({
          field: `${field}.note`,
          message: `${q.text}: the note must be ${String(NOTE_MAX)} characters or fewer`,
        });
        continue;
      }
    }
    if (q.kind === 'single') {
      if (value === undefined || value === null || value === '') {
        if (noteText !== null) {
          errors.push({ field, message: `${q.text}: choose an answer for the note to go with` });
        }
        continue;
      }
      if (typeof value !== 'string' || !codes.includes(value)) {
        errors.push({ field, message: `${q.text}: choose one of ${codes.join(', ')}` });
        continue;
      }
      answers[id] = { value, note: noteText };
    } else {
      const list = value === undefined || value === null ? [] : value;
      if (!Array.isArray(list) || list.some((v) => typeof v !== 'string' || !codes.includes(v))) {
        errors.push({ field, message: `${q.text}: choose any of ${codes.join(', ')}` });
        continue;
      }
      const values = list as string[];
      if (new Set(values).size !== values.length) {
        errors.push({ field, message: `${q.text}: each answer may be chosen once` });
        continue;
      }
      if (values.length === 0) {
        if (noteText !== null) {
          errors.push({ field, message: `${q.text}: choose an answer for the note to go with` });
        }
        continue;
      }
      // Kept in the protocol's order, so the same choice is always stored the same way.
      answers[id] = { value: codes.filter((c) => values.includes(c)), note: noteText };
    }
  }
  if (errors.length > 0) {
    return { ok: false, errors };
  }
  return { ok: true, value: visibleAnswers(protocol, answers) };
}

/** The label of each chosen option, for display. */
export function answerLabels(question: Question, answer: Answer | undefined): readonly string[] {
  return chosen(answer).map((c) => question.options.find((o) => o.code === c)?.label ?? c);
}

export { chosen as chosenCodes };
