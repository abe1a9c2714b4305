import type { ClinicalWarning } from './clinical-warning.ts';
import type { UsualRange } from './pump-rules.ts';
import { roundTo2 } from './rounding.ts';

/**
 * The usual range of a daily dose (pump-rules.ts `usualRange`, 12–2000 mcg/day [MEDSCAPE-2],
 * [GAB], [CHEO]). Inside the hard limits but outside this range a dose is accepted only with a
 * written reason. Below it, the likeliest causes are unit slips: milligrams typed for micrograms
 * (1.5 for 1,500) or the hourly rate typed for the daily dose (4.17 for 100 mcg/day, worked
 * example 7), so the warning says what the figure would be if so.
 */

const AMOUNT = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 });
const VOLUME = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 4 });

/** 1500 → "1,500"; 100.08 → "100.08": doses as the pages and messages show them (0.01 mcg). */
export function formatAmount(n: number): string {
  return AMOUNT.format(roundTo2(n));
}

/** 0.048 → "0.048": daily volumes need more places than doses (0.05 would hide the limit). */
export function formatVolume(n: number): string {
  return VOLUME.format(n);
}

/** "500, 1,000 or 2,000". */
export function listAmounts(values: readonly number[]): string {
  const texts = values.map(formatAmount);
  return texts.length <= 1 ? (texts[0] ?? '') : `${texts.slice(0, -1).join(', ')} or ${texts.at(-1) ?? ''}`;
}

export interface UnitSlip {
  /** The daily dose the figure would be, mcg/day. */
  readonly value: number;
  /** 'mg': typed in milligrams; 'per-hour': the hourly rate typed for the daily dose. */
  readonly slip: 'mg' | 'per-hour';
}

function inRange(dose: number, range: UsualRange): boolean {
  return dose >= range.minDoseMcgPerDay && dose <= range.maxDoseMcgPerDay;
}

/**
 * What a dose below the usual range would be after the commonest unit slips: × 1000 (mg for
 * mcg) first, else × 24 (mcg/h for mcg/day), when that lands inside the usual range. Null when
 * neither does, or the dose is not below the range (both slips only make a figure larger).
 */
export function unitSlip(dose: number, range: UsualRange): UnitSlip | null {
  if (!(dose > 0) || dose >= range.minDoseMcgPerDay) {
    return null;
  }
  const asMilligrams = roundTo2(dose * 1000);
  if (inRange(asMilligrams, range)) {
    return { value: asMilligrams, slip: 'mg' };
  }
  const asHourly = roundTo2(dose * 24);
  return inRange(asHourly, range) ? { value: asHourly, slip: 'per-hour' } : null;
}

/** "12–2,000 mcg/day". */
export function usualRangeText(range: UsualRange): string {
  return `${formatAmount(range.minDoseMcgPerDay)}–${formatAmount(range.maxDoseMcgPerDay)} mcg/day`;
}

/**
 * DOSE_OUTSIDE_USUAL_RANGE for a daily dose outside the usual range, naming the field, with
 * `didYouMean` when a unit slip explains it: "Daily dose: 1.5 mcg/day is below the usual
 * 12–2,000 mcg/day: did you mean 1,500 mcg/day (1.5 mg)?". Null inside the range. The hard
 * limits are checked first (doseErrors); this is only for a dose they let through.
 */
export function usualDoseWarning(
  field: string,
  label: string,
  doseMcgPerDay: number,
  range: UsualRange,
): ClinicalWarning | null {
  if (inRange(doseMcgPerDay, range)) {
    return null;
  }
  const dose = `${formatAmount(doseMcgPerDay)} mcg/day`;
  const usual = usualRangeText(range);
  if (doseMcgPerDay > range.maxDoseMcgPerDay) {
    return {
      code: 'DOSE_OUTSIDE_USUAL_RANGE',
      field,
      message: `${label}: ${dose} is above the usual ${usual}: check the dose and its unit`,
    };
  }
  const slip = unitSlip(doseMcgPerDay, range);
  if (!slip) {
    return {
      code: 'DOSE_OUTSIDE_USUAL_RANGE',
      field,
      message: `${label}: ${dose} is below the usual ${usual}: check the dose and its unit`,
    };
  }
  const why =
    slip.slip === 'mg'
      ? `${formatAmount(doseMcgPerDay)} mg`
      : `${formatAmount(doseMcgPerDay)} mcg an hour for 24 hours`;
  return {
    code: 'DOSE_OUTSIDE_USUAL_RANGE',
    field,
    message: `${label}: ${dose} is below the usual ${usual}: did you mean ${formatAmount(slip.value)} mcg/day (${why})?`,
    didYouMean: slip.value,
  };
}
