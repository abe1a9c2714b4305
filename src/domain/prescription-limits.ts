import { doseByWeekday, planningDoseMcgPerDay, type DoseProgramme } from './dose-programme.ts';
import { formatAmount, formatVolume, listAmounts, unitSlip } from './dose-range.ts';
import type { FieldError } from './field-error.ts';
import type { PumpModel } from './pump-device.ts';
import type { ConcentrationRules, HardLimits, UsualRange } from './pump-rules.ts';
import { concentrationErrors, dailyVolumeMl } from './refill-arithmetic.ts';

/**
 * The hard limits on a pump prescription beyond its programme's own: the strength must be one
 * the service stocks, and the daily volume one the pump model can deliver. Both are refused with
 * no override (a reason cannot make a pump deliver what it cannot, or fill it with a strength the
 * pharmacy does not hold).
 */

export interface PrescriptionLimitRules {
  readonly hardLimits: HardLimits;
  readonly concentrations: ConcentrationRules;
  /** To tell a unit slip (1.5 for 1,500 mcg/day) from a dose too small for the pump. */
  readonly usualRange: UsualRange;
  /** The screening strength (50 mcg/mL [LABEL-SUM]): for test doses only, never a pump. */
  readonly screeningConcentrationMcgPerMl: number;
}

/**
 * A pump's strength: inside the hard limits (the unit-slip wording below 10 mcg/mL stays), then
 * one of the stocked strengths (500, 1000, 2000 mcg/mL by default [LIO-AMP], [GAB]).
 */
export function strengthErrors(field: string, value: number, rules: PrescriptionLimitRules): FieldError[] {
  const hard = concentrationErrors(field, value, rules.hardLimits);
  if (hard.length > 0) {
    return hard;
  }
  const stocked = rules.concentrations.stockedMcgPerMl;
  if (stocked.includes(value)) {
    return [];
  }
  const strengths = `${listAmounts(stocked)} mcg/mL`;
  if (value === rules.screeningConcentrationMcgPerMl) {
    return [
      {
        field,
        message: `${formatAmount(value)} mcg/mL is the screening strength, for test doses only: a pump is filled at ${strengths}`,
      },
    ];
  }
  return [
    {
      field,
      message: `Concentration must be one of the strengths the service stocks: ${strengths}, not ${formatAmount(value)} mcg/mL`,
    },
  ];
}

/** The programme field that sets a weekday's continuous dose: the simple dose or that day's schedule. */
function doseFieldFor(programme: DoseProgramme, weekday: number): string {
  if (programme.mode === 'simple') {
    return 'programme.doseMcgPerDay';
  }
  const i = programme.schedules.findIndex((s) => s.weekdays.includes(weekday));
  return `programme.schedules.${Math.max(0, i)}.steps`;
}

/**
 * The pump model's delivery range (pump-device.ts, GAP): the continuous daily volume on every
 * weekday must be at least its minimum, and the most in a day (every bolus taken) at most its
 * maximum. Nothing to check for a model with no range recorded. Fields are relative to the
 * prescription (`programme.doseMcgPerDay`).
 */
export function deliveryErrors(
  programme: DoseProgramme,
  concentrationMcgPerMl: number,
  model: PumpModel | undefined,
  usualRange?: UsualRange,
): FieldError[] {
  const range = model?.deliveryMlPerDay;
  if (!model || !range) {
    return [];
  }
  const errors: FieldError[] = [];
  const days = doseByWeekday(programme);
  const smallest = Math.min(...days);
  const lowVolume = dailyVolumeMl(smallest, concentrationMcgPerMl);
  // A hair of tolerance: 96 mcg/day at 2000 mcg/mL is exactly the 0.048 mL minimum.
  if (lowVolume < range.min - 1e-12) {
    // A dose this small is most often a unit slip: say what it would be rather than advise a
    // weaker strength for a dose nobody meant.
    const slip = usualRange ? unitSlip(smallest, usualRange) : null;
    errors.push({
      field: doseFieldFor(programme, days.indexOf(smallest) + 1),
      message: `At ${formatAmount(concentrationMcgPerMl)} mcg/mL, ${formatAmount(smallest)} mcg/day is ${formatVolume(lowVolume)} mL a day, less than the ${model.name} can deliver (at least ${formatVolume(range.min)} mL a day): ${slip ? `did you mean ${formatAmount(slip.value)} mcg/day?` : 'use a weaker strength'}`,
    });
  }
  const most = planningDoseMcgPerDay(programme);
  const highVolume = dailyVolumeMl(most, concentrationMcgPerMl);
  if (highVolume > range.max + 1e-12) {
    errors.push({
      field: programme.bolus ? 'programme.bolus.maxPerDay' : doseFieldFor(programme, 1),
      message: `At ${formatAmount(concentrationMcgPerMl)} mcg/mL, the most in a day (${formatAmount(most)} mcg) is ${formatVolume(highVolume)} mL, more than the ${model.name} can deliver (at most ${formatVolume(range.max)} mL a day): use a stronger strength`,
    });
  }
  return errors;
}

/**
 * The daily volumes some configured pump model can deliver, for a figure with no model named
 * (`itb calc`): from the smallest minimum to the largest maximum of the models that record a
 * range. Null when none records one.
 */
export function anyModelDeliveryRange(
  models: readonly PumpModel[],
): { readonly min: number; readonly max: number } | null {
  const ranges = models.flatMap((m) => (m.deliveryMlPerDay ? [m.deliveryMlPerDay] : []));
  if (ranges.length === 0) {
    return null;
  }
  return { min: Math.min(...ranges.map((r) => r.min)), max: Math.max(...ranges.map((r) => r.max)) };
}

/**
 * A daily dose at a strength that no configured pump model could deliver: below the smallest
 * minimum (20 mcg/day at 2,000 mcg/mL is 0.01 mL a day, under SynchroMed II's 0.048) or above the
 * largest maximum. The same rule as deliveryErrors, for a figure with no pump model: anything
 * some model can deliver passes. A unit slip is named as in deliveryErrors; otherwise the stocked
 * strengths that would deliver the dose, or, when none would, that the dose needs checking.
 */
export function anyModelDeliveryErrors(
  field: string,
  doseMcgPerDay: number,
  concentrationMcgPerMl: number,
  models: readonly PumpModel[],
  rules: { readonly usualRange: UsualRange; readonly concentrations: ConcentrationRules },
): FieldError[] {
  const range = anyModelDeliveryRange(models);
  if (!range) {
    return [];
  }
  // The same hair of tolerance as deliveryErrors: 96 mcg/day at 2000 mcg/mL is exactly 0.048 mL.
  const deliverable = (strength: number) => {
    const ml = dailyVolumeMl(doseMcgPerDay, strength);
    return ml >= range.min - 1e-12 && ml <= range.max + 1e-12;
  };
  if (deliverable(concentrationMcgPerMl)) {
    return [];
  }
  const volume = dailyVolumeMl(doseMcgPerDay, concentrationMcgPerMl);
  const low = volume < range.min;
  const others = rules.concentrations.stockedMcgPerMl.filter((c) => deliverable(c));
  const slip = low ? unitSlip(doseMcgPerDay, rules.usualRange) : null;
  const advice = slip
    ? `did you mean ${formatAmount(slip.value)} mcg/day?`
    : others.length > 0
      ? `use ${low ? 'a weaker' : 'a stronger'} strength: ${listAmounts(others)} mcg/mL`
      : 'check the dose (no strength the service stocks makes it deliverable)';
  const bound = low
    ? `less than any pump model can deliver (at least ${formatVolume(range.min)} mL a day)`
    : `more than any pump model can deliver (at most ${formatVolume(range.max)} mL a day)`;
  return [
    {
      field,
      message: `At ${formatAmount(concentrationMcgPerMl)} mcg/mL, ${formatAmount(doseMcgPerDay)} mcg/day is ${formatVolume(volume)} mL a day, ${bound}: ${advice}`,
    },
  ];
}

/** Both checks on a prescription: the strength first, then (with a stocked strength) the delivery range. */
export function prescriptionLimitErrors(
  input: { readonly concentrationMcgPerMl: number; readonly programme: DoseProgramme },
  model: PumpModel | undefined,
  rules: PrescriptionLimitRules,
): FieldError[] {
  const strength = strengthErrors('concentrationMcgPerMl', input.concentrationMcgPerMl, rules);
  return strength.length > 0
    ? strength
    : deliveryErrors(input.programme, input.concentrationMcgPerMl, model, rules.usualRange);
}
