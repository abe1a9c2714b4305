import { z } from 'zod';
import type { PlainDate } from './calendar-date.ts';
import { zodIssuesToFieldErrors, type FieldError, type Validated } from './field-error.ts';
import { optionalText, plainDateField, requiredText } from './schema-fields.ts';
import { MAX_TEXT, nullable, validated, yesNo } from './test-dose-fields.ts';
import { instantField } from './test-dose-time.ts';

/**
 * The test-dose (screening) episode (clinical-reference.md section 3): pre-checks [KRACH], each
 * intrathecal bolus on the ladder at least 24 h apart [LABEL-SUM], [BACINFO], observations at
 * the configured hours, a suggested result by the configured criterion [STROKE] and the
 * clinician's confirmation. Pure: "now", "today" and the time zone are arguments, and every
 * clinical number comes from `TestDoseRules` (pump-rules.ts).
 */

// ---------------------------------------------------------------------------------------------
// Choices

export const EPISODE_STATES = ['open', 'positive', 'not-for-implant', 'abandoned'] as const;
export type EpisodeState = (typeof EPISODE_STATES)[number];
export const EPISODE_STATE_LABELS: Readonly<Record<EpisodeState, string>> = {
  open: 'In progress',
  positive: 'Positive: suitable for implant',
  'not-for-implant': 'Not for implant: no response at the highest test dose',
  abandoned: 'Abandoned',
};

// ---------------------------------------------------------------------------------------------
// Pre-checks [KRACH]

export interface PreChecks {
  /** true: the patient has no infection or wound (confirmed). false: there is one; postpone. */
  readonly noInfection: boolean | null;
  readonly infectionNote: string | null;
  /** Anticoagulant and antiplatelet status reviewed before the lumbar puncture. */
  readonly anticoagulantsReviewed: boolean | null;
  readonly anticoagulantNote: string | null;
  /** Botulinum toxin, phenol or alcohol injections recently (they can mask the test). */
  readonly recentBotulinumToxin: boolean | null;
  readonly botulinumToxinOn: PlainDate | null;
  readonly botulinumToxinNote: string | null;
  /** Whether oral antispasmodics are continued or weaned, decided in advance. */
  readonly oralAntispasmodicPlan: string | null;
  /** What the screening should show, defined beforehand. */
  readonly goals: string;
}

export const preChecksInputSchema = z.object({
  noInfection: yesNo('Answer whether the patient is free of infection and wounds: yes or no'),
  infectionNote: optionalText('Infection note', MAX_TEXT),
  anticoagulantsReviewed: yesNo('Answer whether anticoagulants and antiplatelets were reviewed: yes or no'),
  anticoagulantNote: optionalText('Anticoagulant note', MAX_TEXT),
  recentBotulinumToxin: yesNo(
    'Answer whether there were botulinum toxin, phenol or alcohol injections in the last 3 months: yes or no',
  ),
  botulinumToxinOn: nullable(plainDateField('Date of the last injection')),
  botulinumToxinNote: optionalText('Injection note', MAX_TEXT),
  oralAntispasmodicPlan: optionalText('Plan for oral antispasmodics', MAX_TEXT),
  goals: requiredText('Goals for the screening', MAX_TEXT),
});

/**
 * Checks the pre-checks. Questions may be left unanswered (null) while the episode is prepared;
 * preCheckBlockers says what must be answered before a bolus.
 */
export function validatePreChecks(
  raw: unknown,
  context: { readonly today: PlainDate },
): Validated<PreChecks> {
  const parsed = validated(preChecksInputSchema, raw);
  if (!parsed.ok) {
    return parsed;
  }
  const v = parsed.value;
  const errors: FieldError[] = [];
  if (v.recentBotulinumToxin === true && v.botulinumToxinOn === null && v.botulinumToxinNote === null) {
    errors.push({
      field: 'botulinumToxinOn',
      message: 'Enter the date of the last botulinum toxin, phenol or alcohol injection, or a note about it',
    });
  }
  if (v.recentBotulinumToxin !== true && (v.botulinumToxinOn !== null || v.botulinumToxinNote !== null)) {
    errors.push({
      field: v.botulinumToxinOn !== null ? 'botulinumToxinOn' : 'botulinumToxinNote',
      message:
        'Date and note of the last injection are only recorded when there were injections in the last 3 months: answer yes, or clear them',
    });
  }
  if (v.botulinumToxinOn !== null && v.botulinumToxinOn > context.today) {
    errors.push({
      field: 'botulinumToxinOn',
      message: 'Date of the last injection must be today or in the past',
    });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: v };
}

/**
 * A new episode: the pre-checks and what it is started on (test-dose-gate.ts): the selection
 * assessment that decided to proceed, or an override recorded by a second consultant, or both.
 */
export const episodeInputSchema = preChecksInputSchema.extend({
  assessmentId: optionalText('Selection assessment', 100),
  overrideId: optionalText('Override', 100),
  startedAt: nullable(instantField('Time the test dose started')),
});

/** A corrected start given with the pre-checks again: not in the future; null when none is given. */
export function startedAtCorrection(raw: unknown, now: string): Validated<string | null> {
  const parsed = validated(z.object({ startedAt: episodeInputSchema.shape.startedAt }), raw);
  if (!parsed.ok) {
    return parsed;
  }
  const startedAt = parsed.value.startedAt;
  return startedAt !== null && Date.parse(startedAt) > Date.parse(now)
    ? {
        ok: false,
        errors: [{ field: 'startedAt', message: 'Time the test dose started must not be in the future' }],
      }
    : { ok: true, value: startedAt };
}

export interface EpisodeInput {
  readonly assessmentId: string | null;
  readonly overrideId: string | null;
  /**
   * When the screening started (the pre-checks at the bedside), when it is recorded afterwards;
   * null: now. Its boluses and observations cannot come before it.
   */
  readonly startedAt: string | null;
  readonly preChecks: PreChecks;
}

export function validateEpisodeInput(
  raw: unknown,
  context: { readonly today: PlainDate; readonly now: string },
): Validated<EpisodeInput> {
  const link = z
    .object({
      assessmentId: episodeInputSchema.shape.assessmentId,
      overrideId: episodeInputSchema.shape.overrideId,
      startedAt: episodeInputSchema.shape.startedAt,
    })
    .safeParse(raw);
  const preChecks = validatePreChecks(raw, context);
  const errors = [
    ...(link.success ? [] : zodIssuesToFieldErrors(link.error.issues)),
    ...(preChecks.ok ? [] : preChecks.errors),
  ];
  const startedAt = link.success ? link.data.startedAt : null;
  if (startedAt !== null && Date.parse(startedAt) > Date.parse(context.now)) {
    errors.push({ field: 'startedAt', message: 'Time the test dose started must not be in the future' });
  }
  if (!link.success || !preChecks.ok || errors.length > 0) {
    return { ok: false, errors: errors.filter((e, i) => errors.findIndex((x) => x.field === e.field) === i) };
  }
  return {
    ok: true,
    value: {
      assessmentId: link.data.assessmentId,
      overrideId: link.data.overrideId,
      startedAt,
      preChecks: preChecks.value,
    },
  };
}

/**
 * What stops a bolus being given: every pre-check answered, no infection or wound, and the
 * anticoagulant and antiplatelet status reviewed before the needle goes in [KRACH]. An infection
 * means postponing the test, so it is a blocker, not a warning.
 */
export function preCheckBlockers(p: PreChecks): FieldError[] {
  const blockers: FieldError[] = [];
  if (p.noInfection === null) {
    blockers.push({ field: 'noInfection', message: 'Answer the check for infection or wounds' });
  } else if (!p.noInfection) {
    blockers.push({
      field: 'noInfection',
      message: 'The patient has an infection or a wound: postpone the test dose until it has cleared',
    });
  }
  if (p.anticoagulantsReviewed === null) {
    blockers.push({
      field: 'anticoagulantsReviewed',
      message: 'Answer whether anticoagulants and antiplatelets were reviewed',
    });
  } else if (!p.anticoagulantsReviewed) {
    blockers.push({
      field: 'anticoagulantsReviewed',
      message: 'Review anticoagulant and antiplatelet medicines before the test dose is given',
    });
  }
  if (p.recentBotulinumToxin === null) {
    blockers.push({
      field: 'recentBotulinumToxin',
      message: 'Answer whether there were recent botulinum toxin, phenol or alcohol injections',
    });
  }
  if (p.oralAntispasmodicPlan === null) {
    blockers.push({
      field: 'oralAntispasmodicPlan',
      message: 'Record the plan for oral antispasmodics (continue or wean)',
    });
  }
  return blockers;
}

// ---------------------------------------------------------------------------------------------
// Abandoning

export const abandonInputSchema = z.object({
  reason: requiredText('Reason for abandoning the test dose', MAX_TEXT),
});

export function validateAbandonInput(raw: unknown): Validated<{ readonly reason: string }> {
  return validated(abandonInputSchema, raw);
}
