import { z } from 'zod';
import type { PlainDate } from './calendar-date.ts';
import { ORIGINS } from './dose-change.ts';
import type { FieldError, Validated } from './field-error.ts';
import { findPumpModel } from './pump-device.ts';
import { decimal, optionalText, parseInput, plainDateField, requiredText } from './schema-fields.ts';

/**
 * What staff and other systems send to register a pump, and the rules on it.
 */
export const pumpSchema = z.object({
  modelId: z.string({ error: 'Choose the pump model' }).refine((v) => findPumpModel(v) !== undefined, {
    error: 'Choose the pump model',
  }),
  reservoirMl: decimal('Reservoir size', 'mL'),
  serialNumber: requiredText('Serial number', 40),
  implantedOn: plainDateField('Implant date'),
  surgeon: requiredText('Surgeon', 100),
  alarmMl: decimal('Low-reservoir alarm volume', 'mL'),
  catheterModel: optionalText('Catheter model', 100),
  catheterTipLevel: optionalText('Catheter tip level', 40),
  origin: z.enum(ORIGINS, { error: 'Choose spinal or cerebral origin' }),
  /** The implanted pump this one replaces; registering it ends the old one in the same step. */
  replacesPumpId: z
    .string({ error: 'Choose the pump this one replaces' })
    .nullish()
    .transform((v) => (v === '' || v === undefined ? null : v)),
});
export type PumpInput = z.infer<typeof pumpSchema>;

export function validatePumpInput(raw: unknown, today: PlainDate): Validated<PumpInput> {
  const result = parseInput(pumpSchema, raw);
  if (!result.ok) {
    return result;
  }
  const v = result.value;
  const model = findPumpModel(v.modelId);
  const errors: FieldError[] = [];
  if (model && !model.reservoirSizesMl.includes(v.reservoirMl)) {
    errors.push({
      field: 'reservoirMl',
      message: `Reservoir size for ${model.name} must be ${model.reservoirSizesMl.join(' or ')} mL`,
    });
  }
  if (v.alarmMl <= 0 || v.alarmMl >= v.reservoirMl) {
    errors.push({
      field: 'alarmMl',
      message:
        'Low-reservoir alarm volume must be more than 0 and less than the reservoir size; read it off the programmer',
    });
  }
  if (v.implantedOn > today) {
    errors.push({ field: 'implantedOn', message: 'Implant date must be today or in the past' });
  }
  return errors.length > 0 ? { ok: false, errors } : result;
}
