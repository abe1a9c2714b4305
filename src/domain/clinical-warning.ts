import { z } from 'zod';
import type { FieldError } from './field-error.ts';

/**
 * A clinical warning: a value inside the hard limits but outside the usual range (pump-rules.ts),
 * or a finding someone must look at before a record counts. Hard limits are refused as field
 * errors; a warning is accepted only with a written reason recorded beside it (services), and is
 * reported as `warnings: [{code, message}]` by every `itb calc … --json` output and every API
 * response that computes it. The codes are a closed set so other systems can act on them.
 */
export const WARNING_CODES = [
  /** A daily dose below or above the usual range (12–2000 mcg/day by default). */
  'DOSE_OUTSIDE_USUAL_RANGE',
  /** A patient-activated bolus larger than the usual share of the continuous daily dose. */
  'BOLUS_LARGE_SHARE',
  /** More patient boluses a day than usual. */
  'BOLUSES_PER_DAY_HIGH',
  /** A lock-out between patient boluses shorter than usual. */
  'LOCKOUT_SHORT',
  /** One flex step delivering more than the usual share of the day. */
  'FLEX_STEP_LARGE_SHARE',
  /** A dose change beyond the titration or maintenance limit for 24 hours. */
  'DOSE_CHANGE_BEYOND_LIMIT',
  /** A first prescription above the starting dose the test dose gives. */
  'START_DOSE_ABOVE_TEST_DOSE',
  /** A first prescription with no positive test dose on record. */
  'NO_POSITIVE_TEST_DOSE',
  /** A test bolus that is not the ladder's next rung. */
  'BOLUS_OFF_LADDER',
  /** The pump ran dry before the refill: withdrawal risk. */
  'RAN_DRY',
  /** The refill was on or after the low-reservoir alarm date. */
  'AFTER_ALARM',
  /** The residual withdrawn differs from the expected volume beyond the threshold. */
  'RESIDUAL_DISCREPANCY',
  /** The programmer's expected residual, as typed, differs from the software's own. */
  'EXPECTED_RESIDUAL_MISMATCH',
] as const;
export type WarningCode = (typeof WARNING_CODES)[number];

export interface ClinicalWarning {
  readonly code: WarningCode;
  /** A sentence a clinician can act on, with the figures. */
  readonly message: string;
  /** The input it concerns, named as in field errors (`programme.doseMcgPerDay`), when there is one. */
  readonly field?: string;
  /** When a unit slip explains the figure, the value it would be ("did you mean 1,500 mcg/day?"). */
  readonly didYouMean?: number;
}

/** The API's shape for a warning: code and message, plus the field and suggestion when known. */
export const clinicalWarningSchema = z
  .object({
    code: z.enum(WARNING_CODES),
    message: z.string(),
    field: z.string().optional(),
    didYouMean: z.number().optional(),
  })
  .meta({ description: 'Outside the usual range: accepted only with a recorded reason' });

/**
 * The field error when warnings need a reason and none was given: one message naming every
 * warning, so the person sees all of them at once. Null when there is nothing to explain or a
 * reason was given.
 */
export function reasonRequired(
  field: string,
  warnings: readonly ClinicalWarning[],
  reason: string | null,
): FieldError | null {
  if (warnings.length === 0 || (reason !== null && reason.trim() !== '')) {
    return null;
  }
  const what = warnings.map((w) => w.message).join('; ');
  return { field, message: `Give the reason: ${what}` };
}

/** Warnings as the CLI and the API print them: code and message, plus field and suggestion when set. */
export function warningsForOutput(warnings: readonly ClinicalWarning[]): ClinicalWarning[] {
  return warnings.map((w) => ({
    code: w.code,
    message: w.message,
    ...(w.field === undefined ? {} : { field: w.field }),
    ...(w.didYouMean === undefined ? {} : { didYouMean: w.didYouMean }),
  }));
}
