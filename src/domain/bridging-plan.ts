import { z } from 'zod';
import { formatPlainDate, type PlainDate } from './calendar-date.ts';
import type { FieldError, Validated } from './field-error.ts';
import { optionalText, parseInput, plainDateField, requiredText } from './schema-fields.ts';

/**
 * A bridging plan: how the patient is covered while intrathecal delivery stops or is wound down
 * around a revision, a replacement or an explant (docs/clinical-reference.md section 10).
 * Intrathecal baclofen must never stop suddenly [GAB-UK]; withdrawal starts within 1–3 days
 * [CONS] and can kill over 24–72 h [NSW-WD], [WIKEM]; oral baclofen helps but cannot fully take
 * the place of ITB [NSW-WD]; before a planned removal the dose is tapered [NSW-WD], [WEAN-PMC].
 *
 * The plan is recorded with what is given (drug, dose, how often), from when, when it is reviewed
 * or stopped, and who is responsible. The oral doses themselves are the clinician's: the sources
 * give one published example only ([WEAN-PMC], LOCAL) and no general dose for cover (GAP), so the
 * software records the dose as written and checks none.
 *
 * An explant without a replacement is not confirmed until a plan for that explant is recorded
 * (hazard H-140); a replacement's plan is recorded and shown but does not hold up its
 * confirmation, because the new pump restores delivery in the same operation (H-145).
 */

export const BRIDGING_KINDS = ['oral-cover', 'taper', 'taper-and-oral-cover'] as const;
export type BridgingKind = (typeof BRIDGING_KINDS)[number];
export const BRIDGING_KIND_LABELS: Readonly<Record<BridgingKind, string>> = {
  'oral-cover': 'Oral baclofen cover during the gap in intrathecal delivery',
  taper: 'Planned taper of the intrathecal dose',
  'taper-and-oral-cover': 'Taper of the intrathecal dose, then oral cover',
};

/** What the plan bridges: the operation on this pump that stops or winds down delivery. */
export const BRIDGING_PURPOSES = ['explant', 'replacement', 'revision'] as const;
export type BridgingPurpose = (typeof BRIDGING_PURPOSES)[number];
export const BRIDGING_PURPOSE_LABELS: Readonly<Record<BridgingPurpose, string>> = {
  explant: 'Explant without a replacement',
  replacement: 'Pump replacement',
  revision: 'Revision surgery',
};

export const bridgingPlanInputSchema = z.object({
  purpose: z.enum(BRIDGING_PURPOSES, {
    error: 'Choose what the plan is for: explant, replacement or revision',
  }),
  kind: z.enum(BRIDGING_KINDS, { error: 'Choose oral cover, a taper, or both' }),
  drug: requiredText('Drug', 200),
  dose: requiredText('Dose', 200),
  frequency: requiredText('How often', 200),
  startOn: plainDateField('Start date'),
  reviewOn: plainDateField('Review or stop date'),
  responsible: requiredText('Clinician responsible', 200),
  details: optionalText('Further details', 4000),
  complicationId: optionalText('Complication', 100),
});
export type BridgingPlanInput = z.infer<typeof bridgingPlanInputSchema>;

export interface BridgingContext {
  readonly implantedOn: PlainDate;
  /** The ids of the register entries linked to this pump, which the plan may name. */
  readonly complicationIds: readonly string[];
}

/**
 * A plan: starting on or after the pump's implant (it may be planned ahead), with a review or stop
 * date on or after its start and a named clinician responsible, so no cover runs on with nobody
 * due to look at it (H-144); any complication named is one of this pump's. How long cover may run
 * before its review is not in the sources (GAP), so no limit is invented.
 */
export function validateBridgingPlanInput(raw: unknown, ctx: BridgingContext): Validated<BridgingPlanInput> {
  const result = parseInput(bridgingPlanInputSchema, raw);
  if (!result.ok) {
    return result;
  }
  const v = result.value;
  const errors: FieldError[] = [];
  if (v.startOn < ctx.implantedOn) {
    errors.push({
      field: 'startOn',
      message: `Start date must be on or after the pump’s implant date, ${formatPlainDate(ctx.implantedOn)}`,
    });
  }
  if (v.reviewOn < v.startOn) {
    errors.push({ field: 'reviewOn', message: 'Review or stop date must be on or after the start date' });
  }
  if (v.complicationId !== null && !ctx.complicationIds.includes(v.complicationId)) {
    errors.push({ field: 'complicationId', message: 'Choose a complication recorded against this pump' });
  }
  return errors.length > 0 ? { ok: false, errors } : result;
}

/**
 * Whether confirming an end request needs a bridging plan first: an explant does (the patient is
 * left with no intrathecal delivery); a replacement, death, transfer or correction does not.
 */
export function endNeedsBridgingPlan(kind: string): boolean {
  return kind === 'explant';
}

export const BRIDGING_PLAN_MISSING =
  'Record a bridging plan for this explant first (oral baclofen cover or a taper, with the dose, start, review date and who is responsible): stopping intrathecal baclofen without one risks withdrawal';
