import type { FieldError } from '../domain/field-error.ts';
import { anyModelDeliveryErrors, strengthErrors } from '../domain/prescription-limits.ts';
import { PUMP_MODELS } from '../domain/pump-device.ts';
import type { PumpRules } from '../domain/pump-rules.ts';

/**
 * The hard limits the pump `itb calc` commands share with the service, for figures typed with no
 * pump named: settings no pump has, a strength the service does not stock, and a daily volume no
 * configured pump model can deliver. Fields are the domain's; the commands name them as options.
 */

/** Every reservoir size some pump model has (20 and 40 mL). */
function reservoirSizes(): number[] {
  return [...new Set(PUMP_MODELS.flatMap((m) => m.reservoirSizesMl))].sort((a, b) => a - b);
}

/**
 * A reservoir size no pump model has, and an alarm volume of 0: a pump always has one, so 0 is a
 * slip (read the pump's own off the programmer), never a plan to the last drop. A reservoir of 0
 * or less is left to each command's own check, which says so in its own words.
 */
export function pumpSettingErrors(input: {
  readonly reservoirMl: number;
  readonly alarmMl: number | null;
}): FieldError[] {
  const errors: FieldError[] = [];
  const sizes = reservoirSizes();
  if (input.reservoirMl > 0 && !sizes.includes(input.reservoirMl)) {
    errors.push({
      field: 'reservoirMl',
      message: `Reservoir size must be one a pump model has: ${sizes.join(' or ')} mL, not ${input.reservoirMl}`,
    });
  }
  if (input.alarmMl === 0) {
    errors.push({
      field: 'alarmMl',
      message: "Low-reservoir alarm volume must be more than 0 mL: read the pump's own off the programmer",
    });
  }
  return errors;
}

type LimitRules = Pick<PumpRules, 'hardLimits' | 'concentrations' | 'usualRange' | 'testDose'>;

/**
 * A strength the service stocks, inside the hard limits (50 mcg/mL is named as the screening
 * strength, for test doses only): the same rule as a pump prescription (prescription-limits.ts).
 */
export function stockedStrengthErrors(concentrationMcgPerMl: number, rules: LimitRules): FieldError[] {
  return strengthErrors('concentrationMcgPerMl', concentrationMcgPerMl, {
    hardLimits: rules.hardLimits,
    concentrations: rules.concentrations,
    usualRange: rules.usualRange,
    screeningConcentrationMcgPerMl: rules.testDose.screeningConcentrationMcgPerMl,
  });
}

/**
 * A daily volume some configured pump model can deliver, checked once the dose and a stocked
 * strength have passed: the service's rule with no model to narrow it.
 */
export function deliverableErrors(
  doseField: string,
  doseMcgPerDay: number,
  concentrationMcgPerMl: number,
  rules: LimitRules,
): FieldError[] {
  return anyModelDeliveryErrors(doseField, doseMcgPerDay, concentrationMcgPerMl, PUMP_MODELS, rules);
}
