import { addDays, daysBetween, type PlainDate } from './calendar-date.ts';
import type { FieldError } from './field-error.ts';
import { PUMP_MODELS } from './pump-device.ts';
import type { DiscrepancyRules, HardLimits } from './pump-rules.ts';
import { roundTo2 } from './rounding.ts';

/**
 * The refill arithmetic (clinical-reference.md section 6 and worked examples F1–F4, F7). Pure:
 * the pages, the API, the CLI and the worklist all call these, so a date is worked out one way.
 * Dates are calendar days (calendar-date.ts): a clock change or 29 February never moves them.
 */

/**
 * Whole days in `x`, rounded down. Volumes like 0.3 mL are not exact in binary, so 18 ÷ 0.3 can
 * come out a hair under 60; a tolerance far below one second keeps that a whole 60 days.
 */
export function wholeDaysDown(x: number): number {
  return Math.floor(x + 1e-9);
}

/** Rounds to 0.01, the precision volumes (mL) and percentages are shown and compared at. */
export function round2(x: number): number {
  return roundTo2(x);
}

/** F1: daily volume (mL/day) = daily dose (mcg/day) ÷ concentration (mcg/mL) [CODMAN], [SEEK-CONC]. */
export function dailyVolumeMl(doseMcgPerDay: number, concentrationMcgPerMl: number): number {
  return doseMcgPerDay / concentrationMcgPerMl;
}

/**
 * A fill that reaches its alarm within the buffer is due at once: the due date is never before
 * the fill itself.
 */
function notBefore(date: PlainDate, earliest: PlainDate): PlainDate {
  return date < earliest ? earliest : date;
}

export interface RefillPlanInput {
  readonly reservoirMl: number;
  /** Volume in the reservoir after the fill (the residual is drained completely first). */
  readonly fillMl: number;
  readonly concentrationMcgPerMl: number;
  /** The largest daily dose the programme allows, boluses included (dose-programme.ts). */
  readonly doseMcgPerDay: number;
  /** The pump's low-reservoir alarm volume, from the programmer (a per-pump value; GAP in the sources). */
  readonly alarmMl: number;
  readonly filledOn: PlainDate;
  readonly bufferDays: number;
  /** The drug's stability limit in the pump (default 180 days [STAB180]). */
  readonly maxIntervalDays: number;
}

export type PlanLimit = 'alarm' | 'stability';

export interface RefillPlan {
  readonly dailyVolumeMl: number;
  /** Unrounded days from the fill to the low-reservoir alarm (F3). */
  readonly daysToAlarm: number;
  /** Fill date + whole days to alarm, rounded down so it is never later than the pump's own alarm. */
  readonly alarmDate: PlainDate;
  /** The earlier of (alarm date − buffer) and (fill date + stability limit) (F4). */
  readonly refillDueBy: PlainDate;
  readonly limitedBy: PlanLimit;
}

/** F1, F3, F4. Call validateRefillPlanInput first: this assumes positive, consistent numbers. */
export function refillPlan(input: RefillPlanInput): RefillPlan {
  const volumePerDay = dailyVolumeMl(input.doseMcgPerDay, input.concentrationMcgPerMl);
  const daysToAlarm = (input.fillMl - input.alarmMl) / volumePerDay;
  const alarmDate = addDays(input.filledOn, wholeDaysDown(daysToAlarm));
  const byAlarm = notBefore(addDays(alarmDate, -input.bufferDays), input.filledOn);
  const byStability = addDays(input.filledOn, input.maxIntervalDays);
  const limitedBy: PlanLimit = byStability < byAlarm ? 'stability' : 'alarm';
  return {
    dailyVolumeMl: volumePerDay,
    daysToAlarm,
    alarmDate,
    refillDueBy: limitedBy === 'stability' ? byStability : byAlarm,
    limitedBy,
  };
}

/** Expected residual on a date = volume filled − elapsed days × daily volume, never below zero (F2). */
export function expectedResidualMl(input: {
  readonly fillMl: number;
  readonly filledOn: PlainDate;
  readonly dailyVolumeMl: number;
  readonly on: PlainDate;
}): number {
  const elapsed = Math.max(0, daysBetween(input.filledOn, input.on));
  return Math.max(0, input.fillMl - elapsed * input.dailyVolumeMl);
}

/** The discrepancy threshold for a reservoir: 1 mL up to 20 mL, 2 mL above [MAINO]. */
export function discrepancyThresholdMl(reservoirMl: number, rules: DiscrepancyRules): number {
  return reservoirMl <= rules.smallReservoirMaxMl ? rules.smallThresholdMl : rules.largeThresholdMl;
}

export interface ResidualCheck {
  readonly expectedMl: number;
  /** Withdrawn − expected, to 0.01 mL: negative when less came out than the pump expected. */
  readonly discrepancyMl: number;
  /** Of the expected volume, to 0.01 %; null when nothing was expected. */
  readonly discrepancyPercent: number | null;
  readonly thresholdMl: number;
  /**
   * More than the threshold either way, or more than the percentage threshold of the expected
   * volume: must be reviewed before the refill is signed.
   */
  readonly flagged: boolean;
}

/** Which of the two rules a discrepancy breaks: the mL threshold, the percentage, or both. */
export function residualBeyond(
  check: Pick<ResidualCheck, 'discrepancyMl' | 'discrepancyPercent' | 'thresholdMl'>,
  rules: Pick<DiscrepancyRules, 'percentThreshold'>,
): { readonly ml: boolean; readonly percent: boolean } {
  return {
    ml: Math.abs(check.discrepancyMl) > check.thresholdMl,
    percent: check.discrepancyPercent !== null && Math.abs(check.discrepancyPercent) > rules.percentThreshold,
  };
}

/**
 * F7. The sources disagree (ASRA > 2 mL, Maino > 1 mL in a 20 mL pump); worked example 11
 * asks for the stricter rule, which the default thresholds give. Both volumes are compared at
 * 0.01 mL so 1.0000000000000004 is never read as more than 1. The sources ask for the
 * difference to be kept and judged as a percentage too [ASRA]: 0.5 mL short when 2 mL was
 * expected is a quarter of the delivery unaccounted for, so more than `percentThreshold` %
 * either way is flagged as well (only when something was expected).
 */
export function residualCheck(
  input: { readonly expectedMl: number; readonly withdrawnMl: number; readonly reservoirMl: number },
  rules: DiscrepancyRules,
): ResidualCheck {
  const expectedMl = round2(input.expectedMl);
  const discrepancyMl = round2(input.withdrawnMl - expectedMl);
  const thresholdMl = discrepancyThresholdMl(input.reservoirMl, rules);
  const discrepancyPercent = expectedMl > 0 ? round2((discrepancyMl / expectedMl) * 100) : null;
  const beyond = residualBeyond({ discrepancyMl, discrepancyPercent, thresholdMl }, rules);
  return {
    expectedMl,
    discrepancyMl,
    discrepancyPercent,
    thresholdMl,
    flagged: beyond.ml || beyond.percent,
  };
}

/**
 * Checks a dose in mcg/day against the hard limits. Below them the likeliest cause is a dose
 * typed in milligrams, so the message says so (hazard H-019, unit confusion); given the unit
 * (`mcg/day` for a daily dose), it also asks "did you mean 400 mcg/day?".
 */
export function doseErrors(
  field: string,
  label: string,
  dose: number,
  ranges: HardLimits,
  unit?: string,
): FieldError[] {
  if (!Number.isFinite(dose) || dose <= 0) {
    return [{ field, message: `${label} must be a number of micrograms (mcg) greater than 0` }];
  }
  if (dose < ranges.minDoseMcgPerDay) {
    const asMcg = round2(dose * 1000);
    return [
      {
        field,
        message: `${label} must be in micrograms (mcg), at least ${ranges.minDoseMcgPerDay}: ${dose} looks like milligrams (${dose} mg is ${asMcg} mcg)${unit === undefined ? '' : `: did you mean ${asMcg} ${unit}?`}`,
      },
    ];
  }
  if (dose > ranges.maxDoseMcgPerDay) {
    return [
      {
        field,
        message: `${label} must be ${ranges.maxDoseMcgPerDay} mcg or less; check the dose and its unit`,
      },
    ];
  }
  return [];
}

/** Checks a concentration in mcg/mL; values like 0.5 or 2 are mg/mL typed for mcg/mL. */
export function concentrationErrors(field: string, value: number, ranges: HardLimits): FieldError[] {
  const label = 'Concentration';
  if (!Number.isFinite(value) || value <= 0) {
    return [{ field, message: `${label} must be a number of micrograms per mL (mcg/mL) greater than 0` }];
  }
  if (value < ranges.minConcentrationMcgPerMl) {
    return [
      {
        field,
        message: `${label} must be in micrograms per mL (mcg/mL), at least ${ranges.minConcentrationMcgPerMl}: ${value} looks like milligrams per mL (${value} mg/mL is ${round2(value * 1000)} mcg/mL)`,
      },
    ];
  }
  if (value > ranges.maxConcentrationMcgPerMl) {
    return [
      {
        field,
        message: `${label} must be ${ranges.maxConcentrationMcgPerMl} mcg/mL or less; check the strength and its unit`,
      },
    ];
  }
  return [];
}

function volumeErrors(field: string, label: string, value: number, allowZero: boolean): FieldError[] {
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    return [
      { field, message: `${label} must be a number of mL${allowZero ? ', 0 or more' : ' greater than 0'}` },
    ];
  }
  return [];
}

/** Every reservoir size some pump model has (20 and 40 mL). */
function reservoirSizes(): number[] {
  return [...new Set(PUMP_MODELS.flatMap((m) => m.reservoirSizesMl))].sort((a, b) => a - b);
}

/**
 * Every check on a refill plan's numbers, each naming its field: a reservoir size some pump
 * model has, volumes within the reservoir, a fill above the alarm volume, dose and concentration
 * in their units, an alarm at least a day after the fill, whole-day settings. Given the drug's
 * stability limit, the longest interval may not exceed it [STAB180].
 */
export function refillPlanErrors(
  input: RefillPlanInput,
  ranges: HardLimits,
  limits?: { readonly stabilityDays: number },
): FieldError[] {
  const errors: FieldError[] = [
    ...volumeErrors('reservoirMl', 'Reservoir size', input.reservoirMl, false),
    ...volumeErrors('fillMl', 'Volume in the reservoir after the fill', input.fillMl, false),
    ...concentrationErrors('concentrationMcgPerMl', input.concentrationMcgPerMl, ranges),
    ...doseErrors('doseMcgPerDay', 'Daily dose', input.doseMcgPerDay, ranges, 'mcg/day'),
    ...volumeErrors('alarmMl', 'Low-reservoir alarm volume', input.alarmMl, true),
  ];
  const has = (f: string) => errors.some((e) => e.field === f);
  const sizes = reservoirSizes();
  if (!has('reservoirMl') && !sizes.includes(input.reservoirMl)) {
    errors.push({
      field: 'reservoirMl',
      message: `Reservoir size must be one a pump model has: ${sizes.join(' or ')} mL, not ${input.reservoirMl}`,
    });
  }
  if (!has('fillMl') && !has('reservoirMl') && input.fillMl > input.reservoirMl) {
    errors.push({
      field: 'fillMl',
      message: `Volume in the reservoir (${input.fillMl} mL) must not be more than the reservoir holds (${input.reservoirMl} mL)`,
    });
  }
  if (!has('alarmMl') && !has('fillMl') && input.alarmMl >= input.fillMl) {
    errors.push({
      field: 'alarmMl',
      message: `Low-reservoir alarm volume (${input.alarmMl} mL) must be less than the volume after the fill (${input.fillMl} mL)`,
    });
  }
  // A fill that reaches its alarm on the day it is given is no fill: the pump alarms (and runs
  // dry soon after) before the patient is home. Refused, whatever set it.
  if (errors.length === 0) {
    const perDay = dailyVolumeMl(input.doseMcgPerDay, input.concentrationMcgPerMl);
    const days = (input.fillMl - input.alarmMl) / perDay;
    if (wholeDaysDown(days) < 1) {
      errors.push({
        field: 'fillMl',
        message: `The alarm would sound on the fill day: ${input.fillMl} mL less the alarm volume of ${input.alarmMl} mL lasts ${round2(days)} days at ${round2(perDay)} mL a day. Check the volumes, the dose and the concentration`,
      });
    }
  }
  if (!Number.isInteger(input.bufferDays) || input.bufferDays < 0 || input.bufferDays > 60) {
    errors.push({ field: 'bufferDays', message: 'Buffer must be a whole number of days from 0 to 60' });
  }
  const longest = limits?.stabilityDays ?? 366;
  if (
    !Number.isInteger(input.maxIntervalDays) ||
    input.maxIntervalDays < 1 ||
    input.maxIntervalDays > longest
  ) {
    errors.push({
      field: 'maxIntervalDays',
      message:
        limits === undefined
          ? 'Longest interval must be a whole number of days from 1 to 366'
          : `Longest interval must be a whole number of days from 1 to ${longest}, the drug's stability limit in the pump`,
    });
  }
  return errors;
}

/** A programme running from a calendar date (the fill, then each confirmed change) at a daily volume. */
export interface DeliverySegment {
  readonly from: PlainDate;
  readonly dailyVolumeMl: number;
}

/**
 * The plan after the dose or concentration changes between refills. Days run at constant rates:
 * on the day of a change the pump is charged the highest rate it ran that day (the rate before,
 * or any set that day), and from the next day the last rate set, so the estimate never runs
 * later than the pump. The alarm falls in the first stretch that brings the volume down to the
 * alarm volume; changes after that cannot move it later. The stability limit runs from the fill.
 */
export function refillPlanWithChanges(input: {
  readonly fillMl: number;
  readonly filledOn: PlainDate;
  readonly alarmMl: number;
  /** In date order; the first starts on the fill date. */
  readonly segments: readonly DeliverySegment[];
  readonly bufferDays: number;
  readonly maxIntervalDays: number;
}): RefillPlan {
  const stretches = rateStretches(input.filledOn, input.segments);
  let above = input.fillMl - input.alarmMl;
  let daysToAlarm = 0;
  let rate = stretches[0]?.dailyVolumeMl ?? 0;
  for (const s of stretches) {
    rate = s.dailyVolumeMl;
    const need = above / rate;
    if (s.days === null || need <= s.days) {
      daysToAlarm = daysBetween(input.filledOn, s.from) + Math.max(0, need);
      break;
    }
    above -= s.days * rate;
  }
  const alarmDate = addDays(input.filledOn, wholeDaysDown(daysToAlarm));
  const byAlarm = notBefore(addDays(alarmDate, -input.bufferDays), input.filledOn);
  const byStability = addDays(input.filledOn, input.maxIntervalDays);
  const limitedBy: PlanLimit = byStability < byAlarm ? 'stability' : 'alarm';
  return {
    dailyVolumeMl: rate,
    daysToAlarm,
    alarmDate,
    refillDueBy: limitedBy === 'stability' ? byStability : byAlarm,
    limitedBy,
  };
}

interface Stretch {
  readonly from: PlainDate;
  /** Whole days at this rate; null for the last, open-ended stretch. */
  readonly days: number | null;
  readonly dailyVolumeMl: number;
}

/** Constant-rate stretches from the fill: each change day at its highest rate, then the day's last rate. */
function rateStretches(filledOn: PlainDate, segments: readonly DeliverySegment[]): Stretch[] {
  const byDay = new Map<string, number[]>();
  for (const seg of segments) {
    const day = seg.from < filledOn ? filledOn : seg.from;
    byDay.set(day, [...(byDay.get(day) ?? []), seg.dailyVolumeMl]);
  }
  const days = [...byDay.keys()].sort() as PlainDate[];
  const out: Stretch[] = [];
  let before: number | null = null;
  days.forEach((day, i) => {
    const rates = byDay.get(day) ?? [];
    const last = rates[rates.length - 1] ?? 0;
    const next = days[i + 1];
    const changeDayRate = Math.max(before ?? 0, ...rates);
    const span = next === undefined ? null : daysBetween(day, next);
    if (span === 1 || (span === null && changeDayRate === last)) {
      out.push({ from: day, days: span, dailyVolumeMl: span === null ? last : changeDayRate });
    } else {
      out.push({ from: day, days: 1, dailyVolumeMl: changeDayRate });
      out.push({ from: addDays(day, 1), days: span === null ? null : span - 1, dailyVolumeMl: last });
    }
    before = last;
  });
  return out;
}
