import { z } from 'zod';
import type { FieldError, Validated } from './field-error.ts';
import { DECISION_LABELS, type Decision } from './selection-decision.ts';
import { criterionResults } from './selection-suggestion.ts';
import type { Answers } from './selection-answers.ts';
import type { ProtocolDefinition } from './selection-protocol.ts';
import { requiredText } from './schema-fields.ts';
import { MAX_TEXT, validated } from './test-dose-fields.ts';

/**
 * The bedside gate for a test dose (clinical-reference.md sections 2 and 3): an episode starts
 * only from a selection assessment whose final decision is "proceed to test dose", and whose
 * answers meet no absolute contraindication (an allergy to oral baclofen or to an earlier ITB test
 * dose [LTH-SEED], [SAULINO-SEL]), unless a consultant has recorded an override with a written
 * reason. The override is a second consultant's check: whoever starts the episode, and the
 * consultant who made the selection decision, cannot be its author. An override is spent by the
 * one episode that uses it.
 */

/** The decision an assessment stands on: the latest recorded, the MDT outcome after a referral to MDT. */
export interface GateDecision {
  readonly decision: Decision;
  readonly decidedAt: string;
  readonly decidedBy: string;
}

export interface GateAssessment {
  readonly id: string;
  /** Its decisions in the order they were recorded (clinician, then any MDT outcome). */
  readonly decisions: readonly GateDecision[];
  /** The labels of the absolute contraindications its answers meet, read with its own protocol. */
  readonly absoluteContraindications: readonly string[];
}

export const OVERRIDE_STATES = ['available', 'used', 'withdrawn'] as const;
export type OverrideState = (typeof OVERRIDE_STATES)[number];
export const OVERRIDE_STATE_LABELS: Readonly<Record<OverrideState, string>> = {
  available: 'Not used yet',
  used: 'Used for a test dose',
  withdrawn: 'Withdrawn',
};

export interface GateOverride {
  readonly id: string;
  readonly state: OverrideState;
  readonly createdBy: string;
}

/** The absolute contraindications the answers meet, by criterion label (hidden answers never count). */
export function absoluteContraindications(protocol: ProtocolDefinition, answers: Answers): string[] {
  return criterionResults(protocol, answers)
    .filter((r) => r.criterion.role === 'absolute' && r.state === 'present')
    .map((r) => r.criterion.label);
}

/** The decision that stands: the one recorded last (an MDT outcome follows "discuss at MDT"). */
export function standingDecision(decisions: readonly GateDecision[]): GateDecision | null {
  return [...decisions].sort((a, b) => a.decidedAt.localeCompare(b.decidedAt)).at(-1) ?? null;
}

/** Why an assessment alone does not let a test dose start; empty when it does. */
export function assessmentBlockers(assessment: GateAssessment): string[] {
  const standing = standingDecision(assessment.decisions);
  if (standing === null) {
    return ['No selection decision has been recorded on this assessment yet'];
  }
  if (standing.decision !== 'proceed-to-test-dose') {
    return [
      `The selection decision is "${DECISION_LABELS[standing.decision]}", not "${DECISION_LABELS['proceed-to-test-dose']}"`,
    ];
  }
  return assessment.absoluteContraindications.map(
    (label) => `The assessment records an absolute contraindication: ${label}`,
  );
}

export interface GateInput {
  /** The assessment the episode is linked to, if any (already checked to be this patient's). */
  readonly assessment: GateAssessment | null;
  /** The override the episode would use, if any (already checked to be this patient's). */
  readonly override: GateOverride | null;
  /** Who is starting the episode. */
  readonly starterUserId: string;
}

/**
 * Whether an episode may start, and on what: 'assessment' when the linked assessment decided to
 * proceed with no absolute contraindication, 'override' when an override is given and may be
 * used. A given override is always checked (and, the service then spends it), so it is never
 * used by its own author or by the consultant whose decision it sets aside.
 */
export function testDoseGate(input: GateInput): Validated<{ readonly basis: 'assessment' | 'override' }> {
  const { assessment, override } = input;
  if (override !== null) {
    const errors: FieldError[] = [];
    if (override.state !== 'available') {
      errors.push({
        field: 'overrideId',
        message: `This override can no longer be used: it has been ${override.state === 'used' ? 'used for another test dose' : 'withdrawn'}`,
      });
    } else if (override.createdBy === input.starterUserId) {
      errors.push({
        field: 'overrideId',
        message:
          'You recorded this override, so you cannot start the test dose with it: an override is a second consultant’s check, and someone else must start the test dose',
      });
    } else {
      const standing = assessment === null ? null : standingDecision(assessment.decisions);
      if (standing !== null && standing.decidedBy === override.createdBy) {
        errors.push({
          field: 'overrideId',
          message:
            'This override was recorded by the consultant who made the selection decision on the linked assessment: an override needs a second consultant',
        });
      }
    }
    return errors.length > 0 ? { ok: false, errors } : { ok: true, value: { basis: 'override' } };
  }
  if (assessment === null) {
    return {
      ok: false,
      errors: [
        {
          field: 'assessmentId',
          message:
            'Select the selection assessment that decided to proceed to a test dose. Without one, a test dose needs an override recorded by a consultant with a reason',
        },
      ],
    };
  }
  const blockers = assessmentBlockers(assessment);
  if (blockers.length > 0) {
    return {
      ok: false,
      errors: [
        {
          field: 'assessmentId',
          message: `${blockers.join('; ')}. A test dose needs this decision to proceed with no absolute contraindication, or an override recorded by a second consultant with a reason`,
        },
      ],
    };
  }
  return { ok: true, value: { basis: 'assessment' } };
}

export interface OverrideInput {
  readonly reason: string;
}

export const overrideInputSchema = z.object({
  reason: requiredText('Reason for the override', MAX_TEXT),
});

export const withdrawOverrideInputSchema = z.object({
  reason: requiredText('Reason for withdrawing the override', MAX_TEXT),
});

export function validateOverrideInput(raw: unknown): Validated<OverrideInput> {
  return validated(overrideInputSchema, raw);
}

export function validateWithdrawOverrideInput(raw: unknown): Validated<{ readonly reason: string }> {
  return validated(withdrawOverrideInputSchema, raw);
}
