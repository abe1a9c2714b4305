import { z } from 'zod';
import { zodIssuesToFieldErrors, type FieldError, type Validated } from './field-error.ts';

/**
 * A patient selection protocol as data: the criteria a service assesses before an ITB test
 * dose, each with its role, its questions and its source. The default adult protocol follows
 * the Leeds ITB page [LTH-SEED]; a service adds another (a paediatric one after NICE CG145
 * [NICE145], say) by importing a definition, without code changes. Every version is kept
 * unchanged once stored, and an assessment keeps the version it was made with.
 *
 * Sources differ on which contraindications are absolute (clinical-reference.md 2, CONFLICT),
 * so each criterion carries its own role and source rather than the code deciding.
 */
export const CRITERION_ROLES = ['indication', 'absolute', 'relative'] as const;
export type CriterionRole = (typeof CRITERION_ROLES)[number];
export const CRITERION_ROLE_LABELS: Readonly<Record<CriterionRole, string>> = {
  indication: 'Indications',
  absolute: 'Absolute contraindications',
  relative: 'Relative contraindications',
};

/** What an answer means for its criterion: the criterion holds, does not, or is not known. */
export const MEANINGS = ['yes', 'no', 'unknown'] as const;
export type Meaning = (typeof MEANINGS)[number];

export interface AnswerOption {
  readonly code: string;
  readonly label: string;
  /** Required on the options of a deciding question. */
  readonly meaning?: Meaning;
}

/** Shown only when an earlier question's answer is one of `answerIn` (every condition holds). */
export interface EnableWhen {
  readonly question: string;
  readonly answerIn: readonly string[];
}

export interface Question {
  readonly id: string;
  readonly text: string;
  readonly hint?: string;
  /** One answer (radios) or any number, at least one (checkboxes). */
  readonly kind: 'single' | 'multi';
  readonly options: readonly AnswerOption[];
  /**
   * Whether the answer decides the criterion. Follow-ups ("which of these", "maximum dose
   * reached") are asked and kept but do not decide it. Multi-answer questions never decide.
   */
  readonly decides: boolean;
  readonly note: 'optional' | 'none';
  readonly enableWhen: readonly EnableWhen[];
}

export interface Criterion {
  readonly id: string;
  readonly role: CriterionRole;
  /** Short wording used when the suggestion lists its reasons. */
  readonly label: string;
  readonly source: string;
  /** Indications: how many deciding questions must be answered yes for it to be met. */
  readonly atLeast: number;
  readonly questions: readonly Question[];
}

export interface ProtocolDefinition {
  readonly code: string;
  readonly version: number;
  readonly title: string;
  /** Who the protocol is for, in words ("Adults", "Children and young people"). */
  readonly population: string;
  readonly source: string;
  readonly criteria: readonly Criterion[];
}

const CODE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const code = (label: string) =>
  z
    .string({ error: `${label} must be text` })
    .regex(CODE, { error: `${label} must be lower-case letters, digits and single hyphens` })
    .max(60, { error: `${label} must be 60 characters or fewer` });
const text = (label: string, max: number) =>
  z
    .string({ error: `Enter the ${label.toLowerCase()}` })
    .trim()
    .min(1, { error: `Enter the ${label.toLowerCase()}` })
    .max(max, { error: `${label} must be ${max} characters or fewer` });

const optionSchema = z.object({
  code: code('Option code'),
  label: text('Option label', 200),
  meaning: z.enum(MEANINGS, { error: 'Meaning must be yes, no or unknown' }).optional(),
});

const questionSchema = z.object({
  id: code('Question id'),
  text: text('Question text', 500),
  hint: text('Hint', 500).optional(),
  kind: z.enum(['single', 'multi'], { error: 'Kind must be single or multi' }),
  options: z.array(optionSchema).min(2, { error: 'A question needs at least two options' }).max(20),
  decides: z.boolean({ error: 'Decides must be true or false' }).default(true),
  note: z.enum(['optional', 'none'], { error: 'Note must be optional or none' }).default('optional'),
  enableWhen: z
    .array(z.object({ question: code('enableWhen question'), answerIn: z.array(code('Answer code')).min(1) }))
    .default([]),
});

const criterionSchema = z.object({
  id: code('Criterion id'),
  role: z.enum(CRITERION_ROLES, { error: 'Role must be indication, absolute or relative' }),
  label: text('Criterion label', 300),
  source: text('Source', 300),
  atLeast: z.number().int().min(1).optional(),
  questions: z.array(questionSchema).min(1, { error: 'A criterion needs at least one question' }).max(30),
});

const protocolSchema = z.object({
  code: code('Protocol code'),
  version: z
    .number({ error: 'Version must be a whole number from 1' })
    .int({ error: 'Version must be a whole number from 1' })
    .min(1, { error: 'Version must be a whole number from 1' }),
  title: text('Title', 200),
  population: text('Population', 200),
  source: text('Source', 500),
  criteria: z.array(criterionSchema).min(1, { error: 'A protocol needs at least one criterion' }).max(100),
});

/**
 * Checks a definition read from a file or the API: its shape, and the rules that keep a
 * suggestion well defined (unique ids, follow-ups that point back to earlier questions and to
 * real answers, meanings on every deciding answer, reachable thresholds).
 */
export function validateProtocolDefinition(raw: unknown): Validated<ProtocolDefinition> {
  const parsed = protocolSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, errors: zodIssuesToFieldErrors(parsed.error.issues) };
  }
  const p = parsed.data;
  const errors: FieldError[] = [];
  const seenCriteria = new Set<string>();
  const seen = new Map<string, z.infer<typeof questionSchema>>();
  const criteria: Criterion[] = p.criteria.map((c, ci) => {
    const at = `criteria.${String(ci)}`;
    if (seenCriteria.has(c.id)) {
      errors.push({ field: `${at}.id`, message: `Criterion id "${c.id}" is used twice` });
    }
    seenCriteria.add(c.id);
    c.questions.forEach((q, qi) => {
      const qa = `${at}.questions.${String(qi)}`;
      if (seen.has(q.id)) {
        errors.push({ field: `${qa}.id`, message: `Question id "${q.id}" is used twice` });
      }
      const codes = q.options.map((o) => o.code);
      if (new Set(codes).size !== codes.length) {
        errors.push({ field: `${qa}.options`, message: 'Option codes must differ within a question' });
      }
      if (q.decides && q.kind === 'multi') {
        errors.push({ field: `${qa}.decides`, message: 'A multi-answer question cannot decide a criterion' });
      }
      if (q.decides && q.options.some((o) => o.meaning === undefined)) {
        errors.push({
          field: `${qa}.options`,
          message: 'Every option of a deciding question needs a meaning (yes, no or unknown)',
        });
      }
      q.enableWhen.forEach((w, wi) => {
        const earlier = seen.get(w.question);
        const field = `${qa}.enableWhen.${String(wi)}`;
        if (!earlier) {
          errors.push({ field, message: `"${w.question}" is not an earlier question` });
        } else if (w.answerIn.some((a) => !earlier.options.some((o) => o.code === a))) {
          errors.push({ field, message: `Every answer must be an option of "${w.question}"` });
        }
      });
      seen.set(q.id, q);
    });
    const deciding = c.questions.filter((q) => q.decides).length;
    if (deciding === 0) {
      errors.push({ field: `${at}.questions`, message: 'A criterion needs at least one deciding question' });
    }
    const atLeast = c.atLeast ?? deciding;
    if (c.role === 'indication' && atLeast > deciding) {
      errors.push({
        field: `${at}.atLeast`,
        message: `atLeast cannot exceed the ${String(deciding)} deciding questions`,
      });
    }
    return {
      id: c.id,
      role: c.role,
      label: c.label,
      source: c.source,
      atLeast,
      questions: c.questions.map((q) => ({
        id: q.id,
        text: q.text,
        ...(q.hint === undefined ? {} : { hint: q.hint }),
        kind: q.kind,
        options: q.options.map((o) => ({
          code: o.code,
          label: o.label,
          ...(o.meaning === undefined ? {} : { meaning: o.meaning }),
        })),
        decides: q.decides,
        note: q.note,
        enableWhen: q.enableWhen,
      })),
    };
  });
  if (errors.length > 0) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    value: {
      code: p.code,
      version: p.version,
      title: p.title,
      population: p.population,
      source: p.source,
      criteria,
    },
  };
}

/** Every question in the order the form asks them (later follow-ups depend on earlier answers). */
export function questionsOf(protocol: ProtocolDefinition): readonly Question[] {
  return protocol.criteria.flatMap((c) => c.questions);
}

export function findQuestion(protocol: ProtocolDefinition, id: string): Question | undefined {
  return questionsOf(protocol).find((q) => q.id === id);
}
