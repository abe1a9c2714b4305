import { z } from 'zod';
import { formatPlainDate, type PlainDate } from './calendar-date.ts';
import type { FieldError, Validated } from './field-error.ts';
import {
  DRUGS,
  validatePrescriptionInput,
  type DrugId,
  type PrescriptionInput,
} from './prescription-input.ts';
import type { HardLimits } from './pump-rules.ts';
import { concentrationErrors } from './refill-arithmetic.ts';
import { decimal, optionalText, parseInput, plainDateField, requiredText } from './schema-fields.ts';

/**
 * What staff and other systems send to record a refill, and the volume, date and drug rules on it.
 */
export const REFILL_COMPLICATIONS = ['suspected-pocket-fill', 'difficult-access', 'other'] as const;
export type RefillComplication = (typeof REFILL_COMPLICATIONS)[number];
export const REFILL_COMPLICATION_LABELS: Readonly<Record<RefillComplication, string>> = {
  'suspected-pocket-fill': 'Suspected pocket fill',
  'difficult-access': 'Difficult access',
  other: 'Other complication',
};

export const refillSchema = z.object({
  performedOn: plainDateField('Refill date'),
  expectedResidualMl: decimal('Expected residual volume', 'mL'),
  withdrawnMl: decimal('Volume withdrawn', 'mL'),
  drug: z.enum(DRUGS.map((d) => d.id) as [DrugId], { error: 'Choose the drug' }).default('baclofen'),
  concentrationMcgPerMl: decimal('Concentration', 'mcg/mL'),
  batch: requiredText('Batch number', 40),
  expiresOn: plainDateField('Expiry date'),
  instilledMl: decimal('Volume instilled', 'mL'),
  alarmMl: decimal('Low-reservoir alarm volume', 'mL'),
  complications: z
    .array(z.enum(REFILL_COMPLICATIONS, { error: 'Choose complications from the list' }))
    .default([]),
  complicationNote: optionalText('Complication details', 2000),
  patientNote: optionalText('Note for the patient', 1000),
  /** A new programme set at this refill; null keeps the active prescription. */
  newPrescription: z.unknown().nullish().default(null),
});
export type RefillInput = Omit<z.infer<typeof refillSchema>, 'newPrescription'> & {
  readonly newPrescription: PrescriptionInput | null;
};

export interface RefillContext {
  readonly today: PlainDate;
  readonly implantedOn: PlainDate;
  readonly reservoirMl: number;
  /** The date of the latest refill already recorded for this pump, if any. */
  readonly lastRefillOn: PlainDate | null;
  readonly ranges: HardLimits;
}

function refillVolumeErrors(v: z.infer<typeof refillSchema>, reservoirMl: number): FieldError[] {
  const errors: FieldError[] = [];
  const within = (field: string, label: string, value: number) => {
    if (value > reservoirMl) {
      errors.push({
        field,
        message: `${label} (${value} mL) must not be more than the reservoir holds (${reservoirMl} mL)`,
      });
    }
  };
  within('expectedResidualMl', 'Expected residual volume', v.expectedResidualMl);
  within('withdrawnMl', 'Volume withdrawn', v.withdrawnMl);
  within('instilledMl', 'Volume instilled', v.instilledMl);
  if (v.instilledMl === 0) {
    errors.push({ field: 'instilledMl', message: 'Volume instilled must be more than 0 mL' });
  }
  if (v.alarmMl <= 0 || v.alarmMl >= reservoirMl) {
    errors.push({
      field: 'alarmMl',
      message: 'Low-reservoir alarm volume must be more than 0 and less than the reservoir size',
    });
  } else if (v.instilledMl > 0 && v.instilledMl <= v.alarmMl) {
    errors.push({
      field: 'instilledMl',
      message: `Volume instilled (${v.instilledMl} mL) must be more than the alarm volume (${v.alarmMl} mL), or the alarm sounds at once`,
    });
  }
  return errors;
}

function refillDateErrors(v: z.infer<typeof refillSchema>, ctx: RefillContext): FieldError[] {
  const errors: FieldError[] = [];
  if (v.performedOn > ctx.today) {
    errors.push({ field: 'performedOn', message: 'Refill date must be today or in the past' });
  } else if (v.performedOn < ctx.implantedOn) {
    errors.push({
      field: 'performedOn',
      message: `Refill date must be on or after the implant date, ${formatPlainDate(ctx.implantedOn)}`,
    });
  } else if (ctx.lastRefillOn !== null && v.performedOn < ctx.lastRefillOn) {
    errors.push({
      field: 'performedOn',
      message: `Refill date must be on or after the last refill, ${formatPlainDate(ctx.lastRefillOn)}`,
    });
  }
  // Expired drug is never instilled.
  if (v.expiresOn <= v.performedOn) {
    errors.push({
      field: 'expiresOn',
      message: 'The drug has expired: the expiry date must be after the refill date',
    });
  }
  return errors;
}

export function validateRefillInput(raw: unknown, ctx: RefillContext): Validated<RefillInput> {
  const result = parseInput(refillSchema, raw);
  if (!result.ok) {
    return result;
  }
  const v = result.value;
  const errors: FieldError[] = [
    ...refillVolumeErrors(v, ctx.reservoirMl),
    ...refillDateErrors(v, ctx),
    ...concentrationErrors('concentrationMcgPerMl', v.concentrationMcgPerMl, ctx.ranges),
  ];
  if (v.complications.includes('other') && v.complicationNote === null) {
    errors.push({ field: 'complicationNote', message: 'Describe the complication' });
  }
  let newPrescription: PrescriptionInput | null = null;
  if (v.newPrescription !== null) {
    const p = validatePrescriptionInput(
      { ...(v.newPrescription as object), concentrationMcgPerMl: v.concentrationMcgPerMl, drug: v.drug },
      ctx.ranges,
    );
    if (p.ok) {
      newPrescription = p.value;
    } else {
      errors.push(
        ...p.errors
          .filter((e) => e.field !== 'concentrationMcgPerMl')
          .map((e) => ({ ...e, field: `newPrescription.${e.field}` })),
      );
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: { ...v, newPrescription } };
}
