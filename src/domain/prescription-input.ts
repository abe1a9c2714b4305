import { z } from 'zod';
import { PHASES } from './dose-change.ts';
import { doseProgrammeSchema, programmeErrors, type DoseProgramme } from './dose-programme.ts';
import type { Validated } from './field-error.ts';
import type { HardLimits } from './pump-rules.ts';
import { concentrationErrors } from './refill-arithmetic.ts';
import { decimal, optionalText, parseInput } from './schema-fields.ts';

/**
 * What staff and other systems send to prescribe: the drug, its concentration and the pump's programme.
 */
export const DRUGS = [{ id: 'baclofen', label: 'Baclofen (intrathecal)' }] as const;
export type DrugId = (typeof DRUGS)[number]['id'];

export const prescriptionSchema = z.object({
  drug: z.enum(DRUGS.map((d) => d.id) as [DrugId], { error: 'Choose the drug' }).default('baclofen'),
  concentrationMcgPerMl: decimal('Concentration', 'mcg/mL'),
  programme: doseProgrammeSchema,
  phase: z.enum(PHASES, { error: 'Choose titration or maintenance' }),
  reason: optionalText('Reason', 2000),
});
export type PrescriptionInput = Omit<z.infer<typeof prescriptionSchema>, 'programme'> & {
  readonly programme: DoseProgramme;
};

/**
 * Whether the user proposed the change: the second check is made by a different clinician
 * (hazard H-018). The service refuses, and the page offers the check, by it.
 */
export function isOwnProposal(prescription: { readonly proposedBy: string }, userId: string): boolean {
  return prescription.proposedBy === userId;
}

export function validatePrescriptionInput(raw: unknown, ranges: HardLimits): Validated<PrescriptionInput> {
  const result = parseInput(prescriptionSchema, raw);
  if (!result.ok) {
    return result;
  }
  const v = result.value;
  // Keep only what the mode uses, so a simple programme never carries stray flex steps.
  const programme: DoseProgramme =
    v.programme.mode === 'simple'
      ? { ...v.programme, schedules: [] }
      : { ...v.programme, doseMcgPerDay: null };
  const errors = [
    ...concentrationErrors('concentrationMcgPerMl', v.concentrationMcgPerMl, ranges),
    ...programmeErrors(programme, ranges).map((e) => ({ ...e, field: `programme.${e.field}` })),
  ];
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: { ...v, programme } };
}

/**
 * A decision on a pending change: a note (required to reject it; the first 2000 characters are
 * kept) and, to confirm it, the day the pump was reprogrammed (validateProgrammedOn).
 */
export const prescriptionDecisionSchema = z.object({
  note: z.string({ error: 'Note must be text' }).nullish(),
  programmedOn: z
    .string({ error: 'Date the pump was reprogrammed must be a real date in the format YYYY-MM-DD' })
    .nullish(),
});
