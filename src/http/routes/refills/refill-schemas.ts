import { z } from 'zod';
import { clinicalWarningSchema } from '../../../domain/clinical-warning.ts';
import { AMENDMENT_STATES, REFILL_STATES } from '../../../domain/refill-actions.ts';
import { REFILL_COMPLICATIONS, refillSchema as refillInputSchema } from '../../../domain/refill-input.ts';
import {
  AMENDABLE_REFILL_FIELDS,
  amendmentInputSchema,
  rejectInputSchema,
  reviewInputSchema,
  VOLUME_AMENDMENT_FIELDS,
} from '../../../domain/refill-review-inputs.ts';
import type { Refill } from '../../../storage/refills.repository.ts';
import { prescriptionBodySchema, prescriptionSchema } from '../pumps/prescription-schemas.ts';

/**
 * The refill API's schemas. Each request body is the domain's own schema (refill-input.ts,
 * refill-review-inputs.ts), the one the service checks the body with, given descriptions here:
 * the OpenAPI document shows what is enforced, and a field added to the domain schema appears in
 * it without a change here. The services check the body (the route insists only on a JSON
 * object), so a 400 names the same fields with the same messages as the pages. Numbers are
 * documented as JSON numbers; the services also take numeric strings, as forms send.
 */

/**
 * A field of a domain schema with its description. A number also read from text (`decimal`)
 * takes the description on the number itself, so the document shows it as a JSON number first.
 */
function describe(field: z.ZodType, description: string): z.ZodType {
  if (field instanceof z.ZodPipe && field.in instanceof z.ZodTransform) {
    return z.pipe(field.in, (field.out as z.ZodType).meta({ description }));
  }
  return field.meta({ description });
}

/** The domain schema with a description on some of its fields; the rules stay the domain's. */
function described<S extends z.ZodRawShape>(
  schema: z.ZodObject<S>,
  descriptions: Partial<Record<keyof S & string, string>>,
): z.ZodObject<S> {
  const shape: Record<string, z.ZodType> = {};
  for (const [field, description] of Object.entries(descriptions)) {
    const own = schema.shape[field] as z.ZodType | undefined;
    if (own && description) {
      shape[field] = describe(own, description);
    }
  }
  return schema.extend(shape) as unknown as z.ZodObject<S>;
}

const dated = (text: string) => `${text} (YYYY-MM-DD)`;

// ---------------------------------------------------------------- request bodies

export const refillBodySchema = described(refillInputSchema, {
  performedOn: dated('Refill date, on or after the last refill and not in the future'),
  expectedResidualMl: 'Residual volume the programmer expects, mL',
  withdrawnMl: 'Volume withdrawn, mL',
  concentrationMcgPerMl:
    "Concentration instilled, mcg/mL; must equal the active prescription's unless newPrescription is given",
  batch: 'Batch number',
  expiresOn: dated('Expiry date of the drug, after the refill date'),
  instilledMl: 'Volume instilled, mL: above the alarm volume, within the reservoir',
  alarmMl: 'Low-reservoir alarm volume set, mL',
  complicationNote: 'Required with the complication "other"',
  patientNote: "A note for the patient's summary",
}).extend({
  // The domain checks a programme set at a refill as a prescription (validatePrescriptionInput),
  // with the refill's drug and concentration: documented as the prescription body's fields.
  newPrescription: prescriptionBodySchema
    .pick({ programme: true, phase: true, reason: true })
    .nullish()
    .meta({
      description:
        "A programme set at this refill (its concentration is the refill's); confirmed when the refill is signed",
    }),
});

export const reviewBodySchema = described(reviewInputSchema, {
  note: "The review of the refill's flags or the suspected pocket fill; never by the person who did the refill",
  withdrawalSignsFound: 'Required with withdrawalSignsChecked: what the check found, e.g. "none found"',
}).extend({
  // The domain reads a yes from a form ("yes") or JSON (true) and names anything else.
  withdrawalSignsChecked: z.boolean().optional().meta({
    description:
      'Required true when the refill is flagged RAN_DRY or AFTER_ALARM: the patient was checked for signs of withdrawal',
  }),
});

export const rejectRefillBodySchema = described(rejectInputSchema, {
  reason: 'Why the refill is rejected; the refill is voided and kept',
});

export const amendBodySchema = described(amendmentInputSchema, {
  reason: 'Why the signed record is corrected',
  batch: 'Corrected batch number',
  expiresOn: dated('Corrected expiry date'),
  complicationNote: 'Corrected complication details',
  patientNote: 'Corrected note for the patient',
  alarmMl: 'Corrected low-reservoir alarm volume, mL',
  instilledMl: 'Corrected volume instilled, mL',
}).meta({
  description: `At least one of ${AMENDABLE_REFILL_FIELDS.join(', ')} (applied at once), or of ${VOLUME_AMENDMENT_FIELDS.join(', ')} on their own (pending until a different clinician confirms it; then the refill's plan, and the pump's when it is the last signed refill, is worked out again)`,
});

// The signature and the decision on a correction are checked by the services alone
// (signRefill, validateAmendmentDecision), with no domain schema to derive from.
export const signBodySchema = z.object({
  version: z.number().int().meta({
    description: 'The refill version the checker saw; a different one (e.g. a review added since) gives 409',
  }),
});

export const amendmentDecisionBodySchema = z.object({
  note: z.string().max(2000).nullish().meta({ description: 'Required to reject; optional to confirm' }),
});

// ---------------------------------------------------------------- responses

export const refillSchema = z.object({
  id: z.string(),
  pumpId: z.string(),
  patientId: z.string(),
  performedOn: z.string(),
  expectedResidualMl: z.number(),
  withdrawnMl: z.number(),
  discrepancyMl: z.number().meta({ description: 'Withdrawn − expected, mL; negative when less came out' }),
  discrepancyPercent: z.number().nullable(),
  thresholdMl: z.number(),
  flagged: z
    .boolean()
    .meta({ description: 'Any flag (or beyond the threshold either way): needs review before signing' }),
  reviewNote: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  reviewedBy: z.string().nullable(),
  drug: z.string(),
  concentrationMcgPerMl: z.number(),
  batch: z.string(),
  expiresOn: z.string(),
  instilledMl: z.number(),
  prescriptionId: z.string(),
  alarmMl: z.number(),
  dailyVolumeMl: z.number(),
  alarmOn: z.string(),
  dueBy: z.string(),
  limitedBy: z.enum(['alarm', 'stability']),
  complications: z.array(z.enum(REFILL_COMPLICATIONS)),
  complicationNote: z.string().nullable(),
  patientSummary: z.string().nullable(),
  state: z
    .enum(REFILL_STATES)
    .meta({ description: 'voided: rejected by the checker, kept with every value' }),
  recordedAt: z.string(),
  performedBy: z.string(),
  signedAt: z.string().nullable(),
  checkedBy: z.string().nullable(),
  version: z.number().int(),
  flags: z.array(clinicalWarningSchema).meta({
    description:
      'What the refill found: RAN_DRY, AFTER_ALARM, RESIDUAL_DISCREPANCY, EXPECTED_RESIDUAL_MISMATCH',
  }),
  warnings: z.array(clinicalWarningSchema).meta({ description: 'The same as flags' }),
  ranDryOn: z
    .string()
    .nullable()
    .meta({ description: 'The day the pump ran dry (or may have, every bolus taken)' }),
  softwareExpectedMl: z.number().nullable().meta({
    description:
      "The software's expected residual from the last signed fill and the programmes since; null at a first refill",
  }),
  softwareExpectedWithBolusesMl: z.number().nullable(),
  withdrawalSignsChecked: z.boolean().nullable(),
  withdrawalSignsFound: z.string().nullable(),
  voidedAt: z.string().nullable(),
  voidedBy: z.string().nullable(),
  voidReason: z.string().nullable(),
});

/**
 * Every field of the stored refill is in the response or named here as left out of it (the
 * note for the patient is part of patientSummary), so a new field cannot be missed silently.
 */
type LeftOutOfApi = 'patientNote';
type OnlyNever<T extends never> = T;
export type RefillFieldsMissingFromApi = OnlyNever<
  Exclude<keyof Refill, keyof z.infer<typeof refillSchema> | LeftOutOfApi>
>;

export const amendmentSchema = z.object({
  id: z.string(),
  refillId: z.string(),
  reason: z.string(),
  changes: z.array(z.object({ field: z.string(), old: z.string().nullable(), new: z.string().nullable() })),
  amendedAt: z.string(),
  amendedBy: z.string(),
  state: z.enum(AMENDMENT_STATES).meta({
    description:
      'applied at once; a volume correction is pending until a different clinician confirms or rejects it',
  }),
  decidedAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decisionNote: z.string().nullable(),
});

export const refillViewSchema = z.object({
  refill: refillSchema,
  prescription: prescriptionSchema.nullable(),
  previousPrescription: prescriptionSchema
    .nullable()
    .meta({ description: "The prescription before this refill's change; null when unchanged" }),
  amendments: z.array(
    amendmentSchema.extend({ amendedByName: z.string().nullable(), decidedByName: z.string().nullable() }),
  ),
  pendingAmendment: amendmentSchema
    .nullable()
    .meta({ description: 'A volume correction waiting to be confirmed' }),
  effective: z
    .object({
      batch: z.string().nullable(),
      expiresOn: z.string().nullable(),
      complicationNote: z.string().nullable(),
      patientNote: z.string().nullable(),
    })
    .meta({ description: 'The amendable fields as they stand after every amendment' }),
  performedByName: z.string().nullable(),
  reviewedByName: z.string().nullable(),
  checkedByName: z.string().nullable(),
  voidedByName: z.string().nullable(),
  needsReview: z.boolean(),
  needsWithdrawalCheck: z.boolean().meta({
    description: 'RAN_DRY or AFTER_ALARM: the review must record that withdrawal signs were checked',
  }),
  dueOn: z.string().meta({ description: 'The due date moved to a working day' }),
});
