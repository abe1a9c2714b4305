import { z } from 'zod';
import { DECISIONS, MDT_DECISIONS } from '../../../domain/selection-decision.ts';
import { SUGGESTION_OUTCOMES } from '../../../domain/selection-suggestion.ts';

/** JSON shapes of the selection assessment API, as they appear in the OpenAPI document. */
export const protocolSummarySchema = z.object({
  id: z.string(),
  code: z.string(),
  version: z.number().int(),
  title: z.string(),
  population: z.string(),
  createdAt: z.string(),
  builtIn: z.boolean(),
  latest: z.boolean(),
});

export const protocolSchema = protocolSummarySchema.extend({
  definition: z
    .record(z.string(), z.unknown())
    .describe('The protocol as imported (see docs/protocols/README.md)'),
});

export const answerSchema = z.object({
  value: z.union([z.string(), z.array(z.string())]),
  note: z.string().nullish(),
});

export const suggestionSchema = z.object({
  outcome: z.enum(SUGGESTION_OUTCOMES),
  reasons: z.array(
    z.object({
      kind: z.enum(['absolute-present', 'indication-not-met', 'relative-present', 'unknown', 'missing']),
      criterionId: z.string(),
      text: z.string(),
      questionId: z.string().nullable(),
      note: z.string().nullable(),
    }),
  ),
  protocol: z.object({ code: z.string(), version: z.number().int() }),
});

export const decisionSchema = z.object({
  id: z.string(),
  kind: z.enum(['clinician', 'mdt']),
  decision: z.enum(DECISIONS),
  suggestion: suggestionSchema,
  agrees: z.boolean(),
  reason: z.string().nullable(),
  note: z.string().nullable(),
  meetingOn: z.string().nullable(),
  attendees: z.string().nullable(),
  decidedAt: z.string(),
  decidedBy: z.string(),
  decidedByName: z.string(),
});

export const assessmentSchema = z.object({
  id: z.string(),
  patientId: z.string(),
  referralId: z.string().nullable(),
  protocol: z.object({ id: z.string(), code: z.string(), version: z.number().int(), title: z.string() }),
  newerProtocolVersion: z.number().int().nullable(),
  state: z.enum(['in-progress', 'awaiting-mdt', 'decided']),
  answers: z.record(z.string(), answerSchema),
  suggestion: suggestionSchema,
  decisions: z.array(decisionSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});

export const startBodySchema = z.object({
  patientId: z.string().min(1),
  protocolCode: z.string().min(1),
  referralId: z.string().nullish(),
});

export const answersBodySchema = z.object({
  version: z.number().int().describe('The assessment version read (optimistic locking)'),
  protocolVersion: z.number().int().describe('The protocol version the answers were written for'),
  answers: z
    .record(z.string(), z.unknown())
    .describe('Keyed by question id: { value, note }. Replaces the stored answers as a whole'),
});

export const decisionBodySchema = z.object({
  version: z.number().int(),
  decision: z.enum(DECISIONS),
  reason: z.string().nullish(),
  note: z.string().nullish(),
});

export const mdtBodySchema = z.object({
  version: z.number().int(),
  decision: z.enum(MDT_DECISIONS),
  meetingOn: z.string().describe('YYYY-MM-DD'),
  attendees: z.string().nullish(),
  note: z.string(),
  reason: z.string().nullish(),
});
